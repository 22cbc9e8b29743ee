/**
 * An in-memory `Takt` for the HTTP tests: small, but it keeps the contract's semantics
 * (idempotency by (source, id), stale versions, unknown references rejected, failures as data).
 */
import { validateEnvelope } from '../../sync/ingest/validate.ts';
import type { PlantProblem } from '../../scheduler/problem.ts';
import type { Kpis } from '../../scheduler/result.ts';
import type {
  BulkReplayView, DecisionView, PlantPolicyView, ProposalView,
  DeadLetterView,
  DispatchListView,
  EventEnvelope,
  EventOutcome,
  Failure,
  PlantView,
  Principal,
  RescheduleRequest,
  Result,
  ScheduleVersionView,
  SyncStatusView,
  Takt,
  WhatIfRequest,
  WhatIfView,
  WorkOrderView,
  PinRequest,
  PinView,
} from '../../sync/ports.ts';

export const KEYS = {
  planner: 'key-planner',
  plannerP1: 'key-planner-p1',
  mes: 'key-mes',
  erp: 'key-erp',
  erpP2: 'key-erp-p2',
  wms: 'key-wms',
  admin: 'key-admin',
} as const;

const principals: ReadonlyMap<string, Principal> = new Map([
  [KEYS.planner, { keyId: 'k1', name: 'planner', scopes: ['planner'], plants: null }],
  [KEYS.plannerP1, { keyId: 'k2', name: 'planner P1', scopes: ['planner'], plants: ['P1'] }],
  [KEYS.mes, { keyId: 'k3', name: 'mes', scopes: ['mes'], plants: null }],
  [KEYS.erp, { keyId: 'k4', name: 'erp', scopes: ['erp'], plants: null }],
  [KEYS.erpP2, { keyId: 'k5', name: 'erp P2', scopes: ['erp'], plants: ['P2'] }],
  [KEYS.wms, { keyId: 'k6', name: 'wms', scopes: ['wms'], plants: null }],
  [KEYS.admin, { keyId: 'k7', name: 'admin', scopes: ['admin'], plants: null }],
]);

function failure(code: string, message: string, field?: string): Failure {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, message, field };
}

const kpis = (operationsMoved: number): Kpis => ({
  orders: 1,
  scheduledOrders: 1,
  lateOrders: 0,
  onTimeRate: 1,
  totalWeightedTardinessMinutes: 0,
  makespanMinutes: 120,
  totalFlowMinutes: 120,
  totalSetupMinutes: 10,
  operationsMoved,
  utilisation: [{ workCenter: 'WC1', utilisation: 0.5 }],
});

export function plantProblem(plant: string): PlantProblem {
  return {
    plant: { id: plant, timeZone: 'Europe/Berlin' },
    calendars: [{ id: 'C1', shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '22:00' }] }],
    workCenters: [{ id: 'WC1', units: 1, calendar: 'C1', downtimes: [{ start: '2026-11-24T08:00:00Z', end: '2026-11-24T09:00:00Z' }] }],
    workOrders: [
      {
        id: 'WO1',
        item: 'A',
        quantity: 10,
        due: '2026-11-25T16:00:00Z',
        priority: 2,
        operations: [{ id: '10', modes: [{ workCenter: 'WC1', setupMinutes: 10, runMinutesPerUnit: 11 }] }],
      },
    ],
  };
}

