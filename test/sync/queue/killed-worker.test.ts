/**
 * A worker killed mid-job leaves its job `active` in Redis until BullMQ's lock runs out (30 s).
 * That stale job must not cost the plant its next runs meanwhile: a restarted worker runs the
 * plant at once, and a change arriving during that run still gets a run after it.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BullmqQueue } from '../../../sync/queue/bullmq-queue.ts';
import { deleteKeys, fastRetry, REDIS_URL, sleep, waitFor } from './queue-backends.ts';
import { killHard, spawnFixture } from '../../support/processes.ts';

const HOLDER = new URL('./fixtures/hold-a-job.ts', import.meta.url);

/** Starts a worker process that takes the key's job, then kills it with the job still active. */
async function killWorkerMidJob(prefix: string, key: string): Promise<void> {
  const { child, said } = await spawnFixture(HOLDER, [REDIS_URL, prefix, key]);
  expect(said).toBe('running');
  await killHard(child);
}

describe('a reschedule job left active by a killed worker', () => {
  const prefix = `takt-test-${randomBytes(6).toString('hex')}`;
  let queue: BullmqQueue | undefined;
  afterEach(async () => {
    await queue?.close();
    await deleteKeys(`${prefix}:*`);
  });

  it('does not hold up the next runs of its plant', async () => {
    await killWorkerMidJob(prefix, 'P1');
    queue = new BullmqQueue({ redisUrl: REDIS_URL, prefix, retry: fastRetry });
    const runs: number[] = [];
    let release!: () => void;
    const firstRunHeld = new Promise<void>((resolve) => { release = resolve; });
    queue.startWorkers({
      reschedule: async () => {
        runs.push(Date.now());
        if (runs.length === 1) await firstRunHeld;
      },
      writeback: async () => undefined,
    });
    const restarted = Date.now();
    // What the sweeper does on start: the plant is dirty.
    expect(await queue.enqueueReschedule('P1')).toBe('queued');
    await waitFor(() => runs.length === 1, 5_000, 'the first run after the restart');
    // A change during that run: one more run must follow it.
    expect(await queue.enqueueReschedule('P1')).toBe('queued');
    release();
    await waitFor(() => runs.length === 2, 5_000, 'the run for the change that came during the first');
    expect(runs[1]! - restarted).toBeLessThan(5_000);
    await sleep(100);
    expect(runs).toHaveLength(2);
  }, 30_000);
});
