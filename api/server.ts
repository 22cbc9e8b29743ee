/** Boots a built app on a host and port; the caller (CLI) owns configuration and shutdown. */
import type { FastifyInstance } from 'fastify';

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
}

/** Starts listening and returns the base URL (with the real port when `port` is 0). */
export async function startServer(app: FastifyInstance, options: ListenOptions): Promise<string> {
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return `http://${host}:${port}`;
}
