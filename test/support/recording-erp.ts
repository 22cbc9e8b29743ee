/**
 * A local ERP that behaves like a real one towards write-backs: it records every request,
 * answers 503 at random (seeded) to exercise retries, and de-duplicates by Idempotency-Key —
 * a key it has accepted before is answered 200 again without a second effect, the way ERPs
 * that honour idempotency keys do. `acknowledged` counts the 2xx answers per key: a client that
 * never delivers a row twice sees exactly 1 for each (a 503 before it is fine).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ErpDelivery {
  readonly key: string;
  readonly workOrder: string;
  readonly scheduleVersion: number;
  readonly status: number;
  /** True when this request was the one that applied the key. */
  readonly applied: boolean;
  readonly at: number;
}

export interface RecordingErp {
  readonly url: string;
  /** Every request in arrival order. */
  readonly deliveries: readonly ErpDelivery[];
  /** 2xx answers per key. */
  readonly acknowledged: ReadonlyMap<string, number>;
  /** Chance of a 503 for a request (0 = always healthy). */
  failureRate: number;
  close(): Promise<void>;
}

export async function startRecordingErp(options: { readonly failureRate?: number; readonly random: () => number }): Promise<RecordingErp> {
  const deliveries: ErpDelivery[] = [];
  const acknowledged = new Map<string, number>();
  const state = { failureRate: options.failureRate ?? 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const header = req.headers['idempotency-key'];
      const key = typeof header === 'string' ? header : '';
      let body: { workOrder?: unknown; scheduleVersion?: unknown } = {};
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body; } catch { /* recorded as is */ }
      const record = (status: number, first: boolean): void => {
        deliveries.push({
          key, workOrder: String(body.workOrder), scheduleVersion: Number(body.scheduleVersion), status, applied: first, at: Date.now(),
        });
      };
      if (key === '') {
        record(400, false);
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Idempotency-Key required' }));
        return;
      }
      if (options.random() < state.failureRate) {
        record(503, false);
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'try again' }));
        return;
      }
      // A real ERP's dedup table: a repeat of an applied key is acknowledged, not re-applied.
      const first = !acknowledged.has(key);
      acknowledged.set(key, (acknowledged.get(key) ?? 0) + 1);
      record(200, first);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, replay: !first }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/writeback`,
    deliveries,
    acknowledged,
    get failureRate() { return state.failureRate; },
    set failureRate(rate: number) { state.failureRate = rate; },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
