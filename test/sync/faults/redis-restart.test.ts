/**
 * Redis lost and back: a private redis-server (never the shared one) is SIGKILLed while events
 * come in and while a plan runs, then restarted empty on the same port. Ingest keeps answering
 * (Postgres is the record; the failed enqueue after the commit is swallowed), and once Redis is
 * back the sweeper re-enqueues from the dirty flag and the pending outbox rows: everything gets
 * planned and every write-back delivered, each key acknowledged by the ERP once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../sync/ports.ts';
import { Prng } from '../../../solver-bench/prng.ts';
import { BullmqQueue } from '../../../sync/queue/bullmq-queue.ts';
import type { Db } from '../../../sync/store/database.ts';
import { getPlantState } from '../../../sync/store/plant-state.ts';
import { createTakt, type TaktCore } from '../../../sync/takt.ts';
import { restAdapter } from '../../../sync/writeback/rest-adapter.ts';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis-server.ts';
import { startRecordingErp, type RecordingErp } from '../../support/recording-erp.ts';
import { startSyncWorker, type SyncWorker } from '../../support/sync-worker.ts';
import { NOW, order, seedPlant } from '../planning/plant-fixture.ts';
import { waitFor } from '../queue/queue-backends.ts';
import { postgresBackend } from '../support/backends.ts';
import { everySource } from '../support/events.ts';

const PLANT = 'P1';
let versionSeq = 1;

/** A new version of order `id` (its priority changes, so its write-back does too). */
function reprioritise(id: string, minutes: number, priority: number): EventEnvelope {
  versionSeq += 1;
  return {
    id: `erp-${id}-v${versionSeq}`, source: 'erp', type: 'work_order.upserted', plant: PLANT,
    occurredAt: NOW.toISOString(), version: versionSeq, data: { ...order(id, minutes, priority) },
  };
}

describe('Redis killed and restarted during ingest and processing (PostgreSQL + private Redis)', () => {
  const backend = postgresBackend();
  let db: Db;
  let redis: PrivateRedis;
  let erp: RecordingErp;
  let producer: BullmqQueue;
  let takt: TaktCore;
  let worker: SyncWorker;
  let planning = 0;
  let releasePlan: (() => void) | null = null;
  let holdNextPlan = false;

  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db, PLANT, Array.from({ length: 8 }, (_, i) => order(`WO-${i + 1}`, 20 + 5 * i, 1 + (i % 4))));
    redis = await startPrivateRedis();
    erp = await startRecordingErp({ random: Math.random });
    const prefix = `takt-redis-${randomBytes(6).toString('hex')}`;
    producer = new BullmqQueue({ redisUrl: redis.url, prefix });
    takt = createTakt({ db, queue: producer, writebacks: true, clock: () => NOW.getTime() });
    worker = startSyncWorker({
      db, redisUrl: redis.url, prefix, adapter: restAdapter({ url: erp.url, timeoutMs: 2_000 }),
      planClock: () => NOW.getTime(), timeLimitMs: 100, sweepIntervalMs: 150,
      queueRetry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 200 },
      writebackRetry: { attempts: 20, baseDelayMs: 20, maxDelayMs: 200 },
      wrapReschedule: (run) => async (plant) => {
        planning += 1;
        if (holdNextPlan) {
          holdNextPlan = false;
          await new Promise<void>((resolve) => { releasePlan = resolve; });
        }
        await run(plant);
      },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await producer?.close();
    await redis?.stop();
    await erp?.close();
    await backend.close();
  });

  const outbox = () => db.selectFrom('outbox').selectAll().where('plant', '=', PLANT).execute();

  /** The plant planned up to date, nothing pending, and each delivered key acknowledged once. */
  async function settled(): Promise<void> {
    await waitFor(async () => {
      const state = await getPlantState(db, PLANT);
      const rows = await outbox();
      return state?.dirty === false && state.lastVersion !== null && rows.length > 0 && rows.every((r) => r.status !== 'pending');
    }, 20_000, 'the plant planned and its write-backs delivered');
    const rows = await outbox();
    expect(rows.filter((r) => r.status === 'dead')).toEqual([]);
    for (const row of rows.filter((r) => r.status === 'delivered')) expect(erp.acknowledged.get(row.idempotency_key), row.idempotency_key).toBe(1);
    const keys = new Set(rows.map((r) => r.idempotency_key));
    for (const key of erp.acknowledged.keys()) expect(keys.has(key), key).toBe(true);
  }

  it('plans and delivers with Redis up (the baseline)', async () => {
    await takt.ingest([reprioritise('WO-1', 20, 4)], everySource);
    await settled();
  });

  it('ingest keeps answering while Redis is down, and the work is done once it is back', async () => {
    const versionBefore = (await getPlantState(db, PLANT))?.lastVersion ?? 0;
    await redis.kill();
    expect((await takt.ready()).queue).toBe(false);
    for (let i = 0; i < 5; i += 1) {
      const started = Date.now();
      const outcomes = await takt.ingest([reprioritise(`WO-${i + 2}`, 25 + i, 1 + ((i + 2) % 4))], everySource);
      expect(outcomes.map((o) => o.status)).toEqual(['accepted']);
      // Fails fast: no waiting on the lost Redis.
      expect(Date.now() - started).toBeLessThan(3_000);
    }
    expect((await getPlantState(db, PLANT))?.dirty).toBe(true);
    await redis.restart();
    await settled();
    expect((await getPlantState(db, PLANT))?.lastVersion).toBeGreaterThan(versionBefore);
    expect((await takt.ready()).queue).toBe(true);
  });

  it('Redis dies while a plan runs: the run still commits and its write-backs are delivered after the restart', async () => {
    const versionBefore = (await getPlantState(db, PLANT))?.lastVersion ?? 0;
    holdNextPlan = true;
    const planningBefore = planning;
    await takt.ingest([reprioritise('WO-8', 60, 4), reprioritise('WO-7', 10, 1)], everySource);
    await waitFor(() => planning > planningBefore && releasePlan !== null, 10_000, 'a plan run in progress');
    await redis.kill();
    const release = releasePlan as (() => void) | null;
    releasePlan = null;
    release?.();
    // The run commits to Postgres although its hand-off to the queue fails.
    await waitFor(async () => ((await getPlantState(db, PLANT))?.lastVersion ?? 0) > versionBefore, 10_000, 'the run\'s commit');
    // An event during the outage too.
    expect((await takt.ingest([reprioritise('WO-3', 5, 4)], everySource)).map((o) => o.status)).toEqual(['accepted']);
    await redis.restart();
    await settled();
  });

  it('a worker closes within its grace period after Redis restarted under it (BullMQ can wait forever)', async () => {
    const prng = new Prng(42);
    for (let cycle = 0; cycle < 8; cycle += 1) {
      const queue = new BullmqQueue({ redisUrl: redis.url, prefix: `takt-close-${randomBytes(4).toString('hex')}`, closeGraceMs: 500 });
      queue.startWorkers({ reschedule: () => new Promise((r) => setTimeout(r, 30)), writeback: async () => undefined });
      for (let k = 0; k < 5; k += 1) await queue.enqueueReschedule(`X${k}`).catch(() => undefined);
      await new Promise((r) => setTimeout(r, prng.int(0, 150)));
      await redis.kill();
      await new Promise((r) => setTimeout(r, prng.int(0, 200)));
      await redis.restart();
      await new Promise((r) => setTimeout(r, prng.int(0, 300)));
      const started = Date.now();
      await queue.close();
      expect(Date.now() - started, `cycle ${cycle}`).toBeLessThan(3_000);
    }
  });
});
