/**
 * The narrow interface the HTTP layer (api/) uses to reach the service core (sync/).
 * api/ depends on this file only; sync/ provides the implementation (`createTakt`).
 * Failures a caller must handle are returned as data (`Failure`), not thrown.
 */
import type { PlantProblem } from '../scheduler/problem.ts';
import type { Kpis, Problem, ScheduledOperation, ScheduledOrder, ReasonLink } from '../scheduler/result.ts';

export const SCOPES = ['planner', 'erp', 'wms', 'qms', 'mes', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
export type Source = 'erp' | 'wms' | 'qms' | 'mes';

export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** null: every plant. */
  readonly plants: readonly string[] | null;
}

/** A failure the caller must turn into an answer; `code` is a stable machine-readable code. */
export interface Failure {
  readonly ok: false;
  readonly code: string;
  readonly message: string;
  /** JSON path of the offending field, when there is one. */
  readonly field?: string;
}
export type Result<T> = { readonly ok: true; readonly value: T } | Failure;

export interface EventEnvelope {
  readonly id: string;
  readonly source: Source;
  readonly type: string;
  readonly plant: string;
  readonly occurredAt: string;
  readonly version: number;
  readonly data: Record<string, unknown>;
}

export type EventOutcome =
  | { readonly id: string; readonly status: 'accepted' }
  | { readonly id: string; readonly status: 'duplicate' }
  | { readonly id: string; readonly status: 'stale'; readonly storedVersion: number }
  | { readonly id: string; readonly status: 'rejected'; readonly code: string; readonly field?: string; readonly reason: string };

export type ScheduleState = 'published' | 'proposed' | 'discarded' | 'superseded';

export interface ScheduleVersionView {
  readonly plant: string;
  readonly version: number;
  readonly createdAt: string;
  readonly now: string;
  readonly reason: string;
  readonly status: string;
  /** `published`: written back and served to the MES; `proposed`: awaiting a planner (approve policy). */
  readonly state: ScheduleState;
  readonly kpis: Kpis;
  readonly operations: readonly ScheduledOperation[];
  readonly orders: readonly ScheduledOrder[];
  readonly problems: readonly Problem[];
}

export interface RescheduleRequest {
  readonly timeLimitMs?: number;
  readonly reason?: string;
}

/** What-if overrides; nothing is committed. */
export interface WhatIfRequest extends RescheduleRequest {
  readonly downtimes?: readonly { readonly workCenter: string; readonly start: string; readonly end: string; readonly unit?: number }[];
  readonly priorities?: readonly { readonly workOrder: string; readonly priority: number }[];
  readonly quantities?: readonly { readonly workOrder: string; readonly quantity: number }[];
  readonly receiptDates?: readonly { readonly receipt: string; readonly expectedAt: string }[];
  readonly holds?: readonly { readonly id: string; readonly target: { readonly kind: 'lot' | 'item' | 'work_order'; readonly id: string } }[];
  readonly releaseHolds?: readonly string[];
}

export interface OrderChange {
  readonly workOrder: string;
  readonly before: { readonly plannedStart: string | null; readonly plannedEnd: string | null; readonly dispatchPriority: number | null } | null;
  readonly after: { readonly plannedStart: string | null; readonly plannedEnd: string | null; readonly dispatchPriority: number | null } | null;
}

export interface WhatIfView {
  readonly kpis: Kpis;
  readonly baseKpis: Kpis | null;
  readonly changes: readonly OrderChange[];
  readonly operations: readonly ScheduledOperation[];
  readonly orders: readonly ScheduledOrder[];
  readonly problems: readonly Problem[];
}

/** A proposed version against the published one: what a planner reviews before approving. */
export interface ProposalView {
  readonly proposal: ScheduleVersionView;
  readonly published: { readonly version: number; readonly kpis: Kpis } | null;
  readonly changes: readonly OrderChange[];
}

export interface DecisionView {
  readonly plant: string;
  readonly version: number;
  readonly state: 'published' | 'discarded';
  /** Write-backs the approval queued. */
  readonly writebacks: number;
}

/** takt's own policy for a plant: publishing, what is worth writing to the ERP, what shop-floor reports it believes. */
export interface PlantPolicyView {
  readonly publishing: 'auto' | 'approve';
  readonly writeback: {
    readonly orderMoveMinutes: number;
    readonly operationMoveMinutes: number;
    readonly priorityBoundaries: readonly number[];
  };
  /** Absent on a PUT: kept as stored. */
  readonly shopFloor?: { readonly overProductionPercent: number };
}

/** A planner's pin: the operation is held to this work center (unit) and start. */
export interface PinRequest {
  readonly workCenter: string;
  readonly unit?: number;
  readonly start: string;
}

export interface PinView {
  readonly workOrder: string;
  readonly operation: string;
  /** null: the operation is free again. */
  readonly pin: PinRequest | null;
}

export interface WorkOrderView {
  readonly workOrder: string;
  readonly item: string;
  readonly quantity: number;
  readonly due: string;
  readonly priority: number;
  readonly status: string;
  readonly scheduleVersion: number | null;
  readonly plannedStart: string | null;
  readonly plannedEnd: string | null;
  readonly latenessMinutes: number | null;
  readonly dispatchPriority: number | null;
  readonly reasons: readonly ReasonLink[];
  readonly operations: readonly ScheduledOperation[];
  readonly problems: readonly Problem[];
}

