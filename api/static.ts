/** The web board's files (api/web/), public: the board asks for an API key itself. */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('./web/', import.meta.url));

export async function registerBoard(app: FastifyInstance, webRoot: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: webRoot,
    prefix: '/',
    index: 'index.html',
    // swagger-ui registers its own instance; keep reply decorations out of the way.
    decorateReply: false,
    // The board is small and changes with deployments; let browsers revalidate.
    cacheControl: true,
    maxAge: 0,
  });
}
