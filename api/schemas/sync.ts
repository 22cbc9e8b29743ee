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
    outboxBacklog: Type.Integer(),
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

export const HealthSchema = Type.Object({ status: Type.Literal('ok') });

const Checks = Type.Object({ database: Type.Boolean(), queue: Type.Boolean() });

export const ReadySchema = Type.Object({ status: Type.Literal('ready'), checks: Checks });

export const NotReadySchema = Type.Object({
  error: Type.Object({ code: Type.Literal('not_ready'), message: Type.String() }),
  checks: Checks,
});