export interface DispatchEntry {
  readonly workOrder: string;
  readonly operation: string;
  readonly unit: number;
  readonly plannedStart: string;
  readonly plannedEnd: string;
  readonly quantity: number;
  readonly materialReady: boolean;
  readonly materialReadyAt: string | null;
  readonly dispatchPriority: number;
}

export interface DispatchListView {
  readonly plant: string;
  readonly workCenter: string;
  readonly scheduleVersion: number;
  readonly entries: readonly DispatchEntry[];
}

export interface SyncStatusView {
  readonly sources: readonly { readonly source: string; readonly plant: string | null; readonly lastEventAt: string | null; readonly lagSeconds: number | null; readonly cursor: string | null }[];
  readonly queues: readonly { readonly name: string; readonly waiting: number; readonly active: number; readonly failed: number }[];
  /** Whether write-backs go anywhere (an ERP connection or the generic write-back); if not, they stay in the outbox. */
  readonly writebacksConfigured: boolean;
  readonly outboxBacklog: number;
  /** How long the oldest undelivered write-back has waited (null: none waiting). */
  readonly outboxBacklogAgeSeconds: number | null;
  /** Per ERP connection (or `generic`): its circuit and since when it has been failing. */
  readonly connections: readonly ConnectionHealthView[];
  readonly deadLetters: number;
  readonly plants: readonly { readonly plant: string; readonly dirty: boolean; readonly lastVersion: number | null; readonly lastVersionAt: string | null }[];
}

export interface ConnectionHealthView {
  readonly connection: string;
  /** `closed`: calls go through; `open`: the ERP is not answering, one probe at `nextProbeAt`; `half-open`: a probe is out. */
  readonly state: 'closed' | 'open' | 'half-open';
  readonly failures: number;
  readonly failingSince: string | null;
  readonly nextProbeAt: string | null;
  readonly lastError: string | null;
}

/** Which dead letters a bulk replay takes (all of them when empty). */
export interface DeadLetterFilter {
  readonly kind?: string;
  readonly plant?: string;
  readonly since?: string;
  readonly until?: string;
  /** A part of the error message. */
  readonly error?: string;
}

export interface BulkReplayView {
  readonly matched: number;
  readonly requeued: number;
  readonly refused: readonly { readonly id: string; readonly code: string; readonly message: string }[];
}

export interface DeadLetterView {
  readonly id: string;
  readonly kind: string;
  readonly plant: string | null;
  readonly key: string;
  readonly error: string;
  readonly attempts: number;
  readonly createdAt: string;
  readonly payload: unknown;
}

/** Calendar shading for the board: non-working and downtime intervals per work center. */
export interface PlantView {
  readonly plant: string;
  readonly timeZone: string;
  readonly problem: PlantProblem;
}

export interface Takt {
  authenticate(bearerToken: string): Promise<Principal | null>;
  /** Envelopes as received: each is validated on its own and answered in order. */
  ingest(events: readonly unknown[], principal: Principal): Promise<readonly EventOutcome[]>;
  plantExists(plant: string): Promise<boolean>;
  listPlants(): Promise<readonly string[]>;
  schedule(plant: string): Promise<ScheduleVersionView | null>;
  reschedule(plant: string, request: RescheduleRequest): Promise<Result<ScheduleVersionView>>;
  whatIf(plant: string, request: WhatIfRequest): Promise<Result<WhatIfView>>;
  workOrder(plant: string, id: string): Promise<Result<WorkOrderView>>;
  dispatchList(plant: string, workCenter: string, horizonHours: number): Promise<Result<DispatchListView>>;
  /** Pins an operation (or, with null, frees it) and queues a reschedule of the plant. */
  pinOperation(plant: string, workOrder: string, operation: string, pin: PinRequest | null, principal: Principal): Promise<Result<PinView>>;
  /** The newest proposed version and its diff against the published one; null when none awaits approval. */
  proposal(plant: string): Promise<Result<ProposalView | null>>;
  /** Publishes (approve) or discards a proposed version. */
  decide(plant: string, version: number, decision: 'approve' | 'discard', principal: Principal): Promise<Result<DecisionView>>;
  policy(plant: string): Promise<Result<PlantPolicyView>>;
  setPolicy(plant: string, policy: PlantPolicyView, principal: Principal): Promise<Result<PlantPolicyView>>;
  /** The plant's current problem (calendars, downtimes, orders) for the board. */
  plantState(plant: string): Promise<Result<PlantView>>;
  syncStatus(): Promise<SyncStatusView>;
  deadLetters(): Promise<readonly DeadLetterView[]>;
  replayDeadLetter(id: string): Promise<Result<{ readonly id: string; readonly requeued: true }>>;
  /** Replays every dead letter the filter matches; those that cannot be replayed say why. */
  replayDeadLetters(filter: DeadLetterFilter): Promise<BulkReplayView>;
  ready(): Promise<{ readonly database: boolean; readonly queue: boolean }>;
  /** Prometheus text exposition of the core's counters and gauges. */
  metrics(): Promise<string>;
  close(): Promise<void>;
}