function scheduleVersion(plant: string, version: number, reason: string): ScheduleVersionView {
  return {
    plant,
    version,
    createdAt: '2026-11-23T07:00:00.000Z',
    now: '2026-11-23T07:00:00.000Z',
    reason,
    status: 'optimal-or-feasible',
    state: 'published',
    kpis: kpis(version - 1),
    operations: [
      {
        workOrder: 'WO1',
        operation: '10',
        workCenter: 'WC1',
        unit: 1,
        start: '2026-11-23T07:00:00.000Z',
        end: '2026-11-23T09:00:00.000Z',
        workMinutes: 120,
        quantity: 10,
        fixedBy: 'planned',
        materialReadyAt: '2026-11-23T07:00:00.000Z',
      },
    ],
    orders: [
      {
        workOrder: 'WO1',
        status: 'scheduled',
        plannedStart: '2026-11-23T07:00:00.000Z',
        plannedEnd: '2026-11-23T09:00:00.000Z',
        due: '2026-11-25T16:00:00Z',
        latenessMinutes: -3300,
        dispatchPriority: 1,
        reasons: [{ kind: 'capacity', operation: '10', workCenter: 'WC1', unit: 1, behind: 'WO0/10', at: '2026-11-23T07:00:00.000Z' }],
      },
    ],
    problems: [{ type: 'late', workOrder: 'WO9', latenessMinutes: 30 }],
  };
}

interface PlantRecord {
  readonly problem: PlantProblem;
  schedule: ScheduleVersionView | null;
}

export class FakeTakt implements Takt {
  readonly plants = new Map<string, PlantRecord>([
    ['P1', { problem: plantProblem('P1'), schedule: scheduleVersion('P1', 1, 'initial') }],
    ['P2', { problem: plantProblem('P2'), schedule: null }],
  ]);
  /** (source, id) seen; and the stored version per (source, type family, plant, object id). */
  readonly inbox = new Set<string>();
  readonly objectVersions = new Map<string, number>();
  readonly ingested: EventEnvelope[] = [];
  readonly deadLetterRows = new Map<string, DeadLetterView>([
    [
      'dl-1',
      {
        id: 'dl-1',
        kind: 'write-back',
        plant: 'P1',
        key: 'P1/WO1/v1',
        error: 'ERP said 422: order is locked',
        attempts: 1,
        createdAt: '2026-11-23T07:05:00.000Z',
        payload: { workOrder: 'WO1', plannedStart: '2026-11-23T07:00:00.000Z' },
      },
    ],
  ]);
  readonly replayed: string[] = [];
  readiness = { database: true, queue: true };
  /** When set, the next reschedule answers with it (e.g. a reschedule already running). */
  rescheduleFailure: Failure | null = null;
  closed = false;

  async authenticate(bearerToken: string): Promise<Principal | null> {
    return principals.get(bearerToken) ?? null;
  }

  async ingest(raw: readonly unknown[]): Promise<readonly EventOutcome[]> {
    return raw.map((value, index): EventOutcome => {
      // Envelopes are checked as the real core checks them; the rest of this fake is a toy store.
      const malformed = validateEnvelope(value);
      if (malformed) {
        const id = (value as { id?: unknown } | null)?.id;
        return { id: typeof id === 'string' ? id : `#${index}`, status: 'rejected', code: malformed.code, reason: malformed.reason, ...(malformed.field !== undefined && { field: malformed.field }) };
      }
      const event = value as EventEnvelope;
      const inboxKey = `${event.source}/${event.id}`;
      if (this.inbox.has(inboxKey)) return { id: event.id, status: 'duplicate' };
      if (!this.plants.has(event.plant) && event.type !== 'plant.upserted') {
        return { id: event.id, status: 'rejected', code: 'unknown_reference', field: 'plant', reason: `unknown plant ${event.plant}` };
      }
      const objectId = event.data['id'];
      if (typeof objectId !== 'string') {
        return { id: event.id, status: 'rejected', code: 'validation_failed', field: 'data.id', reason: 'data.id is required' };
      }
      const objectKey = `${event.source}/${event.type.split('.')[0]}/${event.plant}/${objectId}`;
      const stored = this.objectVersions.get(objectKey);
      this.inbox.add(inboxKey);
      if (stored !== undefined && event.version < stored) return { id: event.id, status: 'stale', storedVersion: stored };
      this.objectVersions.set(objectKey, event.version);
      this.ingested.push(event);
      return { id: event.id, status: 'accepted' };
    });
  }

  async plantExists(plant: string): Promise<boolean> {
    return this.plants.has(plant);
  }

  async listPlants(): Promise<readonly string[]> {
    return [...this.plants.keys()];
  }

