/**
 * TypeBox schemas of the event envelope and of each event type's `data`. The data shapes mirror
 * scheduler/problem.ts (a `work_order.upserted` carries a WorkOrderSpec, a `calendar.upserted` a
 * CalendarSpec, …) so events are easy to write. Every object is closed (additionalProperties:
 * false). api/ reuses these for request validation and OpenAPI docs. Only the standard formats
 * `date-time` and `date` are used, and registered here for TypeBox with strict checks.
 */
import { FormatRegistry, Type, type Static, type TObject } from '@sinclair/typebox';
import type { Source } from '../ports.ts';
import { INSTANT_PATTERN, LOCAL_DATE_PATTERN, LOCAL_TIME_PATTERN, isIsoInstant, isLocalDate } from './formats.ts';

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isIsoInstant);
if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', isLocalDate);

const closed = { additionalProperties: false } as const;

export const Key = Type.String({ minLength: 1, maxLength: 200, description: 'An identifier from the source system' });
export const Instant = Type.String({
  format: 'date-time', pattern: INSTANT_PATTERN,
  description: 'ISO-8601 instant with an offset, e.g. 2026-11-22T08:00:00Z', examples: ['2026-11-22T08:00:00Z'],
});
const LocalDate = Type.String({ format: 'date', pattern: LOCAL_DATE_PATTERN, description: 'Local date YYYY-MM-DD in the plant zone' });
const LocalTime = Type.String({ pattern: LOCAL_TIME_PATTERN, description: 'Local wall-clock time HH:mm (24:00 allowed as an end)' });
const Quantity = Type.Number({ minimum: 0, description: 'A finite quantity, at least 0' });
const PositiveQuantity = Type.Number({ exclusiveMinimum: 0, description: 'A finite quantity, more than 0' });
const Minutes = Type.Number({ minimum: 0 });
const Unit = Type.Integer({ minimum: 1, description: '1-based unit of the work center' });
const Text = Type.String({ maxLength: 2000 });
const Weekday = Type.Union([
  Type.Literal('mon'), Type.Literal('tue'), Type.Literal('wed'), Type.Literal('thu'),
  Type.Literal('fri'), Type.Literal('sat'), Type.Literal('sun'),
]);

// ---- erp ----------------------------------------------------------------------------------

export const PlantUpserted = Type.Object({
  id: Key,
  name: Type.Optional(Text),
  timeZone: Type.String({ minLength: 1, description: 'IANA zone, e.g. Europe/Berlin' }),
  frozenWindowMinutes: Type.Optional(Type.Integer({ minimum: 0 })),
  horizonDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660 })),
  objective: Type.Optional(Type.Union([Type.Literal('weighted-tardiness'), Type.Literal('makespan')])),
}, { ...closed, description: 'PlantSettings; `id` must equal the envelope plant' });

const Shift = Type.Object({ days: Type.Array(Weekday, { minItems: 1 }), start: LocalTime, end: LocalTime }, closed);
const ExceptionShift = Type.Object({ start: LocalTime, end: LocalTime }, closed);

export const CalendarUpserted = Type.Object({
  id: Key,
  shifts: Type.Array(Shift),
  exceptions: Type.Optional(Type.Array(Type.Object({ date: LocalDate, shifts: Type.Array(ExceptionShift), reason: Type.Optional(Text) }, closed))),
  alwaysOpen: Type.Optional(Type.Boolean()),
}, { ...closed, description: 'CalendarSpec' });

export const PlannedDowntime = Type.Object({
  id: Type.Optional(Key), start: Instant, end: Instant, unit: Type.Optional(Unit), reason: Type.Optional(Text),
}, closed);

export const WorkCenterUpserted = Type.Object({
  id: Key,
  name: Type.Optional(Text),
  units: Type.Integer({ minimum: 1, maximum: 1000 }),
  calendar: Key,
  downtimes: Type.Optional(Type.Array(PlannedDowntime, { description: 'Planned maintenance; replaces the stored list' })),
}, { ...closed, description: 'WorkCenterSpec' });

export const ItemUpserted = Type.Object({ id: Key, name: Type.Optional(Text), uom: Type.Optional(Type.String({ maxLength: 20 })) }, { ...closed, description: 'ItemSpec' });

