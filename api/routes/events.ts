/** POST /v1/events: a batch of source events, answered per event once durably stored. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EventEnvelope, EventOutcome, Principal, Takt } from '../../sync/ports.ts';
import { hasScope, mayAccessPlant, principalOf } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { authErrors, errorResponses } from '../schemas/common.ts';
import { EventBatchRequestSchema, EventBatchResultSchema } from '../schemas/events.ts';

export interface EventBatchResult {
  readonly results: readonly {
    readonly id: string;
    readonly status: EventOutcome['status'];
    readonly code?: string;
    readonly field?: string;
    readonly reason?: string;
    readonly storedVersion?: number;
  }[];
  readonly accepted: number;
  readonly duplicate: number;
  readonly stale: number;
  readonly rejected: number;
}

export function summarize(outcomes: readonly EventOutcome[]): EventBatchResult {
  const counts = { accepted: 0, duplicate: 0, stale: 0, rejected: 0 };
  const results = outcomes.map((outcome) => {
    counts[outcome.status] += 1;
    switch (outcome.status) {
      case 'stale':
        return {
          id: outcome.id,
          status: outcome.status,
          storedVersion: outcome.storedVersion,
          reason: `version is older than the stored version ${outcome.storedVersion}`,
        };
      case 'rejected':
        return outcome.field === undefined
          ? { id: outcome.id, status: outcome.status, code: outcome.code, reason: outcome.reason }
          : { id: outcome.id, status: outcome.status, code: outcome.code, field: outcome.field, reason: outcome.reason };
      default:
        return { id: outcome.id, status: outcome.status };
    }
  });
  return { results, ...counts };
}

const SOURCES: readonly unknown[] = ['erp', 'wms', 'qms', 'mes'];
const isSource = (value: unknown): value is EventEnvelope['source'] => SOURCES.includes(value);

/**
 * A key sends only for its own sources and plants; one foreign event refuses the whole batch.
 * Events too malformed to name a source or plant are left to ingestion, which rejects them alone.
 */
function authorizeBatch(principal: Principal, events: readonly unknown[]): void {
  events.forEach((raw, i) => {
    const event = raw as Partial<EventEnvelope> | null;
    if (typeof event !== 'object' || event === null || !isSource(event.source) || typeof event.plant !== 'string') return;
    if (!hasScope(principal, [event.source])) {
      throw new ApiError('forbidden_scope', `this key may not send ${event.source} events`, `body.events[${i}].source`);
    }
    if (!mayAccessPlant(principal, event.plant)) {
      throw new ApiError('forbidden_plant', `this key may not send events for plant ${event.plant}`, `body.events[${i}].plant`);
    }
  });
}

export const eventRoutes: FastifyPluginAsyncTypebox<{ takt: Takt }> = async (app, { takt }) => {
  app.post(
    '/events',
    {
      config: { scopes: ['erp', 'wms', 'qms', 'mes'], webhook: true, itemsJudged: true },
      schema: {
        summary: 'Ingest a batch of source events',
        description:
          'Each event is `accepted`, `duplicate` (same source and id seen before), `stale` (older version) or ' +
          '`rejected` (with a code and reason). 202 means every accepted event is durably stored. ' +
          'Keys whose source has a signing secret must send `X-Takt-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.',
        tags: ['events'],
        security: [{ bearer: [] }],
        body: EventBatchRequestSchema,
        response: { 202: EventBatchResultSchema, ...errorResponses(...authErrors, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      authorizeBatch(principal, request.body.events);
      const outcomes = await takt.ingest(request.body.events, principal);
      return reply.code(202).send(summarize(outcomes));
    },
  );
};
