/** Response schemas of the admin sync routes and the operational endpoints. */
import { Type } from '@sinclair/typebox';
import { Instant, ReadonlyArrayOf } from './common.ts';

const NullableInstant = Type.Union([Instant, Type.Null()]);

export const SyncStatusSchema = Type.Object(
  {
    sources: ReadonlyArrayOf(
      Type.Object({
        source: Type.String(),
        plant: Type.Union([Type.String(), Type.Null()]),
        lastEventAt: NullableInstant,
        lagSeconds: Type.Union([Type.Number(), Type.Null()]),
        cursor: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    queues: ReadonlyArrayOf(
      Type.Object({ name: Type.String(), waiting: Type.Integer(), active: Type.Integer(), failed: Type.Integer() }),
    ),
    writebacksConfigured: Type.Boolean({ description: 'Whether write-backs go anywhere (an ERP connection or ERP_WRITEBACK_URL); if not, they stay in the outbox' }),
    outboxBacklog: Type.Integer(),
    outboxBacklogAgeSeconds: Type.Union([Type.Integer(), Type.Null()], { description: 'How long the oldest undelivered write-back has waited' }),
    connections: ReadonlyArrayOf(
      Type.Object({
        connection: Type.String(),
        state: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open')], {
          description: 'closed: calls go through; open: the ERP is not answering, one probe at nextProbeAt; half-open: a probe is out',
        }),
        failures: Type.Integer(),
        failingSince: NullableInstant,
        nextProbeAt: NullableInstant,
        lastError: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    deadLetters: Type.Integer(),
    plants: ReadonlyArrayOf(
      Type.Object({
        plant: Type.String(),
        dirty: Type.Boolean(),
        lastVersion: Type.Union([Type.Integer(), Type.Null()]),
        lastVersionAt: NullableInstant,
      }),
    ),
  },
  { title: 'SyncStatus' },
);

export const DeadLetterSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    plant: Type.Union([Type.String(), Type.Null()]),
    key: Type.String(),
    error: Type.String(),
    attempts: Type.Integer(),
    createdAt: Instant,
    payload: Type.Unknown(),
  },
  { title: 'DeadLetter' },
);

export const DeadLetterListSchema = Type.Object({ deadLetters: ReadonlyArrayOf(DeadLetterSchema) }, { title: 'DeadLetterList' });

export const DeadLetterParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

export const ReplayResultSchema = Type.Object({ id: Type.String(), requeued: Type.Literal(true) }, { title: 'ReplayResult' });

export const DeadLetterFilterSchema = Type.Object(
  {
    kind: Type.Optional(Type.String({ maxLength: 100 })),
    plant: Type.Optional(Type.String({ maxLength: 200 })),
    since: Type.Optional(Instant),
    until: Type.Optional(Instant),
    error: Type.Optional(Type.String({ maxLength: 500, description: 'A part of the error message' })),
  },
  { title: 'DeadLetterFilter', additionalProperties: false },
);

export const BulkReplaySchema = Type.Object(
  {
    matched: Type.Integer(),
    requeued: Type.Integer(),
    refused: ReadonlyArrayOf(Type.Object({ id: Type.String(), code: Type.String(), message: Type.String() })),
  },
  { title: 'BulkReplay' },
);

export const HealthSchema = Type.Object({ status: Type.Literal('ok') });

const Checks = Type.Object({ database: Type.Boolean(), queue: Type.Boolean() });

export const ReadySchema = Type.Object({ status: Type.Literal('ready'), checks: Checks });

export const NotReadySchema = Type.Object({
  error: Type.Object({ code: Type.Literal('not_ready'), message: Type.String() }),
  checks: Checks,
});
