/** Response schemas for schedules, what-ifs, work orders and dispatch lists (mirror scheduler/result.ts and sync/ports.ts). */
import { Type } from '@sinclair/typebox';
import { Instant, ReadonlyArrayOf } from './common.ts';

const NullableInstant = Type.Union([Instant, Type.Null()]);

export const WorkCenterKpiSchema = Type.Object({ workCenter: Type.String(), utilisation: Type.Number() });

export const KpisSchema = Type.Object(
  {
    orders: Type.Integer(),
    scheduledOrders: Type.Integer(),
    lateOrders: Type.Integer(),
    onTimeRate: Type.Number(),
    totalWeightedTardinessMinutes: Type.Number(),
    makespanMinutes: Type.Number(),
    totalFlowMinutes: Type.Number(),
    totalSetupMinutes: Type.Number(),
    operationsMoved: Type.Integer(),
    utilisation: ReadonlyArrayOf(WorkCenterKpiSchema),
  },
  { title: 'Kpis' },
);

export const ScheduledOperationSchema = Type.Object(
  {
    workOrder: Type.String(),
    operation: Type.String(),
    workCenter: Type.String(),
    unit: Type.Integer({ minimum: 1 }),
    start: Instant,
    end: Instant,
    workMinutes: Type.Number(),
    quantity: Type.Number(),
    fixedBy: Type.Union([Type.Literal('started'), Type.Literal('frozen'), Type.Literal('pinned'), Type.Literal('planned')]),
    materialReadyAt: Type.String({ format: 'date-time', description: 'When every component it consumes is allocated and there.' }),
  },
  { title: 'ScheduledOperation' },
);

const FixedBy = Type.Union([Type.Literal('started'), Type.Literal('frozen'), Type.Literal('pinned')]);

const WaitMinutes = Type.Integer({ minimum: 0, description: 'How long this constraint held the operation back from when it was otherwise ready; the longest binds most' });

export const ReasonLinkSchema = Type.Union(
  [
    Type.Object({ kind: Type.Literal('release'), operation: Type.String(), at: Instant, waitMinutes: Type.Optional(WaitMinutes) }),
    Type.Object({ kind: Type.Literal('now'), operation: Type.String(), at: Instant }),
    Type.Object({ kind: Type.Literal('predecessor'), operation: Type.String(), after: Type.String(), at: Instant }),
    Type.Object({
      kind: Type.Literal('material'), operation: Type.String(), item: Type.String(), source: Type.String(), at: Instant, waitMinutes: Type.Optional(WaitMinutes),
      stockTakenBy: Type.Optional(ReadonlyArrayOf(Type.String(), { description: 'Other orders that got this item\'s stock there before `at` (the first five)' })),
    }),
    Type.Object({
      kind: Type.Literal('capacity'),
      operation: Type.String(),
      workCenter: Type.String(),
      unit: Type.Integer(),
      behind: Type.String(),
      at: Instant,
      waitMinutes: Type.Optional(WaitMinutes),
    }),
    Type.Object({ kind: Type.Literal('calendar'), operation: Type.String(), workCenter: Type.String(), at: Instant, waitMinutes: Type.Optional(WaitMinutes) }),
    Type.Object({ kind: Type.Literal('fixed'), operation: Type.String(), by: FixedBy, at: Instant, waitMinutes: Type.Optional(WaitMinutes) }),
    Type.Object({ kind: Type.Literal('hold'), hold: Type.String() }),
    Type.Object({ kind: Type.Literal('shortage'), item: Type.String(), missing: Type.Number() }),
    Type.Object({ kind: Type.Literal('horizon'), operation: Type.String(), workCenter: Type.String() }),
  ],
  { title: 'ReasonLink' },
);

export const ScheduledOrderSchema = Type.Object(
  {
    workOrder: Type.String(),
    status: Type.Union([Type.Literal('scheduled'), Type.Literal('unscheduled'), Type.Literal('completed')]),
    plannedStart: NullableInstant,
    plannedEnd: NullableInstant,
    due: Instant,
    latenessMinutes: Type.Union([Type.Number(), Type.Null()]),
    dispatchPriority: Type.Integer(),
    reasons: ReadonlyArrayOf(ReasonLinkSchema),
  },
  { title: 'ScheduledOrder' },
);

