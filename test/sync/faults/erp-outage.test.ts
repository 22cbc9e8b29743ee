/**
 * An ERP maintenance window, in compressed time, on the real PostgreSQL and Redis: the ERP
 * answers 503 for "two hours" (seconds here, within a window of a day scaled alike) while
 * events keep arriving and new versions are planned. Nothing is dead-lettered; the circuit
 * opens and only probes reach the ERP meanwhile; the backlog and its age show in the sync
 * status. When the ERP answers again, each order is written once, with the latest values.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, Principal } from '../../../sync/ports.ts';
import { openRuntime, type Runtime } from '../../../sync/runtime.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../../solver-bench/sync/scratch.ts';
import type { WritebackPayload } from '../../../sync/writeback/payload.ts';
import { ADMIN_URL } from '../support/backends.ts';
import { event, smallPlant } from '../support/events.ts';
import { REDIS_URL } from '../queue/queue-backends.ts';
import { startTestErp, type TestErp } from '../writeback/test-erp.ts';

const PLANT = 'OUT-1';
const everyone: Principal = { keyId: 'test', name: 'test', scopes: ['erp', 'wms', 'qms', 'mes'], plants: null };
/** One compressed "hour". */
const HOUR_MS = 1_000;

describe('an ERP outage', () => {
  let scratch: ScratchDatabase;
  let erp: TestErp;
  let runtime: Runtime;
  let down = false;

  const orders = (): EventEnvelope[] => Array.from({ length: 6 }, (_, i) => event('work_order.upserted', {
    id: `WO-${i + 2}`, item: 'PUMP', quantity: 4 + i, due: '2026-12-20T16:00:00Z',
    operations: [{ id: '10', modes: [{ workCenter: 'CNC', setupMinutes: 30, runMinutesPerUnit: 20 }] }],
  }, { plant: PLANT }));

  async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const outbox = () => runtime.db.selectFrom('outbox').selectAll().where('plant', '=', PLANT).execute();

  beforeAll(async () => {
    scratch = await createScratchDatabase(ADMIN_URL);
    erp = await startTestErp(() => (down ? { status: 503, body: 'maintenance' } : { status: 200, body: { ok: true } }));
    runtime = await openRuntime({
      databaseUrl: scratch.url, dataDir: ':memory:', redisUrl: REDIS_URL, queuePrefix: `takt-outage-${randomUUID()}`,
      workers: true, feeds: [], writeback: { kind: 'rest', url: erp.url, timeoutMs: 1_000 },
      timeLimitMs: 100, solverThreads: 0, sweepIntervalMs: 200,
      writebackRetry: {
        baseDelayMs: 50, maxDelayMs: 300, windowMs: 24 * HOUR_MS,
        breaker: { failureThreshold: 3, openMs: 250, maxOpenMs: 500, probeTimeoutMs: 5_000 },
      },
    }, () => undefined);
    const outcomes = await runtime.takt.ingest([...smallPlant(PLANT), ...orders()], everyone);
    expect(outcomes.every((o) => o.status === 'accepted')).toBe(true);
    await until('the first version written back', async () => {
      const rows = await outbox();
      return rows.length === 6 && rows.every((r) => r.status === 'delivered');
    });
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    await erp?.close();
    await scratch?.drop();
  });

  it('keeps write-backs pending behind an open circuit, dead-letters nothing, and writes the latest once it is back', async () => {
    down = true;
    const outageStarted = Date.now();
    // A breakdown and its end arrive during the outage: two more versions move every order.
    await runtime.takt.ingest([event('downtime.started', { id: 'BD-1', workCenter: 'CNC', start: '2026-12-01T00:00:00Z', expectedEnd: '2026-12-30T00:00:00Z' }, { plant: PLANT, version: 1 })], everyone);
    await until('write-backs of the breakdown version', async () => (await outbox()).some((r) => r.status === 'pending'));
    await until('the circuit open', async () => (await runtime.takt.syncStatus()).connections.some((c) => c.connection === 'generic' && c.state !== 'closed'));
    await new Promise((resolve) => setTimeout(resolve, HOUR_MS));
    await runtime.takt.ingest([event('downtime.ended', { id: 'BD-1', end: '2026-12-01T00:00:01Z' }, { plant: PLANT, version: 2 })], everyone);
    await new Promise((resolve) => setTimeout(resolve, HOUR_MS));

    const status = await runtime.takt.syncStatus();
    expect(status.outboxBacklog).toBeGreaterThan(0);
    expect(status.outboxBacklogAgeSeconds).toBeGreaterThanOrEqual(1);
    expect(status.connections.find((c) => c.connection === 'generic')).toMatchObject({ failures: expect.any(Number), lastError: expect.stringContaining('503') });
    const duringOutage = erp.requests.filter((r) => r.at >= outageStarted).length;
    expect(Date.now() - outageStarted).toBeGreaterThanOrEqual(2 * HOUR_MS);
    // Probes, not hammering: without the circuit, 6 rows at a 50-300 ms backoff would have made well over a hundred calls.
    expect(duringOutage).toBeLessThan(30);

    down = false;
    const back = Date.now();
    await until('the backlog delivered', async () => (await runtime.takt.syncStatus()).outboxBacklog === 0);
    expect(await runtime.db.selectFrom('dead_letters').select('id').execute()).toEqual([]);
    const rows = await outbox();
    const latest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (row.status === 'delivered' && (latest.get(row.work_order)?.schedule_version ?? 0) < row.schedule_version) latest.set(row.work_order, row);
    const afterwards = erp.requests.filter((r) => r.at >= back && r.method === 'POST').map((r) => JSON.parse(r.body) as WritebackPayload);
    const perOrder = new Map<string, WritebackPayload[]>();
    for (const payload of afterwards) perOrder.set(payload.workOrder, [...(perOrder.get(payload.workOrder) ?? []), payload]);
    for (const [workOrder, written] of perOrder) {
      expect(written, workOrder).toHaveLength(1);
      expect(written[0]?.scheduleVersion, workOrder).toBe(latest.get(workOrder)?.schedule_version);
    }
    // Every order the outage held back was written, with the version planned last for it.
    expect(perOrder.size).toBe(6);
    expect(rows.filter((r) => r.status === 'pending')).toEqual([]);
    expect((await runtime.takt.syncStatus()).connections.find((c) => c.connection === 'generic')?.state).toBe('closed');
  }, 60_000);
});
