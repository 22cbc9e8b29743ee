import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweeper, sweepOnce } from '../../../sync/planning/sweeper.ts';
import { BullmqQueue } from '../../../sync/queue/bullmq-queue.ts';
import { InProcessQueue } from '../../../sync/queue/in-process-queue.ts';
import { openQueue } from '../../../sync/queue/open-queue.ts';
import { toJson, type Database } from '../../../sync/store/database.ts';
import { markPlantsDirty } from '../../../sync/store/plant-state.ts';
import { pgliteBackend } from '../support/backends.ts';
import { disposeQueue, REDIS_URL, waitFor } from '../queue/queue-backends.ts';
import { seedPlant } from './plant-fixture.ts';

describe('sweeper', () => {
  const backend = pgliteBackend();
  let db: Kysely<Database>;
  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db);
  });
  afterAll(async () => { await backend.close(); });

  async function pendingRow(nextAttemptAt: Date): Promise<string> {
    const id = randomUUID();
    await db.insertInto('outbox').values({
      id, plant: 'P1', work_order: 'WO-1', schedule_version: 1, idempotency_key: id, payload: toJson({}), next_attempt_at: nextAttemptAt,
    }).execute();
    return id;
  }

  it('enqueues due write-backs only, and none when write-backs are off', async () => {
    const due = await pendingRow(new Date(Date.now() - 1000));
    await pendingRow(new Date(Date.now() + 60_000));
    const queue = new InProcessQueue();
    expect(await sweepOnce(db, queue)).toEqual({ plants: [], outbox: [due] });
    expect(await sweepOnce(db, queue, { writebacks: false })).toEqual({ plants: [], outbox: [] });
    await queue.close();
  });

  it('runs periodically and picks up plants marked dirty later', async () => {
    const queue = new InProcessQueue();
    const seen: string[] = [];
    queue.startWorkers({ reschedule: async (plant) => { seen.push(plant); }, writeback: async () => undefined });
    const sweeper = startSweeper(db, queue, { intervalMs: 30, writebacks: false });
    try {
      await new Promise((r) => setTimeout(r, 80));
      expect(seen).toEqual([]);
      await markPlantsDirty(db, ['P1']);
      await waitFor(() => seen.includes('P1'), 5_000, 'a sweep');
    } finally {
      await sweeper.stop();
      await queue.close();
    }
  });
});

describe('openQueue', () => {
  it('picks BullMQ when a Redis URL is set, in-process otherwise', async () => {
    const embedded = openQueue({});
    expect(embedded).toBeInstanceOf(InProcessQueue);
    const redis = openQueue({ redisUrl: REDIS_URL, prefix: `takt-test-${randomUUID()}` });
    expect(redis).toBeInstanceOf(BullmqQueue);
    expect(await redis.ping()).toBe(true);
    await Promise.all([embedded.close(), disposeQueue(redis)]);
  });

  it('reports an unreachable Redis through ping', async () => {
    const down = new BullmqQueue({ redisUrl: 'redis://127.0.0.1:1', prefix: 'takt-test-down' });
    expect(await down.ping(300)).toBe(false);
    await down.close();
  });
});