export const ProblemSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('invalid-data'), path: Type.String(), message: Type.String(), entity: Type.Optional(Type.String()) }),
    Type.Object({ type: Type.Literal('unknown-reference'), path: Type.String(), kind: Type.String(), key: Type.String() }),
    Type.Object({
      type: Type.Literal('shortage'),
      workOrder: Type.String(),
      operation: Type.String(),
      item: Type.String(),
      missingQuantity: Type.Number(),
      earliestCoverAt: NullableInstant,
    }),
    Type.Object({ type: Type.Literal('hold'), workOrder: Type.String(), hold: Type.String(), reason: Type.Optional(Type.String()) }),
    Type.Object({ type: Type.Literal('beyond-horizon'), workOrder: Type.String(), operation: Type.String(), workCenter: Type.String() }),
    Type.Object({ type: Type.Literal('late'), workOrder: Type.String(), latenessMinutes: Type.Number() }),
    Type.Object({ type: Type.Literal('pin-conflict'), workOrder: Type.String(), operation: Type.String(), message: Type.String() }),
    Type.Object({ type: Type.Literal('precedence-violated-by-fixed'), workOrder: Type.String(), operation: Type.String(), after: Type.String() }),
    Type.Object({ type: Type.Literal('lot-expires'), workOrder: Type.String(), operation: Type.String(), lot: Type.String(), expiresAt: Instant }),
    Type.Object({
      type: Type.Literal('missing-operation-time'), workOrder: Type.String(), operation: Type.String(), standardOperation: Type.String(),
      category: Type.Optional(Type.String()), workCenters: ReadonlyArrayOf(Type.String()), message: Type.String(),
    }),
  ],
  { title: 'Problem' },
);

export const ScheduleVersionSchema = Type.Object(
  {
    plant: Type.String(),
    version: Type.Integer(),
    createdAt: Instant,
    now: Instant,
    reason: Type.String(),
    status: Type.String(),
    state: Type.Union([Type.Literal('published'), Type.Literal('proposed'), Type.Literal('discarded'), Type.Literal('superseded')], {
      description: 'published: written back and served to the MES; proposed: awaiting a planner (approve policy)',
    }),
    kpis: KpisSchema,
    operations: ReadonlyArrayOf(ScheduledOperationSchema),
    orders: ReadonlyArrayOf(ScheduledOrderSchema),
    problems: ReadonlyArrayOf(ProblemSchema),
  },
  { title: 'ScheduleVersion' },
);

const PlannedDates = Type.Union([
  Type.Object({
    plannedStart: NullableInstant,
    plannedEnd: NullableInstant,
    dispatchPriority: Type.Union([Type.Integer(), Type.Null()]),
  }),
  Type.Null(),
]);

export const OrderChangeSchema = Type.Object({ workOrder: Type.String(), before: PlannedDates, after: PlannedDates }, { title: 'OrderChange' });

export const WhatIfViewSchema = Type.Object(
  {
    kpis: KpisSchema,
    baseKpis: Type.Union([KpisSchema, Type.Null()]),
    changes: ReadonlyArrayOf(OrderChangeSchema),
    operations: ReadonlyArrayOf(ScheduledOperationSchema),
    orders: ReadonlyArrayOf(ScheduledOrderSchema),
    problems: ReadonlyArrayOf(ProblemSchema),
  },
  { title: 'WhatIf' },
);

export const WorkOrderViewSchema = Type.Object(
  {
    workOrder: Type.String(),
    item: Type.String(),
    quantity: Type.Number(),
    due: Instant,
    priority: Type.Number(),
    status: Type.String(),
    scheduleVersion: Type.Union([Type.Integer(), Type.Null()]),
    plannedStart: NullableInstant,
    plannedEnd: NullableInstant,
    latenessMinutes: Type.Union([Type.Number(), Type.Null()]),
    dispatchPriority: Type.Union([Type.Integer(), Type.Null()]),
    reasons: ReadonlyArrayOf(ReasonLinkSchema),
    operations: ReadonlyArrayOf(ScheduledOperationSchema),
    problems: ReadonlyArrayOf(ProblemSchema),
  },
  { title: 'WorkOrder' },
);

export const DispatchEntrySchema = Type.Object(
  {
    workOrder: Type.String(),
    operation: Type.String(),
    unit: Type.Integer(),
    plannedStart: Instant,
    plannedEnd: Instant,
    quantity: Type.Number(),
    materialReady: Type.Boolean(),
    materialReadyAt: NullableInstant,
    dispatchPriority: Type.Integer(),
  },
  { title: 'DispatchEntry' },
);

export const DispatchListSchema = Type.Object(
  {
    plant: Type.String(),
    workCenter: Type.String(),
    scheduleVersion: Type.Integer(),
    entries: ReadonlyArrayOf(DispatchEntrySchema),
  },
  { title: 'DispatchList' },
);
