/**
 * A read-only stand-in for the takt API, for the one board test that needs a plant the real
 * service cannot plan within a test's time: 10,000 operations over months (synthetic). Serves
 * api/web/ as static files and answers the /v1 reads the board makes at start-up, with the same
 * shapes (sync/ports.ts) and error envelope. Everything the board does on real data is tested
 * against the real service (real-service.ts).
 */
import { createServer, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { SyncStatusView } from '../../sync/ports.ts';
import type { SyntheticPlant } from './fixtures/synthetic.ts';

const WEB_ROOT = new URL('../../api/web/', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

export interface StubOptions {
  readonly apiKey: string;
  readonly plants: Readonly<Record<string, SyntheticPlant>>;
}

export interface StubServer {
  readonly url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const fail = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });

async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
  const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
  const file = join(WEB_ROOT, relative);
  if (!file.startsWith(WEB_ROOT) || relative.split(sep).includes('..')) return fail(res, 404, 'not_found', 'No such file');
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    fail(res, 404, 'not_found', 'No such file');
  }
}

export async function startStubServer(options: StubOptions): Promise<StubServer> {
  const quietSync = (): SyncStatusView => ({
    sources: [], queues: [], writebacksConfigured: true, outboxBacklog: 0, outboxBacklogAgeSeconds: null, connections: [], deadLetters: 0,
    plants: Object.entries(options.plants).map(([plant, p]) => ({ plant, dirty: false, lastVersion: p.schedule.version, lastVersionAt: p.schedule.createdAt })),
  });

  function api(authorization: string | undefined, method: string, path: string, res: ServerResponse): void {
    if (authorization !== `Bearer ${options.apiKey}`) return fail(res, 401, 'unauthorized', 'Missing or unknown API key');
    if (method !== 'GET') return fail(res, 405, 'method_not_allowed', `the stub is read-only: ${method} ${path}`);
    if (path === '/v1/plants') return send(res, 200, { plants: Object.keys(options.plants) });
    if (path === '/v1/sync/status') return send(res, 200, quietSync());
    if (path === '/v1/sync/dead-letters') return send(res, 200, []);
    const m = /^\/v1\/plants\/([^/]+)\/(schedule|state|proposal)$/.exec(path);
    const plant = m ? options.plants[decodeURIComponent(m[1]!)] : undefined;
    if (!m || !plant) return fail(res, 404, 'not_found', `No route ${method} ${path}`);
    // A published plant: no proposal awaits approval.
    return send(res, 200, m[2] === 'schedule' ? plant.schedule : m[2] === 'state' ? plant.plant : null);
  }

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname.startsWith('/v1/')) return api(req.headers.authorization, req.method ?? 'GET', pathname, res);
    serveStatic(res, pathname).catch((error: unknown) => fail(res, 500, 'internal', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
