/**
 * The store's schema as Kysely sees it. Timestamps are `timestamptz` (read back as `Date`);
 * quantities are `double precision` (read back as `number` on both pg and PGlite); jsonb
 * columns are written as JSON text (`toJson`) and read back parsed.
 */
import type { ColumnType, Generated, Insertable, Kysely, Selectable } from 'kysely';
import type {
  CalendarException, DowntimeSpec, LotStatus, Objective, OperationMode, ShiftSpec, StandardOperationRef,
} from '../../scheduler/problem.ts';

/** A timestamptz column: written as a Date or an ISO string, read as a Date. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A jsonb column: written as JSON text, read as the parsed value. */
export type Json<T> = ColumnType<T, string, string>;

export interface PlantsTable {
  id: string;
  name: string | null;
  time_zone: string;
  frozen_window_minutes: number | null;
  /** The rest of PlantSettings (horizon, objective). */
  settings: Json<{ horizonDays?: number; objective?: Objective }>;
  updated_at: Generated<Date>;
}

export interface CalendarsTable {
  plant: string;
  id: string;
  shifts: Json<readonly ShiftSpec[]>;
  exceptions: Json<readonly CalendarException[]>;
  always_open: boolean;
  updated_at: Generated<Date>;
}

export interface WorkCentersTable {
  plant: string;
  id: string;
  name: string | null;
  units: number;
  calendar: string;
  /** Downtimes that come with the work center's master data (planned maintenance). */
  planned_downtimes: Json<readonly DowntimeSpec[]>;
  updated_at: Generated<Date>;
}

export interface ItemsTable {
  plant: string;
  id: string;
  name: string | null;
  uom: string | null;
  updated_at: Generated<Date>;
}

export interface WorkOrdersTable {
  plant: string;
  id: string;
  item: string;
  quantity: number;
  due: Timestamp;
  release_at: Timestamp | null;
  priority: number | null;
  /** The ERP's status; null when the ERP gave none (an open order). */
  status: string | null;
  updated_at: Generated<Date>;
}

/** The routing, one row per operation in order (`seq`). */
export interface WorkOrderOperationsTable {
  plant: string;
  work_order: string;
  id: string;
  seq: number;
  name: string | null;
  /** The primary work center (first mode), for queries by work center. */
  work_center: string;
  modes: Json<readonly OperationMode[]>;
  min_wait_after_minutes: number | null;
  non_interruptible: boolean | null;
  /** Set when the operation's times come from `operation_times` (then `modes` is empty). */
  standard: ColumnType<StandardOperationRef | null, string | null | undefined, string | null>;
}

/** Standard times of routing operations (takt-owned master data), keyed by operation and scope. */
export interface OperationTimesTable {
  plant: string;
  key: string;
  operation: string;
  work_center: string | null;
  category: string | null;
  setup_minutes: number | null;
  run_minutes_per_unit: number;
  min_wait_after_minutes: number | null;
  non_interruptible: boolean | null;
  updated_at: Generated<Date>;
}

