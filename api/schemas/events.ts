/**
 * The inbound event envelope and batch come from the core (sync/ingest/schemas.ts), so the API
 * validates exactly what ingestion expects; the batch answer adds per-status counts.
 */
import { Type } from '@sinclair/typebox';
import { EventEnvelopeSchema, EventOutcomeSchema } from '../../sync/ingest/schemas.ts';
import { ReadonlyArrayOf } from './common.ts';

export { EventEnvelopeSchema };

/**
 * The request body: only the batch is checked here. Each envelope is checked by ingestion, so
 * one malformed event is `rejected` on its own (with its field) and the others still count.
 */
export const EventBatchRequestSchema = Type.Object(
  {
    events: Type.Array(Type.Unknown({ description: 'An event envelope: {id, source, type, plant, occurredAt, version, data}' }), { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false, title: 'EventBatch' },
);

export const EventBatchResultSchema = Type.Object(
  {
    results: ReadonlyArrayOf(EventOutcomeSchema, {
      description: 'Per event, in request order: `stale` carries `storedVersion`; `rejected` carries `code`, `reason` and `field` (a path in the envelope).',
    }),
    accepted: Type.Integer(),
    duplicate: Type.Integer(),
    stale: Type.Integer(),
    rejected: Type.Integer(),
  },
  { title: 'EventBatchResult' },
);
