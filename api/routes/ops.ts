/** Unauthenticated operational endpoints: liveness, readiness, Prometheus metrics. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Takt } from '../../sync/ports.ts';
import type { HttpMetrics } from '../metrics.ts';
import { errorResponses } from '../schemas/common.ts';
import { HealthSchema, NotReadySchema, ReadySchema } from '../schemas/sync.ts';

const tags = ['operations'];

async function readiness(takt: Takt): Promise<{ database: boolean; queue: boolean }> {
  try {
    const { database, queue } = await takt.ready();
    return { database, queue };
  } catch {
    // A core that cannot even answer is not ready.
    return { database: false, queue: false };
  }
}

export const opsRoutes: FastifyPluginAsyncTypebox<{ takt: Takt; httpMetrics: HttpMetrics }> = async (app, { takt, httpMetrics }) => {
  app.get(
    '/health',
    { schema: { summary: 'Liveness: the process answers', tags, response: { 200: HealthSchema } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: database and queue reachable',
        tags,
        response: { 200: ReadySchema, 503: NotReadySchema },
      },
    },
    async (_request, reply) => {
      const checks = await readiness(takt);
      if (checks.database && checks.queue) return reply.code(200).send({ status: 'ready' as const, checks });
      const down = [checks.database ? null : 'database', checks.queue ? null : 'queue'].filter((x) => x !== null);
      return reply.code(503).send({ error: { code: 'not_ready' as const, message: `${down.join(' and ')} unreachable` }, checks });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics of the core and of HTTP requests',
        tags,
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format 0.0.4' }), ...errorResponses() },
      },
    },
    async (_request, reply) => {
      const core = (await takt.metrics()).trimEnd();
      const body = core === '' ? httpMetrics.render() : `${core}\n${httpMetrics.render()}`;
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(body);
    },
  );
};
