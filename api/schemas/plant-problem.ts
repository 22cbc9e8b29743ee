/** Response schema of the plant's problem (mirrors scheduler/problem.ts) for the board. */
import { Type } from '@sinclair/typebox';
import { Instant, ReadonlyArrayOf } from './common.ts';

const LocalTime = Type.String({ pattern: '^\\d{2}:\\d{2}$' });
const Weekday = Type.Union([
  Type.Literal('mon'),
  Type.Literal('tue'),
  Type.Literal('wed'),
  Type.Literal('thu'),
  Type.Literal('fri'),
  Type.Literal('sat'),
  Type.Literal('sun'),
]);

const PlantSettings = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  timeZone: Type.String(),
  frozenWindowMinutes: Type.Optional(Type.Number()),
  horizonDays: Type.Optional(Type.Number()),
  objective: Type.Optional(Type.Union([Type.Literal('weighted-tardiness'), Type.Literal('makespan')])),
});

const Calendar = Type.Object({
  id: Type.String(),
  shifts: ReadonlyArrayOf(Type.Object({ days: ReadonlyArrayOf(Weekday), start: LocalTime, end: LocalTime })),
  exceptions: Type.Optional(
    ReadonlyArrayOf(
      Type.Object({
        date: Type.String(),
        shifts: ReadonlyArrayOf(Type.Object({ start: LocalTime, end: LocalTime })),
        reason: Type.Optional(Type.String()),
      }),
    ),
  ),
  alwaysOpen: Type.Optional(Type.Boolean()),
});

const Downtime = Type.Object({
  id: Type.Optional(Type.String()),
  start: Instant,
  end: Instant,
  unit: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String()),
});

const WorkCenter = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  units: Type.Integer(),
  calendar: Type.String(),
  downtimes: Type.Optional(ReadonlyArrayOf(Downtime)),
});

const Operation = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  modes: ReadonlyArrayOf(
    Type.Object({ workCenter: Type.String(), setupMinutes: Type.Optional(Type.Number()), runMinutesPerUnit: Type.Number() }),
  ),
  standard: Type.Optional(Type.Object({
    operation: Type.String(), category: Type.Optional(Type.String()), workCenters: Type.Optional(ReadonlyArrayOf(Type.String())),
  })),
  minWaitAfterMinutes: Type.Optional(Type.Number()),
  nonInterruptible: Type.Optional(Type.Boolean()),
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('started'), Type.Literal('completed')])),
  progress: Type.Optional(
    Type.Object({
      workCenter: Type.String(),
      unit: Type.Optional(Type.Integer()),
      startedAt: Type.Optional(Instant),
      quantityDone: Type.Optional(Type.Number()),
    }),
  ),
  pin: Type.Optional(Type.Object({ workCenter: Type.String(), unit: Type.Optional(Type.Integer()), start: Instant })),
});

const WorkOrderStatus = Type.Union([
  Type.Literal('planned'),
  Type.Literal('released'),
  Type.Literal('started'),
  Type.Literal('completed'),
  Type.Literal('cancelled'),
  Type.Literal('closed'),
]);

const WorkOrder = Type.Object({
  id: Type.String(),
  item: Type.String(),
  quantity: Type.Number(),
  due: Instant,
  release: Type.Optional(Instant),
  priority: Type.Optional(Type.Number()),
  status: Type.Optional(WorkOrderStatus),
  operations: ReadonlyArrayOf(Operation),
  materials: Type.Optional(
    ReadonlyArrayOf(Type.Object({ item: Type.String(), quantity: Type.Number(), operation: Type.Optional(Type.String()) })),
  ),
});

const HoldTarget = Type.Union([
  Type.Object({ kind: Type.Literal('lot'), id: Type.String() }),
  Type.Object({ kind: Type.Literal('item'), id: Type.String() }),
  Type.Object({ kind: Type.Literal('work_order'), id: Type.String() }),
]);

export const PlantProblemSchema = Type.Object(
  {
    plant: PlantSettings,
    now: Type.Optional(Instant),
    calendars: ReadonlyArrayOf(Calendar),
    workCenters: ReadonlyArrayOf(WorkCenter),
    items: Type.Optional(
      ReadonlyArrayOf(Type.Object({ id: Type.String(), name: Type.Optional(Type.String()), uom: Type.Optional(Type.String()) })),
    ),
    workOrders: ReadonlyArrayOf(WorkOrder),
    lots: Type.Optional(
      ReadonlyArrayOf(
        Type.Object({
          id: Type.String(),
          item: Type.String(),
          quantity: Type.Number(),
          status: Type.Union([Type.Literal('available'), Type.Literal('held'), Type.Literal('blocked')]),
          expiresAt: Type.Optional(Instant),
        }),
      ),
    ),
    receipts: Type.Optional(
      ReadonlyArrayOf(Type.Object({ id: Type.String(), item: Type.String(), quantity: Type.Number(), expectedAt: Instant })),
    ),
    holds: Type.Optional(ReadonlyArrayOf(Type.Object({ id: Type.String(), target: HoldTarget, reason: Type.Optional(Type.String()) }))),
    operationTimes: Type.Optional(ReadonlyArrayOf(Type.Object({
      operation: Type.String(),
      workCenter: Type.Optional(Type.String()),
      category: Type.Optional(Type.String()),
      setupMinutes: Type.Optional(Type.Number()),
      runMinutesPerUnit: Type.Number(),
      minWaitAfterMinutes: Type.Optional(Type.Number()),
      nonInterruptible: Type.Optional(Type.Boolean()),
    }))),
    previous: Type.Optional(
      ReadonlyArrayOf(
        Type.Object({
          workOrder: Type.String(),
          operation: Type.String(),
          workCenter: Type.String(),
          unit: Type.Integer(),
          start: Instant,
          end: Instant,
        }),
      ),
    ),
  },
  { title: 'PlantProblem' },
);

export const PlantViewSchema = Type.Object(
  { plant: Type.String(), timeZone: Type.String(), problem: PlantProblemSchema },
  { title: 'PlantState' },
);

export const PlantListSchema = Type.Object({ plants: ReadonlyArrayOf(Type.String()) }, { title: 'PlantList' });
