/** Schemas of publishing (proposals, a planner's decision) and of takt's own plant policy. */
import { Type } from '@sinclair/typebox';
import { ReadonlyArrayOf } from './common.ts';
import { KpisSchema, OrderChangeSchema, ScheduleVersionSchema } from './schedule.ts';

export const VersionParamsSchema = Type.Object({
  plant: Type.String({ minLength: 1, maxLength: 200 }),
  // A schedule version is a PostgreSQL integer: a larger one is a 400, not a database error.
  version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
});

export const ProposalViewSchema = Type.Object(
  {
    proposal: ScheduleVersionSchema,
    published: Type.Union([Type.Object({ version: Type.Integer(), kpis: KpisSchema }), Type.Null()]),
    changes: ReadonlyArrayOf(OrderChangeSchema),
  },
  { title: 'Proposal', description: 'The newest proposed version and what it changes against the published one' },
);

export const DecisionViewSchema = Type.Object(
  {
    plant: Type.String(),
    version: Type.Integer(),
    state: Type.Union([Type.Literal('published'), Type.Literal('discarded')]),
    writebacks: Type.Integer({ description: 'Write-backs the approval queued' }),
  },
  { title: 'Decision' },
);

const Minutes = Type.Number({ minimum: 0, maximum: 10_080 });

export const PlantPolicySchema = Type.Object(
  {
    publishing: Type.Union([Type.Literal('auto'), Type.Literal('approve')], {
      description: 'auto: every new version is published at once; approve: proposed until a planner approves or discards it',
    }),
    writeback: Type.Object({
      orderMoveMinutes: { ...Minutes, description: 'An order whose planned start or end moved at least this much is written' },
      operationMoveMinutes: { ...Minutes, description: 'The same for each operation (start, end or work center)' },
      priorityBoundaries: ReadonlyArrayOf(Type.Integer({ minimum: 1 }), {
        maxItems: 50, description: 'Rising upper ranks of the dispatch-priority buckets; a rank change is written when it crosses one (empty: never alone)',
      }),
    }, { additionalProperties: false }),
    shopFloor: Type.Optional(Type.Object({
      overProductionPercent: Type.Number({
        minimum: 0, maximum: 1000,
        description: "How far an operation's reported good plus scrap may exceed the order quantity (percent); beyond it the MES report is refused. Omitted on PUT: kept as stored",
      }),
    }, { additionalProperties: false })),
  },
  { title: 'PlantPolicy', additionalProperties: false },
);
