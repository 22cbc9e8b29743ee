import { afterEach, describe, expect, it } from 'vitest';
import { RetryLaterError, UnrecoverableJobError } from '../../../sync/queue/errors.ts';
import type { FailedJob, JobContext, JobQueue } from '../../../sync/queue/job-queue.ts';
import { disposeQueue, queueBackends, sleep, waitFor } from './queue-backends.ts';

const noop = async (): Promise<void> => undefined;

describe.each(queueBackends)('$name queue', (backend) => {
  let queue: JobQueue;
  afterEach(async () => { await disposeQueue(queue); });

  it('runs reschedule and write-back jobs with their keys', async () => {
    queue = backend.open();
    const seen: string[] = [];
    queue.startWorkers({
      reschedule: async (plant) => { seen.push(`r:${plant}`); },
      writeback: async (id) => { seen.push(`w:${id}`); },
    });
    await queue.enqueueReschedule('P:1');
    await queue.enqueueWriteback('ob-1');
    await waitFor(() => seen.length === 2);
    expect(seen.sort()).toEqual(['r:P:1', 'w:ob-1']);
  });

  it('coalesces a burst of 50 reschedules into one or two runs, the last seeing the latest state', async () => {
    queue = backend.open();
    let state = 0;
    const runsSaw: number[] = [];
    let running = 0;
    let overlapped = false;
    queue.startWorkers({
      reschedule: async () => {
        running += 1;
        if (running > 1) overlapped = true;
        await sleep(20);
        runsSaw.push(state); // the snapshot a plan run would load
        await sleep(300);
        running -= 1;
      },
      writeback: noop,
    });
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      await sleep(i % 5);
      state = Math.max(state, i + 1);
      await queue.enqueueReschedule('P1');
    }));
    expect(state).toBe(50);
    await waitFor(async () => {
      const c = (await queue.counts()).find((x) => x.name === 'reschedule');
      return runsSaw.length >= 1 && c?.waiting === 0 && c.active === 0;
    });
    expect(runsSaw.length).toBeGreaterThanOrEqual(1);
    expect(runsSaw.length).toBeLessThanOrEqual(2);
    expect(runsSaw.at(-1)).toBe(50);
    expect(overlapped).toBe(false);
  });

  it('queues exactly one more run for requests arriving while one runs', async () => {
    queue = backend.open();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    queue.startWorkers({
      reschedule: async () => { runs += 1; if (runs === 1) await gate; },
      writeback: noop,
    });
    expect(await queue.enqueueReschedule('P1')).toBe('queued');
    await waitFor(() => runs === 1);
    expect(await queue.enqueueReschedule('P1')).toBe('queued');
    expect(await queue.enqueueReschedule('P1')).toBe('coalesced');
    expect(await queue.enqueueReschedule('P2')).toBe('queued');
    release();
    await waitFor(() => runs === 3);
    await sleep(150);
    expect(runs).toBe(3);
  });

  it('retries a failing job with backoff, counting attempts', async () => {
    queue = backend.open();
    const attempts: JobContext[] = [];
    const times: number[] = [];
    queue.startWorkers({
      reschedule: noop,
      writeback: async (_id, context) => {
        attempts.push(context);
        times.push(Date.now());
        if (attempts.length < 3) throw new Error('ERP down');
      },
    });
    await queue.enqueueWriteback('ob-1');
    await waitFor(() => attempts.length === 3);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts[0]?.maxAttempts).toBe(3);
    // base 20 ms with equal jitter: the first retry waits at least 10 ms, the second at least 20.
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(9);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(19);
  });

  it('gives up after the last attempt and reports the failure', async () => {
    queue = backend.open();
    const failures: FailedJob[] = [];
    queue.onFailed((f) => failures.push(f));
    let runs = 0;
    queue.startWorkers({ reschedule: async () => { runs += 1; throw new Error('boom'); }, writeback: noop });
    await queue.enqueueReschedule('P1');
    await waitFor(() => failures.length === 1);
    expect(runs).toBe(3);
    expect(failures[0]).toMatchObject({ kind: 'reschedule', key: 'P1', error: 'boom', attempts: 3 });
  });

  it('does not retry an unrecoverable error', async () => {
    queue = backend.open();
    const failures: FailedJob[] = [];
    queue.onFailed((f) => failures.push(f));
    let runs = 0;
    queue.startWorkers({ reschedule: noop, writeback: async () => { runs += 1; throw new UnrecoverableJobError('400 bad'); } });
    await queue.enqueueWriteback('ob-9');
    await waitFor(() => failures.length === 1);
    await sleep(100);
    expect(runs).toBe(1);
    expect(failures[0]).toMatchObject({ kind: 'writeback', key: 'ob-9', error: '400 bad' });
  });

  it('re-runs after a RetryLaterError delay without spending an attempt', async () => {
    queue = backend.open();
    const contexts: { attempt: number; at: number }[] = [];
    queue.startWorkers({
      reschedule: noop,
      writeback: async (_id, context) => {
        contexts.push({ attempt: context.attempt, at: Date.now() });
        if (contexts.length <= 4) throw new RetryLaterError(60);
      },
    });
    await queue.enqueueWriteback('ob-2');
    await waitFor(() => contexts.length === 5);
    // Four deferrals with a 3-attempt policy: deferrals do not count as attempts.
    expect(contexts.every((c) => c.attempt === 1)).toBe(true);
    expect((contexts[1]?.at ?? 0) - (contexts[0]?.at ?? 0)).toBeGreaterThanOrEqual(55);
  });

  it('lets the running job finish on close', async () => {
    queue = backend.open();
    let finished = false;
    let started = false;
    queue.startWorkers({ reschedule: async () => { started = true; await sleep(200); finished = true; }, writeback: noop });
    await queue.enqueueReschedule('P1');
    await waitFor(() => started);
    await disposeQueue(queue); // closes first: close must wait for the running job
    expect(finished).toBe(true);
    queue = backend.open(); // afterEach disposes a fresh one
  });
});
