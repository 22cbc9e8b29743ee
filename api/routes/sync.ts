/** Admin routes over sync health and the dead letters of write-back. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Takt } from '../../sync/ports.ts';
import { emptyBodyIsEmptyObject } from '../body.ts';
import { unwrap } from '../result.ts';
import { authErrors, errorResponses } from '../schemas/common.ts';
import { BulkReplaySchema, DeadLetterFilterSchema, DeadLetterListSchema, DeadLetterParamsSchema, ReplayResultSchema, SyncStatusSchema } from '../schemas/sync.ts';

const security = [{ bearer: [] }];
const tags = ['sync'];

export const syncRoutes: FastifyPluginAsyncTypebox<{ takt: Takt }> = async (app, { takt }) => {
  app.get(
    '/sync/status',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Sync health: source lag, queue depth, outbox backlog, dead letters, dirty plants',
        tags,
        security,
        response: { 200: SyncStatusSchema, ...errorResponses(...authErrors) },
      },
    },
    async () => takt.syncStatus(),
  );

  app.get(
    '/sync/dead-letters',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Write-backs and jobs that failed for good',
        tags,
        security,
        response: { 200: DeadLetterListSchema, ...errorResponses(...authErrors) },
      },
    },
    async () => ({ deadLetters: await takt.deadLetters() }),
  );

  app.post(
    '/sync/dead-letters/:id/replay',
    {
      config: { scopes: ['admin'] },
      schema: {
        summary: 'Queue a dead letter again',
        tags,
        security,
        params: DeadLetterParamsSchema,
        response: { 200: ReplayResultSchema, ...errorResponses(...authErrors, 404, 409, 422) },
      },
    },
    async (request) => unwrap(await takt.replayDeadLetter(request.params.id)),
  );

  app.post(
    '/sync/dead-letters/replay',
    {
      config: { scopes: ['admin'] },
      // No body: every dead letter.
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        summary: 'Queue again every dead letter the filter matches (all without one): after an outage, say',
        tags,
        security,
        body: DeadLetterFilterSchema,
        response: { 200: BulkReplaySchema, ...errorResponses(...authErrors, 400) },
      },
    },
    async (request) => takt.replayDeadLetters(request.body ?? {}),
  );
};
