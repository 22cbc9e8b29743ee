/**
 * Admin routes over API keys: create (the token answered once), list, revoke. `takt keys` uses
 * them while `takt start` holds the embedded store. The core is reached through `KeyAdmin` only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { KeyAdmin } from '../../sync/keys/port.ts';
import { unwrap } from '../result.ts';
import { authErrors, errorResponses } from '../schemas/common.ts';
import { KeyBodySchema, KeyListSchema, KeyParamsSchema, KeySchema, KeyWithTokenSchema } from '../schemas/keys.ts';

const security = [{ bearer: [] }];
const tags = ['keys'];
const admin = { scopes: ['admin'] } as const;

export const keyRoutes: FastifyPluginAsyncTypebox<{ keys: KeyAdmin }> = async (app, { keys }) => {
  app.post(
    '/keys',
    {
      config: admin,
      schema: {
        summary: 'Create an API key; the answer carries its token, shown this once',
        tags,
        security,
        body: KeyBodySchema,
        response: { 201: KeyWithTokenSchema, ...errorResponses(...authErrors) },
      },
    },
    async (request, reply) => reply.code(201).send(unwrap(await keys.create(request.body))),
  );

  app.get(
    '/keys',
    {
      config: admin,
      schema: { summary: 'Every API key, revoked ones included (without tokens)', tags, security, response: { 200: KeyListSchema, ...errorResponses(...authErrors) } },
    },
    async () => ({ keys: await keys.list() }),
  );

  app.post(
    '/keys/:id/revoke',
    {
      config: admin,
      schema: {
        summary: 'Revoke a key: it stops working at once (the last active admin key cannot be revoked)',
        tags,
        security,
        params: KeyParamsSchema,
        response: { 200: KeySchema, ...errorResponses(...authErrors, 404, 409) },
      },
    },
    async (request) => unwrap(await keys.revoke(request.params.id)),
  );
};
