/**
 * An ERP's quota held by three `takt worker` processes together (real processes, the real
 * PostgreSQL and Redis): 40 write-backs waiting, a quota of 10 calls per second, measured at
 * the ERP stub as the arrival times of its requests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../sync/ports.ts';
import { openRuntime } from '../../../sync/runtime.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../../solver-bench/sync/scratch.ts';
import { ADMIN_URL } from '../support/backends.ts';
import { event, smallPlant } from '../support/events.ts';
import { REDIS_URL } from '../queue/queue-backends.ts';
import { startTestErp, type TestErp } from '../writeback/test-erp.ts';

const PLANT = 'QUOTA-1';
const ORDERS = 40;
const QUOTA = 10;
const TAKT = fileURLToPath(new URL('../../../bin/takt.mjs', import.meta.url));
const everyone: Principal = { keyId: 'test', name: 'test', scopes: ['erp', 'wms', 'qms', 'mes'], plants: null };

describe('an ERP quota across worker processes', () => {
  let scratch: ScratchDatabase;
  let erp: TestErp;
  const workers: { child: ChildProcess; delivered: number }[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(ADMIN_URL);
    erp = await startTestErp(() => ({ status: 200, body: { ok: true } }));
    // The plan and its write-backs, committed before any worker runs.
    const runtime = await openRuntime({ databaseUrl: scratch.url, dataDir: ':memory:', redisUrl: undefined, workers: false, feeds: [], writeback: { kind: 'none' }, solverThreads: 0 }, () => undefined);
    try {
      await runtime.takt.ingest([...smallPlant(PLANT), ...Array.from({ length: ORDERS }, (_, i) => event('work_order.upserted', {
        id: `WO-${i + 2}`, item: 'PUMP', quantity: 2, due: '2026-12-30T16:00:00Z', operations: [{ id: '10', modes: [{ workCenter: 'CNC', runMinutesPerUnit: 10 }] }],
      }, { plant: PLANT }))], everyone);
      const planned = await runtime.takt.reschedule(PLANT, { timeLimitMs: 0 });
      expect(planned.ok).toBe(true);
    } finally {
      await runtime.close();
    }
    const prefix = `takt-quota-${randomUUID()}`;
    for (let i = 0; i < 3; i++) {
      const child = spawn(process.execPath, [TAKT, 'worker'], {
        env: {
          ...process.env, DATABASE_URL: scratch.url, REDIS_URL, TAKT_QUEUE_PREFIX: prefix, ERP_WRITEBACK_URL: erp.url,
          ERP_WRITEBACK_CALLS_PER_SECOND: String(QUOTA), ERP_WRITEBACK_CONCURRENCY: '3', TAKT_SOLVER_THREADS: '0', LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const worker = { child, delivered: 0 };
      child.stdout!.on('data', (chunk: Buffer) => { worker.delivered += (chunk.toString().match(/"result":"delivered"/g) ?? []).length; });
      workers.push(worker);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map(({ child }) => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    })));
    await erp?.close();
    await scratch?.drop();
  });

  it('never lets more than the quota reach the ERP in any second, whichever worker calls', async () => {
    const deadline = Date.now() + 45_000;
    while (new Set(erp.requests.map((r) => r.headers['idempotency-key'])).size < ORDERS) {
      if (Date.now() > deadline) throw new Error(`only ${erp.requests.length} write-backs arrived`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const arrivals = erp.requests.map((r) => r.at).sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < arrivals.length; i++) {
      while (arrivals[i]! - arrivals[j]! >= 1_000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(QUOTA);
    // 40 calls at 10 per second: the last ten start three seconds after the first ten at least.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(3 * 1_000);
    // The work was shared: more than one process delivered.
    expect(workers.filter((w) => w.delivered > 0).length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
