/**
 * The queue on Redis through BullMQ, for many API instances and workers. Coalescing uses a few
 * deterministic job ids per key (slots `a`, `b`, `c`): BullMQ ignores an add whose id exists,
 * which gives "one waiting" for free; a free slot lets one more wait while another is running
 * (an add with the running job's id would be swallowed and the change it announces missed).
 * The third slot is for a job a killed worker left `active` until its lock runs out (30 s):
 * without it, a change during the restarted worker's run would find both slots active and wait
 * out that lock. Job data is only the key; Postgres holds everything else.
 */
import { DelayedError, Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { backoffDelay, defaultRetryPolicy, type RetryPolicy } from './backoff.ts';
import { isRetryLater, isUnrecoverable } from './errors.ts';
import type {
  EnqueueOutcome, FailedJob, JobContext, JobHandlers, JobKind, JobQueue, QueueCounts, WorkerOptions,
} from './job-queue.ts';

export interface BullmqQueueOptions {
  readonly redisUrl: string;
  /** Redis key prefix; one per deployment (tests use a fresh one each). Default `takt`. */
  readonly prefix?: string;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  /** How long `close()` waits for running jobs before it drops the workers' connections (default 10 s). */
  readonly closeGraceMs?: number;
}

interface JobData {
  readonly key: string;
}

const KINDS: readonly JobKind[] = ['reschedule', 'writeback'];
const WAITING_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);
const FINISHED_STATES = new Set(['completed', 'failed']);
const BACKOFF_TYPE = 'takt-jitter';

const SLOTS = ['a', 'b', 'c'] as const;

/** BullMQ forbids ':' in custom ids; percent-encoding keeps keys distinct and readable. */
function slotIds(kind: JobKind, key: string): readonly string[] {
  const encoded = encodeURIComponent(key);
  return SLOTS.map((slot) => `${kind}-${slot}-${encoded}`);
}

export class BullmqQueue implements JobQueue {
  readonly kind = 'bullmq';
  private readonly connection: Redis;
  private readonly queues: Record<JobKind, Queue<JobData>>;
  private readonly workers: Worker<JobData>[] = [];
  private readonly workerConnections: Redis[] = [];
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  readonly prefix: string;
  private readonly failureListeners: ((failure: FailedJob) => void)[] = [];
  private readonly failedCounts: Record<JobKind, number> = { reschedule: 0, writeback: 0 };

  constructor(private readonly options: BullmqQueueOptions) {
    this.retry = options.retry ?? defaultRetryPolicy;
    this.random = options.random ?? Math.random;
    this.prefix = options.prefix ?? 'takt';
    // Producers fail fast when Redis is down (the caller has committed to Postgres already).
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.connection.on('error', () => { /* reported through ping() and failed enqueues */ });
    this.queues = {
      reschedule: new Queue<JobData>('reschedule', { connection: this.connection, prefix: this.prefix }),
      writeback: new Queue<JobData>('writeback', { connection: this.connection, prefix: this.prefix }),
    };
    for (const queue of Object.values(this.queues)) queue.on('error', () => { /* see ping() */ });
  }

  enqueueReschedule(plant: string): Promise<EnqueueOutcome> {
    return this.enqueue('reschedule', plant, 0);
  }

  enqueueWriteback(outboxId: string, options: { readonly delayMs?: number } = {}): Promise<EnqueueOutcome> {
    return this.enqueue('writeback', outboxId, options.delayMs ?? 0);
  }