export const OperationModeSchema = Type.Object({
  workCenter: Key, setupMinutes: Type.Optional(Minutes), runMinutesPerUnit: Minutes,
}, closed);

export const StandardOperationSchema = Type.Object({
  operation: Key,
  category: Type.Optional(Key),
  workCenters: Type.Optional(Type.Array(Key, { description: 'Candidates, preferred first; unknown ones are left out when planning' })),
}, { ...closed, description: 'Times from operation_time.upserted instead of modes (an ERP that holds routings but no times)' });

export const WorkOrderUpserted = Type.Object({
  id: Key,
  item: Key,
  quantity: PositiveQuantity,
  due: Instant,
  release: Type.Optional(Instant),
  priority: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Higher is more urgent; the tardiness weight (default 1)' })),
  status: Type.Optional(Type.Union([
    Type.Literal('planned'), Type.Literal('released'), Type.Literal('started'),
    Type.Literal('completed'), Type.Literal('cancelled'), Type.Literal('closed'),
  ])),
  operations: Type.Array(Type.Object({
    id: Key,
    name: Type.Optional(Text),
    modes: Type.Optional(Type.Array(OperationModeSchema, { minItems: 1, description: 'Primary work center first, then alternates' })),
    standard: Type.Optional(StandardOperationSchema),
    minWaitAfterMinutes: Type.Optional(Minutes),
    nonInterruptible: Type.Optional(Type.Boolean()),
  }, closed), { minItems: 1 }),
  materials: Type.Optional(Type.Array(Type.Object({ item: Key, quantity: Quantity, operation: Type.Optional(Key) }, closed))),
}, { ...closed, description: 'WorkOrderSpec without shop-floor state (status, progress and pins of operations come from the MES and planners)' });

export const OperationTimeUpserted = Type.Object({
  operation: Key,
  workCenter: Type.Optional(Key),
  category: Type.Optional(Key),
  setupMinutes: Type.Optional(Minutes),
  runMinutesPerUnit: Minutes,
  minWaitAfterMinutes: Type.Optional(Minutes),
  nonInterruptible: Type.Optional(Type.Boolean()),
}, { ...closed, description: 'OperationTimeSpec: a standard time of a routing operation on a work center, a category, or any work center (takt-owned master data)' });

export const WorkOrderCancelled = Type.Object({ id: Key, reason: Type.Optional(Text) }, closed);

export const ReceiptUpserted = Type.Object({ id: Key, item: Key, quantity: Quantity, expectedAt: Instant }, { ...closed, description: 'ReceiptSpec' });
export const ReceiptCancelled = Type.Object({ id: Key, reason: Type.Optional(Text) }, closed);

// ---- wms ----------------------------------------------------------------------------------

export const LotUpserted = Type.Object({
  id: Key, item: Key, quantity: Quantity,
  status: Type.Union([Type.Literal('available'), Type.Literal('held'), Type.Literal('blocked')]),
  expiresAt: Type.Optional(Instant),
}, { ...closed, description: 'LotSpec' });

export const ReceiptArrived = Type.Object({
  receipt: Key,
  lot: Type.Optional(Key),
  quantity: Type.Optional(Quantity),
  arrivedAt: Type.Optional(Instant),
  expiresAt: Type.Optional(Instant),
}, { ...closed, description: 'The receipt becomes an available lot (id `lot`, default the receipt id; quantity default the expected one)' });

// ---- qms ----------------------------------------------------------------------------------

export const HoldPlaced = Type.Object({
  id: Key,
  target: Type.Object({ kind: Type.Union([Type.Literal('lot'), Type.Literal('item'), Type.Literal('work_order')]), id: Key }, closed),
  reason: Type.Optional(Text),
}, { ...closed, description: 'HoldSpec' });
export const HoldReleased = Type.Object({ id: Key, reason: Type.Optional(Text) }, closed);

// ---- mes ----------------------------------------------------------------------------------

export const OperationStarted = Type.Object({
  workOrder: Key, operation: Key, workCenter: Key, unit: Type.Optional(Unit), startedAt: Type.Optional(Instant),
}, { ...closed, description: 'startedAt defaults to occurredAt' });

