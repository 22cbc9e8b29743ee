/**
 * The inbound event envelope and batch come from the core (sync/ingest/schemas.ts), so the API
 * validates exactly what ingestion expects; the batch answer adds per-status counts.
 */
import { Type } from '@sinclair/typebox';
import { EventBatchSchema, EventEnvelopeSchema, EventOutcomeSchema } from '../../sync/ingest/schemas.ts';
import { ReadonlyArrayOf } from './common.ts';

export { EventBatchSchema, EventEnvelopeSchema };

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