  startWorkers(handlers: JobHandlers, options: WorkerOptions = {}): void {
    const concurrency: Record<JobKind, number> = {
      reschedule: options.rescheduleConcurrency ?? 1,
      writeback: options.writebackConcurrency ?? 4,
    };
    for (const kind of KINDS) {
      const handler = handlers[kind];
      // Workers block on Redis: they need their own connection that retries forever.
      const connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
      connection.on('error', () => { /* the worker reconnects by itself */ });
      this.workerConnections.push(connection);
      const worker = new Worker<JobData>(kind, (job, token) => this.process(job, token, handler), {
        connection,
        prefix: this.prefix,
        concurrency: concurrency[kind],
        // Long-poll at most 1 s: bounds how late a due retry starts if a wake-up is missed.
        drainDelay: 1,
        settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade, this.retry, this.random) },
      });
      worker.on('error', () => { /* connection errors; the worker keeps trying */ });
      worker.on('failed', (job, error) => {
        if (job === undefined) return;
        const final = isUnrecoverable(error) || job.attemptsMade >= (job.opts.attempts ?? 1);
        if (!final) return;
        this.failedCounts[kind] += 1;
        const failure: FailedJob = { kind, key: job.data.key, error: error.message, attempts: job.attemptsMade };
        for (const listener of this.failureListeners) listener(failure);
      });
      this.workers.push(worker);
    }
  }

  onFailed(listener: (failure: FailedJob) => void): void {
    this.failureListeners.push(listener);
  }

  async counts(): Promise<readonly QueueCounts[]> {
    return Promise.all(KINDS.map(async (kind) => {
      const c = await this.queues[kind].getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'failed');
      return {
        name: kind,
        waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        failed: c.failed ?? 0,
      };
    }));
  }

  /** Redis answers within `timeoutMs` (a fresh connection is given that long to come up). */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const answer = (async () => {
      if (this.connection.status !== 'ready') await this.queues.reschedule.waitUntilReady();
      return (await this.connection.ping()) === 'PONG';
    })().catch(() => false);
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    // Worker.close waits for running jobs; queued ones stay in Redis for the next worker. After a
    // Redis restart it can wait forever on its blocking connection (taskforcesh/bullmq#4656,
    // #2430), so the wait is bounded: past it the worker's connections are dropped. A job cut
    // short that way is rebuilt from Postgres by the sweeper.
    const grace = this.options.closeGraceMs ?? 10_000;
    await Promise.all(this.workers.map(async (worker) => {
      let timer: NodeJS.Timeout | undefined;
      const closed = worker.close().then(() => true, () => true);
      const timedOut = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), grace); });
      const clean = await Promise.race([closed, timedOut]);
      clearTimeout(timer);
      // Not awaited: the forced disconnect can hang the same way.
      if (!clean) void worker.disconnect().catch(() => undefined);
    }));
    await Promise.all(KINDS.map((kind) => this.queues[kind].close()));
    await Promise.all([this.connection, ...this.workerConnections].map((c) => c.quit().catch(() => c.disconnect())));
  }

  /** Removes every job and key under this queue's prefix (tests). */
  async obliterate(): Promise<void> {
    await Promise.all(KINDS.map((kind) => this.queues[kind].obliterate({ force: true })));
  }

  private async enqueue(kind: JobKind, key: string, delayMs: number): Promise<EnqueueOutcome> {
    const queue = this.queues[kind];
    const ids = slotIds(kind, key);
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    if (states.some((s) => WAITING_STATES.has(s))) return 'coalesced';
    const free = ids.find((_, i) => states[i] !== 'active');
    // Every slot running: at most one of them is live (the plant's guard refuses the others,
    // which then wait as delayed jobs), and it will read the new state.
    if (free === undefined) return 'coalesced';
    if (FINISHED_STATES.has(states[ids.indexOf(free)] ?? '')) await queue.remove(free);
    const options: JobsOptions = {
      jobId: free,
      attempts: this.retry.attempts,
      backoff: { type: BACKOFF_TYPE },
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600, count: 1000 },
      ...(delayMs > 0 && { delay: delayMs }),
    };
    await queue.add(kind, { key }, options);
    return 'queued';
  }

  private async process(job: Job<JobData>, token: string | undefined, handler: (key: string, context: JobContext) => Promise<void>): Promise<void> {
    const context: JobContext = { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
    try {
      await handler(job.data.key, context);
    } catch (error) {
      if (isRetryLater(error)) {
        // A deferral, not a failure: it spends no attempt.
        await job.moveToDelayed(Date.now() + error.delayMs, token);
        throw new DelayedError();
      }
      if (isUnrecoverable(error) && !(error instanceof UnrecoverableError)) {
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  }
}