export const OperationProgressed = Type.Object({
  workOrder: Key, operation: Key,
  quantityGood: Quantity,
  quantityScrap: Type.Optional(Quantity),
  workCenter: Type.Optional(Key), unit: Type.Optional(Unit),
}, { ...closed, description: 'Cumulative quantities so far; workCenter needed only if no start was reported' });

export const OperationCompleted = Type.Object({
  workOrder: Key, operation: Key,
  quantityGood: Type.Optional(Quantity),
  quantityScrap: Type.Optional(Quantity),
  workCenter: Type.Optional(Key), unit: Type.Optional(Unit),
  completedAt: Type.Optional(Instant),
}, { ...closed, description: 'completedAt defaults to occurredAt' });

export const DowntimeStarted = Type.Object({
  id: Key, workCenter: Key, unit: Type.Optional(Unit), start: Type.Optional(Instant), expectedEnd: Instant, reason: Type.Optional(Text),
}, { ...closed, description: 'An open breakdown; start defaults to occurredAt' });
export const DowntimeEnded = Type.Object({ id: Key, end: Type.Optional(Instant) }, { ...closed, description: 'end defaults to occurredAt' });

// ---- registry -----------------------------------------------------------------------------

export const eventDataSchemas = {
  'plant.upserted': PlantUpserted,
  'calendar.upserted': CalendarUpserted,
  'work_center.upserted': WorkCenterUpserted,
  'item.upserted': ItemUpserted,
  'operation_time.upserted': OperationTimeUpserted,
  'work_order.upserted': WorkOrderUpserted,
  'work_order.cancelled': WorkOrderCancelled,
  'receipt.upserted': ReceiptUpserted,
  'receipt.cancelled': ReceiptCancelled,
  'lot.upserted': LotUpserted,
  'receipt.arrived': ReceiptArrived,
  'hold.placed': HoldPlaced,
  'hold.released': HoldReleased,
  'operation.started': OperationStarted,
  'operation.progressed': OperationProgressed,
  'operation.completed': OperationCompleted,
  'downtime.started': DowntimeStarted,
  'downtime.ended': DowntimeEnded,
} as const satisfies Record<string, TObject>;

export type EventType = keyof typeof eventDataSchemas;
export type EventData<T extends EventType> = Static<(typeof eventDataSchemas)[T]>;

/** Which source may send which type (design.md, Events). */
export const eventSources: Readonly<Record<EventType, Source>> = {
  'plant.upserted': 'erp',
  'calendar.upserted': 'erp',
  'work_center.upserted': 'erp',
  'item.upserted': 'erp',
  'operation_time.upserted': 'erp',
  'work_order.upserted': 'erp',
  'work_order.cancelled': 'erp',
  'receipt.upserted': 'erp',
  'receipt.cancelled': 'erp',
  'lot.upserted': 'wms',
  'receipt.arrived': 'wms',
  'hold.placed': 'qms',
  'hold.released': 'qms',
  'operation.started': 'mes',
  'operation.progressed': 'mes',
  'operation.completed': 'mes',
  'downtime.started': 'mes',
  'downtime.ended': 'mes',
};

export const EVENT_TYPES = Object.keys(eventDataSchemas) as readonly EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventDataSchemas, type);
}

export const SourceSchema = Type.Union([Type.Literal('erp'), Type.Literal('wms'), Type.Literal('qms'), Type.Literal('mes')]);

/** The envelope; `data` is checked per type afterwards so that its errors carry a precise path. */
export const EventEnvelopeSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200, description: 'Unique per source: (source, id) is the idempotency key' }),
  source: SourceSchema,
  type: Type.String({ minLength: 1, maxLength: 100, description: EVENT_TYPES.join(', ') }),
  plant: Key,
  occurredAt: Instant,
  version: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "The source's change stamp for the object; older than stored is stale" }),
  data: Type.Record(Type.String(), Type.Unknown()),
}, closed);

export const EventBatchSchema = Type.Object({ events: Type.Array(EventEnvelopeSchema, { minItems: 1, maxItems: 1000 }) }, closed);

export const EventOutcomeSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('stale'), Type.Literal('rejected')]),
  storedVersion: Type.Optional(Type.Integer()),
  code: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});
