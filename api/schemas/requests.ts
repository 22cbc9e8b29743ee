/** Request bodies and query strings of the plant routes. Unknown fields are rejected. */
import { Type } from '@sinclair/typebox';
import { Instant, Key as Id } from '../../sync/ingest/schemas.ts';
import { StringEnum } from './common.ts';

const strict = { additionalProperties: false } as const;

const rescheduleFields = {
  timeLimitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, description: 'Time limit of the whole solve in milliseconds, search included (at most a minute: a request is answered when the solve ends, and the plant waits meanwhile).' })),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
};

export const RescheduleBodySchema = Type.Object(rescheduleFields, { ...strict, title: 'RescheduleRequest' });

const HoldTarget = Type.Object(
  { kind: StringEnum(['lot', 'item', 'work_order']), id: Id },
  strict,
);

export const WhatIfBodySchema = Type.Object(
  {
    ...rescheduleFields,
    downtimes: Type.Optional(
      Type.Array(
        Type.Object({ workCenter: Id, start: Instant, end: Instant, unit: Type.Optional(Type.Integer({ minimum: 1 })) }, strict),
        { maxItems: 1000 },
      ),
    ),
    priorities: Type.Optional(Type.Array(Type.Object({ workOrder: Id, priority: Type.Number({ minimum: 0 }) }, strict), { maxItems: 10_000 })),
    quantities: Type.Optional(
      Type.Array(Type.Object({ workOrder: Id, quantity: Type.Number({ exclusiveMinimum: 0 }) }, strict), { maxItems: 10_000 }),
    ),
    receiptDates: Type.Optional(Type.Array(Type.Object({ receipt: Id, expectedAt: Instant }, strict), { maxItems: 10_000 })),
    holds: Type.Optional(Type.Array(Type.Object({ id: Id, target: HoldTarget }, strict), { maxItems: 10_000 })),
    releaseHolds: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
  },
  { ...strict, title: 'WhatIfRequest' },
);

export const WorkOrderParamsSchema = Type.Object({ plant: Id, id: Id });
export const OperationParamsSchema = Type.Object({ plant: Id, id: Id, op: Id });

export const PinBodySchema = Type.Object(
  {
    workCenter: Id,
    unit: Type.Optional(Type.Integer({ minimum: 1, description: '1-based unit; the first when absent' })),
    start: Instant,
  },
  { ...strict, title: 'Pin', description: 'Hold the operation to this work center (unit) and start; the next reschedule keeps it there.' },
);

export const PinViewSchema = Type.Object(
  { workOrder: Id, operation: Id, pin: Type.Union([PinBodySchema, Type.Null()]) },
  { title: 'PinView' },
);
export const WorkCenterParamsSchema = Type.Object({ plant: Id, wc: Id });

export const DEFAULT_DISPATCH_HORIZON_HOURS = 24;

export const DispatchQuerySchema = Type.Object(
  {
    horizonHours: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 720, default: DEFAULT_DISPATCH_HORIZON_HOURS, description: 'How far ahead to list, in hours.' }),
    ),
  },
  strict,
);