/** Per ERP object a connection has read: see sync/connectors/connector.ts (ErpLink). */
export interface ErpLinksTable {
  connection: string;
  plant: string;
  kind: string;
  key: string;
  ref: Json<unknown>;
  stamp: string | null;
  held: Json<unknown>;
  /** What takt is writing (set before the write, cleared once it is confirmed). */
  pending: ColumnType<unknown, string | null | undefined, string | null>;
  /** After takt's own last write: what the ERP then held, its stamp, and the stamp it was written over. */
  written_held: ColumnType<unknown, string | null | undefined, string | null>;
  written_stamp: ColumnType<string | null, string | null | undefined, string | null>;
  written_from: ColumnType<string | null, string | null | undefined, string | null>;
  memo: Json<unknown>;
  /** Digest of the canonical event last ingested for the object: an unchanged one is not sent again. */
  digest: string;
  /** The version of that event (the object's version in the inbox). */
  version: ColumnType<string, number | string | bigint, number | string | bigint>;
  /** A read of it raced a write-back and was not applied: the next read takes it again. */
  reread: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface WorkOrderMaterialsTable {
  plant: string;
  work_order: string;
  seq: number;
  item: string;
  quantity: number;
  operation: string | null;
}

export interface LotsTable {
  plant: string;
  id: string;
  item: string;
  quantity: number;
  status: LotStatus;
  expires_at: Timestamp | null;
  /** The receipt this lot arrived as, if any. */
  receipt: string | null;
  updated_at: Generated<Date>;
}

export type ReceiptStatus = 'expected' | 'arrived' | 'cancelled';

export interface ReceiptsTable {
  plant: string;
  id: string;
  item: string;
  quantity: number;
  expected_at: Timestamp;
  status: ReceiptStatus;
  arrived_at: Timestamp | null;
  updated_at: Generated<Date>;
}

export type HoldTargetKind = 'lot' | 'item' | 'work_order';

export interface HoldsTable {
  plant: string;
  id: string;
  target_kind: HoldTargetKind;
  target_id: string;
  reason: string | null;
  active: boolean;
  placed_at: Timestamp;
  released_at: Timestamp | null;
}

/** Breakdowns reported by the MES; `end_at` is the expected end while `open`. */
export interface DowntimesTable {
  plant: string;
  id: string;
  work_center: string;
  unit: number | null;
  start_at: Timestamp;
  end_at: Timestamp;
  reason: string | null;
  open: boolean;
  updated_at: Generated<Date>;
}

export type ProgressStatus = 'started' | 'completed';

export interface OperationProgressTable {
  plant: string;
  work_order: string;
  operation: string;
  status: ProgressStatus;
  work_center: string | null;
  unit: number | null;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  /** Cumulative quantities reported so far. */
  quantity_good: number;
  quantity_scrap: number;
  updated_at: Generated<Date>;
}

export interface PinsTable {
  plant: string;
  work_order: string;
  operation: string;
  work_center: string;
  unit: number | null;
  start_at: Timestamp;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** The last version each source stamped on an object, for stale detection. */
export interface ObjectVersionsTable {
  source: string;
  plant: string;
  kind: string;
  key: string;
  version: number;
  /** The type and data digest of the event that stamped this version (null before 0006). */
  event_type: string | null;
  digest: string | null;
  updated_at: Generated<Date>;
}

export type InboxOutcome = 'accepted' | 'stale';

export interface InboxTable {
  source: string;
  event_id: string;
  type: string;
  plant: string;
  version: number;
  occurred_at: Timestamp;
  received_at: Generated<Date>;
  payload: Json<unknown>;
  outcome: InboxOutcome;
  key_id: string | null;
}

export interface PlantStateTable {
  plant: string;
  dirty: boolean;
  dirty_since: Timestamp | null;
  /** Bumped by every marking; a plan run clears `dirty` only if it is unchanged since its snapshot. */
  generation: Generated<number>;
  last_event_at: Timestamp | null;
  last_version: number | null;
  last_version_at: Timestamp | null;
  /** The last accepted event that marked the plant dirty: the correlation id of the next plan run. */
  cause_event: string | null;
}

export interface ScheduleVersionsTable {
  plant: string;
  version: number;
  created_at: Generated<Date>;
  now: Timestamp;
  reason: string;
  status: string;
  kpis: Json<unknown>;
  /** The SolveResult (operations, orders, problems, stats). */
  result: Json<unknown>;
  /** `published` (written back, served to the MES), `proposed` (awaiting a planner), `discarded`, `superseded`. */
  state: ColumnType<ScheduleState, ScheduleState | undefined, ScheduleState>;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** The plant's generation the run read (an approval after newer events is refused). */
  generation: ColumnType<number | null, number | null | undefined, number | null>;
}

export type ScheduleState = 'published' | 'proposed' | 'discarded' | 'superseded';

/** Takt-owned per plant: how versions are published and what a material change is. */
export interface PlantPoliciesTable {
  plant: string;
  policy: Json<unknown>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

/** Per ERP connection (or `generic`): a circuit breaker shared by every worker. */
export interface ErpHealthTable {
  connection: string;
  /** `closed` (calls go through), `open` (only a probe at `next_probe_at`), `half-open` (a probe is out). */
  state: Generated<'closed' | 'open' | 'half-open'>;
  failures: Generated<number>;
  failing_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  next_probe_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  probe_owner: string | null;
  last_error: string | null;
  updated_at: Generated<Date>;
}

/** `conflict`: the ERP changed the order after the snapshot it was planned from; not written (a re-plan follows). */
export type OutboxStatus = 'pending' | 'delivered' | 'dead' | 'skipped' | 'conflict';

export interface OutboxTable {
  id: string;
  plant: string;
  work_order: string;
  schedule_version: number;
  idempotency_key: string;
  payload: Json<unknown>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Timestamp | null;
  /** Set while a worker delivers the row: a newer row of the order waits until it is done. */
  in_flight_until: Timestamp | null;
  /** The event whose change led to this write-back (logs follow it through). */
  correlation_id: string | null;
  /** The order's ERP link as of the planned snapshot (connectors' change-stamp guard); null without one. */
  erp_basis: ColumnType<unknown, string | null | undefined, string | null>;
  /** The outage window runs from here (null: from `created_at`); a replay starts it again. */
  retry_window_from: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface DeadLettersTable {
  id: string;
  kind: string;
  plant: string | null;
  key: string;
  error: string;
  attempts: number;
  payload: Json<unknown>;
  created_at: Generated<Date>;
  replayed_at: Timestamp | null;
}

export interface FeedCursorsTable {
  source: string;
  feed: string;
  cursor: string | null;
  updated_at: Generated<Date>;
  /** The worker reading the source now, and until when (it renews while it reads). */
  lease_owner: ColumnType<string | null, string | null | undefined, string | null>;
  lease_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  /** sha256 hex of the whole token; the token itself is never stored. */
  key_hash: string;
  scopes: Json<readonly string[]>;
  /** null: every plant. */
  plants: Json<readonly string[] | null>;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
}

/** Outbound webhook subscribers (migration 0005). Secrets are stored as is: takt signs with them. */
export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  description: string | null;
  /** SQL null: every plant. */
  plants: ColumnType<readonly string[] | null, string | null, string | null>;
  /** SQL null: every event type. */
  event_types: ColumnType<readonly string[] | null, string | null, string | null>;
  secret: string;
  /** The secret before the last rotation: deliveries are signed with it too until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: Timestamp | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  secret_rotated_at: Timestamp | null;
}

/** One event for one subscriber: the outbox of outbound webhooks. */
export interface WebhookDeliveriesTable {
  id: string;
  subscription: string;
  event_id: string;
  type: string;
  plant: string;
  payload: Json<unknown>;
  status: ColumnType<'pending' | 'delivered' | 'dead', 'pending' | 'delivered' | 'dead' | undefined, 'pending' | 'delivered' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  /** A dispatcher's lease while it delivers the row. */
  in_flight_until: Timestamp | null;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Timestamp | null;
  /** Where the retry window runs from: the creation, or the last replay. */
  retry_window_from: Generated<Date>;
}

export interface Database {
  plants: PlantsTable;
  calendars: CalendarsTable;
  work_centers: WorkCentersTable;
  items: ItemsTable;
  work_orders: WorkOrdersTable;
  work_order_operations: WorkOrderOperationsTable;
  work_order_materials: WorkOrderMaterialsTable;
  lots: LotsTable;
  receipts: ReceiptsTable;
  holds: HoldsTable;
  downtimes: DowntimesTable;
  operation_progress: OperationProgressTable;
  pins: PinsTable;
  object_versions: ObjectVersionsTable;
  inbox: InboxTable;
  plant_state: PlantStateTable;
  schedule_versions: ScheduleVersionsTable;
  outbox: OutboxTable;
  dead_letters: DeadLettersTable;
  feed_cursors: FeedCursorsTable;
  api_keys: ApiKeysTable;
  operation_times: OperationTimesTable;
  erp_links: ErpLinksTable;
  plant_policies: PlantPoliciesTable;
  erp_health: ErpHealthTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

/** The database or a transaction on it; repositories take either. */
export type Db = Kysely<Database>;

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;

/** JSON text for a jsonb column (pg would turn a bare JS array into a Postgres array). */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** A timestamptz read back from either driver, as an ISO instant in UTC. */
export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