  async schedule(plant: string): Promise<ScheduleVersionView | null> {
    return this.plants.get(plant)?.schedule ?? null;
  }

  async reschedule(plant: string, request: RescheduleRequest): Promise<Result<ScheduleVersionView>> {
    const record = this.plants.get(plant);
    if (record === undefined) return failure('plant_not_found', `plant ${plant} not found`);
    if (this.rescheduleFailure !== null) return this.rescheduleFailure;
    record.schedule = scheduleVersion(plant, (record.schedule?.version ?? 0) + 1, request.reason ?? 'manual');
    return { ok: true, value: record.schedule };
  }

  async whatIf(plant: string, request: WhatIfRequest): Promise<Result<WhatIfView>> {
    const record = this.plants.get(plant);
    if (record === undefined) return failure('plant_not_found', `plant ${plant} not found`);
    const known = new Set(record.problem.workOrders.map((o) => o.id));
    const unknown = (request.priorities ?? []).findIndex((p) => !known.has(p.workOrder));
    if (unknown >= 0) {
      return failure('work_order_not_found', 'what-if names an unknown work order', `body.priorities[${unknown}].workOrder`);
    }
    const base = record.schedule;
    const trial = scheduleVersion(plant, (base?.version ?? 0) + 1, request.reason ?? 'what-if');
    const before = base?.orders[0];
    return {
      ok: true,
      value: {
        kpis: trial.kpis,
        baseKpis: base?.kpis ?? null,
        changes: [
          {
            workOrder: 'WO1',
            before: before ? { plannedStart: before.plannedStart, plannedEnd: before.plannedEnd, dispatchPriority: before.dispatchPriority } : null,
            after: { plannedStart: '2026-11-23T08:00:00.000Z', plannedEnd: '2026-11-23T10:00:00.000Z', dispatchPriority: 1 },
          },
        ],
        operations: trial.operations,
        orders: trial.orders,
        problems: trial.problems,
      },
    };
  }

  readonly pins = new Map<string, PinRequest>();

  async pinOperation(plant: string, workOrder: string, operation: string, pin: PinRequest | null): Promise<Result<PinView>> {
    const order = this.plants.get(plant)?.problem.workOrders.find((o) => o.id === workOrder);
    if (order === undefined) return failure('work_order_not_found', `work order ${workOrder} not found`, 'params.id');
    if (!order.operations.some((op) => op.id === operation)) return failure('operation_not_found', `no operation ${operation}`, 'params.op');
    const key = `${plant}/${workOrder}/${operation}`;
    if (pin === null) this.pins.delete(key);
    else this.pins.set(key, pin);
    return { ok: true, value: { workOrder, operation, pin } };
  }

  async workOrder(plant: string, id: string): Promise<Result<WorkOrderView>> {
    const record = this.plants.get(plant);
    const order = record?.problem.workOrders.find((o) => o.id === id);
    if (record === undefined || order === undefined) return failure('work_order_not_found', `work order ${id} not found`, 'params.id');
    const scheduled = record.schedule?.orders.find((o) => o.workOrder === id);
    return {
      ok: true,
      value: {
        workOrder: id,
        item: order.item,
        quantity: order.quantity,
        due: order.due,
        priority: order.priority ?? 1,
        status: order.status ?? 'released',
        scheduleVersion: record.schedule?.version ?? null,
        plannedStart: scheduled?.plannedStart ?? null,
        plannedEnd: scheduled?.plannedEnd ?? null,
        latenessMinutes: scheduled?.latenessMinutes ?? null,
        dispatchPriority: scheduled?.dispatchPriority ?? null,
        reasons: scheduled?.reasons ?? [],
        operations: record.schedule?.operations.filter((o) => o.workOrder === id) ?? [],
        problems: [],
      },
    };
  }

