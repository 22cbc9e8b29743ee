/**
 * The takt HTTP app, built like fastify's own: everything registered on one instance that tests
 * drive with `app.inject` and `server.ts` boots. The core is reached only through `Takt`.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { WebhookAdmin } from '../sync/events-out/port.ts';
import type { KeyAdmin } from '../sync/keys/port.ts';
import type { Takt } from '../sync/ports.ts';
import { installAuth } from './auth.ts';
import { installStorableStrings } from './storable-strings.ts';
import { installJsonParser } from './body.ts';
import { installErrorHandling } from './error-handler.ts';
import { HttpMetrics } from './metrics.ts';
import { installRateLimit, type RateLimits } from './rate-limit.ts';
import { installValidators } from './validators.ts';
import { eventRoutes } from './routes/events.ts';
import { opsRoutes } from './routes/ops.ts';
import { plantRoutes } from './routes/plants.ts';
import { publishingRoutes } from './routes/publishing.ts';
import { syncRoutes } from './routes/sync.ts';
import { keyRoutes } from './routes/keys.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import type { WebhookSecrets } from './signature.ts';
import { DEFAULT_WEB_ROOT, registerBoard } from './static.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface AppDeps {
  readonly takt: Takt;
  /** Fastify's logger option: `false` (default) or `true` or a pino options object. */
  readonly logger?: boolean | object;
  /** Folder of the board's static files; defaults to api/web/. */
  readonly webRoot?: string;
  /** Per-source HMAC secrets; a key sending for a source with a secret must sign its webhooks. */
  readonly webhookSecrets?: WebhookSecrets;
  readonly bodyLimitBytes?: number;
  /** How long a client may take to send a whole request (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Milliseconds since the epoch; injected for signature-age and rate-limit checks in tests. */
  readonly clock?: () => number;
  /** Inbound rate limits (api/rate-limit.ts); omitted: none, as in tests that do not test them. */
  readonly rateLimits?: RateLimits;
  /**
   * Proxies (addresses, CIDRs, `loopback`…) whose X-Forwarded-For is believed for the client
   * address (fastify's `trustProxy`); omitted or empty: the socket's address, X-Forwarded-For ignored.
   */
  readonly trustProxy?: readonly string[];
  /** Version shown in the OpenAPI document. */
  readonly version?: string;
  /** Outbound webhook administration; omitted: the `/v1/webhooks` routes are not served. */
  readonly webhooks?: WebhookAdmin;
  /** API key administration; omitted: the `/v1/keys` routes are not served. */
  readonly keys?: KeyAdmin;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const requestTimeoutMs = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // A client trickling its request holds a socket: the whole request (headers and body) must
    // arrive within this, else the connection is answered 408 and closed.
    requestTimeout: requestTimeoutMs,
    // Node checks that timeout every 30 s by default: a trickle would get that much longer.
    serverFactory: (handler) => createServer({ requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.max(100, Math.min(5_000, requestTimeoutMs / 4)) }, handler),
    // Ids may be up to 200 characters (schemas say so); longer ones get a validation error, not a 404.
    routerOptions: { maxParamLength: 500 },
    trustProxy: deps.trustProxy !== undefined && deps.trustProxy.length > 0 ? [...deps.trustProxy] : false,
  });
  app.withTypeProvider<TypeBoxTypeProvider>();
  installValidators(app);

  const httpMetrics = new HttpMetrics();
  app.addHook('onResponse', async (request, reply) => {
    httpMetrics.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  installErrorHandling(app);
  const clock = deps.clock ?? Date.now;
  // Ahead of auth: an address over its failure budget is refused before its key is looked up.
  if (deps.rateLimits !== undefined) installRateLimit(app, deps.rateLimits, clock);
  installAuth(app, deps.takt);
  installStorableStrings(app);
  installJsonParser(app, { webhookSecrets: deps.webhookSecrets ?? {}, clock });

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
        { name: 'webhooks', description: 'Outbound signed webhooks: subscriptions and deliveries (admin)' },
        { name: 'keys', description: 'API keys: create, list, revoke (admin)' },
        { name: 'operations', description: 'Health, readiness, metrics' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(eventRoutes, { prefix: '/v1', takt: deps.takt });
  await app.register(plantRoutes, { prefix: '/v1', takt: deps.takt });
  await app.register(publishingRoutes, { prefix: '/v1', takt: deps.takt });
  await app.register(syncRoutes, { prefix: '/v1', takt: deps.takt });
  if (deps.webhooks !== undefined) await app.register(webhookRoutes, { prefix: '/v1', webhooks: deps.webhooks });
  if (deps.keys !== undefined) await app.register(keyRoutes, { prefix: '/v1', keys: deps.keys });
  await app.register(opsRoutes, { takt: deps.takt, httpMetrics });
  await registerBoard(app, deps.webRoot ?? DEFAULT_WEB_ROOT);

  await app.ready();
  return app;
}
