/**
 * The takt HTTP app, built like fastify's own: everything registered on one instance that tests
 * drive with `app.inject` and `server.ts` boots. The core is reached only through `Takt`.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Takt } from '../sync/ports.ts';
import { installAuth } from './auth.ts';
import { installJsonParser } from './body.ts';
import { installErrorHandling } from './error-handler.ts';
import { HttpMetrics } from './metrics.ts';
import { installValidators } from './validators.ts';
import { eventRoutes } from './routes/events.ts';
import { opsRoutes } from './routes/ops.ts';
import { plantRoutes } from './routes/plants.ts';
import { syncRoutes } from './routes/sync.ts';
import type { WebhookSecrets } from './signature.ts';
import { DEFAULT_WEB_ROOT, registerBoard } from './static.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

export interface AppDeps {
  readonly takt: Takt;
  /** Fastify's logger option: `false` (default) or `true` or a pino options object. */
  readonly logger?: boolean | object;
  /** Folder of the board's static files; defaults to api/web/. */
  readonly webRoot?: string;
  /** Per-source HMAC secrets; a key sending for a source with a secret must sign its webhooks. */
  readonly webhookSecrets?: WebhookSecrets;
  readonly bodyLimitBytes?: number;
  /** Milliseconds since the epoch; injected for signature-age checks in tests. */
  readonly clock?: () => number;
  /** Version shown in the OpenAPI document. */
  readonly version?: string;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Ids may be up to 200 characters (schemas say so); longer ones get a validation error, not a 404.
    routerOptions: { maxParamLength: 500 },
  });
  app.withTypeProvider<TypeBoxTypeProvider>();
  installValidators(app);

  const httpMetrics = new HttpMetrics();
  app.addHook('onResponse', async (request, reply) => {
    httpMetrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  installErrorHandling(app);
  installAuth(app, deps.takt);
  installJsonParser(app, { webhookSecrets: deps.webhookSecrets ?? {}, clock: deps.clock ?? Date.now });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'takt',
        description: 'Finite-capacity production scheduling in step with ERP, WMS, QMS and MES.',
        version: deps.version ?? '0.1.0',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key with scopes and optional plant list' } },
      },
      tags: [
        { name: 'events', description: 'Inbound source events' },
        { name: 'plants', description: 'Schedules, what-ifs, work orders, dispatch lists' },
        { name: 'sync', description: 'Sync health and dead letters (admin)' },
        { name: 'operations', description: 'Health, readiness, metrics' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(eventRoutes, { prefix: '/v1', takt: deps.takt });
  await app.register(plantRoutes, { prefix: '/v1', takt: deps.takt });
  await app.register(syncRoutes, { prefix: '/v1', takt: deps.takt });
  await app.register(opsRoutes, { takt: deps.takt, httpMetrics });
  await registerBoard(app, deps.webRoot ?? DEFAULT_WEB_ROOT);

  await app.ready();
  return app;
}