  async dispatchList(plant: string, workCenter: string, horizonHours: number): Promise<Result<DispatchListView>> {
    const record = this.plants.get(plant);
    if (record === undefined) return failure('plant_not_found', `plant ${plant} not found`);
    if (!record.problem.workCenters.some((wc) => wc.id === workCenter)) {
      return failure('work_center_not_found', `work center ${workCenter} not found`, 'params.wc');
    }
    const schedule = record.schedule;
    if (schedule === null) return failure('schedule_not_found', `plant ${plant} has no schedule yet`);
    const until = Date.parse(schedule.now) + horizonHours * 3_600_000;
    const entries = schedule.operations
      .filter((op) => op.workCenter === workCenter && Date.parse(op.start) < until)
      .map((op) => ({
        workOrder: op.workOrder,
        operation: op.operation,
        unit: op.unit,
        plannedStart: op.start,
        plannedEnd: op.end,
        quantity: op.quantity,
        materialReady: Date.parse(op.materialReadyAt) <= Date.parse(op.start),
        materialReadyAt: op.materialReadyAt,
        dispatchPriority: schedule.orders.find((o) => o.workOrder === op.workOrder)?.dispatchPriority ?? 0,
      }));
    return { ok: true, value: { plant, workCenter, scheduleVersion: schedule.version, entries } };
  }

  // Publishing and policies are tested against the real core (test/api/publishing.test.ts).
  async proposal(): Promise<Result<ProposalView | null>> {
    return { ok: true, value: null };
  }

  async decide(plant: string, version: number): Promise<Result<DecisionView>> {
    return { ok: false, code: 'version_not_found', message: `plant "${plant}" has no version ${version}`, field: 'params.version' };
  }

  async policy(): Promise<Result<PlantPolicyView>> {
    return { ok: true, value: { publishing: 'auto', writeback: { orderMoveMinutes: 15, operationMoveMinutes: 15, priorityBoundaries: [10, 50, 200] } } };
  }

  async setPolicy(_plant: string, policy: PlantPolicyView): Promise<Result<PlantPolicyView>> {
    return { ok: true, value: policy };
  }

  async plantState(plant: string): Promise<Result<PlantView>> {
    const record = this.plants.get(plant);
    if (record === undefined) return failure('plant_not_found', `plant ${plant} not found`);
    return { ok: true, value: { plant, timeZone: record.problem.plant.timeZone, problem: record.problem } };
  }

  async syncStatus(): Promise<SyncStatusView> {
    return {
      sources: [{ source: 'erp', plant: null, lastEventAt: '2026-11-23T06:59:00.000Z', lagSeconds: 60, cursor: 'c-42' }],
      queues: [{ name: 'reschedule', waiting: 1, active: 0, failed: 0 }],
      outboxBacklog: 3,
      outboxBacklogAgeSeconds: 42,
      writebacksConfigured: true,
      connections: [{ connection: 'generic', state: 'closed', failures: 0, failingSince: null, nextProbeAt: null, lastError: null }],
      deadLetters: this.deadLetterRows.size,
      plants: [...this.plants].map(([plant, r]) => ({
        plant,
        dirty: false,
        lastVersion: r.schedule?.version ?? null,
        lastVersionAt: r.schedule?.createdAt ?? null,
      })),
    };
  }

  async replayDeadLetters(): Promise<BulkReplayView> {
    return { matched: 0, requeued: 0, refused: [] };
  }

  async deadLetters(): Promise<readonly DeadLetterView[]> {
    return [...this.deadLetterRows.values()];
  }

  async replayDeadLetter(id: string): Promise<Result<{ readonly id: string; readonly requeued: true }>> {
    if (!this.deadLetterRows.delete(id)) return failure('dead_letter_not_found', `dead letter ${id} not found`, 'params.id');
    this.replayed.push(id);
    return { ok: true, value: { id, requeued: true } };
  }

  async ready(): Promise<{ readonly database: boolean; readonly queue: boolean }> {
    return this.readiness;
  }

  async metrics(): Promise<string> {
    return `# HELP takt_events_ingested_total Events accepted.\n# TYPE takt_events_ingested_total counter\ntakt_events_ingested_total ${this.ingested.length}\n`;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
