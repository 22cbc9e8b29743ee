/**
 * A local stand-in for the ERP's write-back endpoint (the generic REST adapter POSTs here): it
 * answers 200 and records when each write-back arrived, by schedule version, so the bench can
 * time an event's way to the ERP. Repeats of one Idempotency-Key are counted, not recorded twice.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  readonly workOrder: string;
  readonly scheduleVersion: number;
  /** performance.now() of this process when the request was read. */
  readonly at: number;
}

export interface TestErp {
  readonly url: string;
  /** Write-backs received for one schedule version, in arrival order. */
  arrivals(version: number): readonly Arrival[];
  readonly total: () => number;
  readonly repeats: () => number;
  close(): Promise<void>;
}

export async function startTestErp(): Promise<TestErp> {
  const byVersion = new Map<number, Arrival[]>();
  const seen = new Set<string>();
  let total = 0;
  let repeats = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const key = String(req.headers['idempotency-key'] ?? '');
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { workOrder?: unknown; scheduleVersion?: unknown };
        if (typeof payload.workOrder !== 'string' || typeof payload.scheduleVersion !== 'number' || key === '') {
          res.writeHead(422, { 'content-type': 'application/json' }).end('{"message":"workOrder, scheduleVersion and Idempotency-Key are required"}');
          return;
        }
        total += 1;
        if (seen.has(key)) {
          repeats += 1;
        } else {
          seen.add(key);
          const list = byVersion.get(payload.scheduleVersion) ?? [];
          list.push({ workOrder: payload.workOrder, scheduleVersion: payload.scheduleVersion, at });
          byVersion.set(payload.scheduleVersion, list);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"body is not JSON"}');
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/writeback`,
    arrivals: (version) => byVersion.get(version) ?? [],
    total: () => total,
    repeats: () => repeats,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
