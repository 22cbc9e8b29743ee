import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SolveResult } from '../../../scheduler/result.ts';
import { ingestEvents } from '../../../sync/ingest/ingest-events.ts';
import type { Principal } from '../../../sync/ports.ts';
import type { JobQueue } from '../../../sync/queue/job-queue.ts';
import { createRescheduleHandler } from '../../../sync/planning/reschedule-job.ts';
import type { PlanRunOutcome } from '../../../sync/planning/run-plan.ts';
import { sweepOnce } from '../../../sync/planning/sweeper.ts';
import type { Database } from '../../../sync/store/database.ts';
import { getPlantState, markPlantsDirty } from '../../../sync/store/plant-state.ts';
import { latestScheduleVersion } from '../../../sync/store/schedule-versions.ts';
import { restAdapter } from '../../../sync/writeback/rest-adapter.ts';
import { createWritebackHandler } from '../../../sync/writeback/worker.ts';
import { pgliteBackend, postgresBackend, type TestBackend } from '../support/backends.ts';
import { disposeQueue, queueBackends, sleep, waitFor } from '../queue/queue-backends.ts';
import { startTestErp, type TestErp } from '../writeback/test-erp.ts';
import { NOW, order, seedPlant } from './plant-fixture.ts';

const erpKey: Principal = { keyId: 'test', name: 'test', scopes: ['erp'], plants: null };

function quantityEvent(version: number) {
  return {
    id: `wo1-v${version}`, source: 'erp', type: 'work_order.upserted', plant: 'P1',
    occurredAt: '2026-11-23T05:00:00Z', version, data: { ...order('WO-1', 1, 3), quantity: version },
  };
}

const combos: readonly { name: string; db: () => TestBackend; queue: (typeof queueBackends)[number] }[] = [
  { name: 'PostgreSQL + BullMQ', db: postgresBackend, queue: queueBackends[1]! },
  { name: 'PGlite + in-process', db: pgliteBackend, queue: queueBackends[0]! },
];

describe.each(combos)('reschedule pipeline on $name', (combo) => {
  const backend = combo.db();
  let db: Kysely<Database>;
  let queue: JobQueue;
  let erp: TestErp;
  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db);
    erp = await startTestErp();
  });
  afterAll(async () => {
    await erp.close();
    await backend.close();
  });
  afterEach(async () => { await disposeQueue(queue); });

  function startWorkers(runs: PlanRunOutcome[]): void {
    const reschedule = createRescheduleHandler({
      db, queue, timeLimitMs: 0, clock: () => NOW.getTime(), busyRetryMs: 50, onRun: (o) => runs.push(o),
    });
    const writeback = createWritebackHandler({ db, adapter: restAdapter({ url: erp.url }), retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 } });
    queue.startWorkers({
      // The pause after a run keeps the slot busy, as a larger plant's solve would.
      reschedule: async (plant) => { await reschedule(plant); await sleep(400); },
      writeback: async (id) => { await writeback(id); },
    });
  }

  it('coalesces a burst of 50 changes into one or two plan runs, the last on the latest state', async () => {
    queue = combo.queue.open();
    const runs: PlanRunOutcome[] = [];
    startWorkers(runs);
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const report = await ingestEvents(db, [quantityEvent(i + 1)], erpKey);
      for (const plant of report.dirtyPlants) await queue.enqueueReschedule(plant);
    }));
    await waitFor(async () => runs.length > 0 && (await getPlantState(db, 'P1'))?.dirty === false, 15_000, 'a clean plant');
    await sleep(600);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThanOrEqual(2);
    const latest = await latestScheduleVersion(db, 'P1');
    const wo1 = (latest?.result as SolveResult).operations.find((op) => op.workOrder === 'WO-1');
    expect(wo1?.quantity).toBe(50);
    expect(latest?.version).toBe(runs.length);
  });

  it('rebuilds lost jobs from Postgres: the sweeper re-enqueues dirty plants and pending write-backs', async () => {
    // Every job of the last test is gone with its queue; a new change is committed but never enqueued.
    await db.updateTable('outbox').set({ status: 'pending', next_attempt_at: new Date(Date.now() - 1000) }).where('status', '=', 'delivered').execute();
    const pending = await db.selectFrom('outbox').select(['idempotency_key', 'work_order', 'schedule_version']).where('status', '=', 'pending').execute();
    expect(pending.length).toBeGreaterThan(0);
    await markPlantsDirty(db, ['P1']);
    erp.requests.length = 0;

    queue = combo.queue.open();
    const runs: PlanRunOutcome[] = [];
    startWorkers(runs);
    const swept = await sweepOnce(db, queue);
    expect(swept.plants).toEqual(['P1']);
    expect(swept.outbox.length).toBe(pending.length);
    await waitFor(async () => runs.length === 1 && (await db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).length === 0, 15_000, 'an empty outbox');
    // The newest version of each order reaches the ERP; an older one it supersedes is not sent after it.
    const delivered = new Set(erp.requests.map((r) => r.headers['idempotency-key']));
    const newest = new Map<string, number>();
    for (const row of pending) newest.set(row.work_order, Math.max(newest.get(row.work_order) ?? 0, row.schedule_version));
    for (const row of pending) expect(delivered.has(row.idempotency_key)).toBe(row.schedule_version === newest.get(row.work_order));
    expect((await getPlantState(db, 'P1'))?.dirty).toBe(false);
    // A second sweep finds nothing to do.
    expect(await sweepOnce(db, queue)).toEqual({ plants: [], outbox: [] });
  });
});
