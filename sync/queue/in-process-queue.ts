/**
 * The embedded queue: jobs live in this process's memory (Postgres rebuilds them after a
 * restart). Per key (a plant, an outbox row) a tiny state machine: idle → waiting → running,
 * with at most one waiting while one runs.
 */
import { backoffDelay, defaultRetryPolicy, type RetryPolicy } from './backoff.ts';
import { errorMessage, isRetryLater, isUnrecoverable } from './errors.ts';
import type {
  EnqueueOutcome, FailedJob, JobContext, JobHandlers, JobKind, JobQueue, QueueCounts, WorkerOptions,
} from './job-queue.ts';

export interface InProcessQueueOptions {
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
}

interface Pending {
  attempt: number;
  dueAt: number;
  timer: NodeJS.Timeout | null;
}

interface Slot {
  waiting: Pending | null;
  active: boolean;
}

type Handler = (key: string, context: JobContext) => Promise<void>;

class Lane {
  readonly slots = new Map<string, Slot>();
  handler: Handler | null = null;
  concurrency = 1;
  running = 0;
  failed = 0;

  constructor(readonly kind: JobKind) {}
}

export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process';
  private readonly lanes: Record<JobKind, Lane> = { reschedule: new Lane('reschedule'), writeback: new Lane('writeback') };
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly failureListeners: ((failure: FailedJob) => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(options: InProcessQueueOptions = {}) {
    this.retry = options.retry ?? defaultRetryPolicy;
    this.random = options.random ?? Math.random;
  }

  enqueueReschedule(plant: string): Promise<EnqueueOutcome> {
    return Promise.resolve(this.enqueue(this.lanes.reschedule, plant, 0, 1));
  }

  enqueueWriteback(outboxId: string, options: { readonly delayMs?: number } = {}): Promise<EnqueueOutcome> {
    return Promise.resolve(this.enqueue(this.lanes.writeback, outboxId, options.delayMs ?? 0, 1));
  }

  startWorkers(handlers: JobHandlers, options: WorkerOptions = {}): void {
    this.lanes.reschedule.handler = handlers.reschedule;
    this.lanes.reschedule.concurrency = options.rescheduleConcurrency ?? 1;
    this.lanes.writeback.handler = handlers.writeback;
    this.lanes.writeback.concurrency = options.writebackConcurrency ?? 4;
    this.pump(this.lanes.reschedule);
    this.pump(this.lanes.writeback);
  }

  onFailed(listener: (failure: FailedJob) => void): void {
    this.failureListeners.push(listener);
  }

  counts(): Promise<readonly QueueCounts[]> {
    return Promise.resolve(Object.values(this.lanes).map((lane) => {
      let waiting = 0;
      for (const slot of lane.slots.values()) if (slot.waiting !== null) waiting += 1;
      return { name: lane.kind, waiting, active: lane.running, failed: lane.failed };
    }));
  }

  ping(): Promise<boolean> {
    return Promise.resolve(!this.closed);
  }

  /** Resolves once nothing waits or runs (tests and `takt solve`-style one-shot runs). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => { this.idleWaiters.push(resolve); });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const lane of Object.values(this.lanes)) {
      for (const [key, slot] of lane.slots) {
        if (slot.waiting?.timer) clearTimeout(slot.waiting.timer);
        slot.waiting = null;
        if (!slot.active) lane.slots.delete(key);
      }
    }
    await this.idle();
  }

  private enqueue(lane: Lane, key: string, delayMs: number, attempt: number): EnqueueOutcome {
    if (this.closed) throw new Error('queue is closed');
    const slot = lane.slots.get(key) ?? { waiting: null, active: false };
    lane.slots.set(key, slot);
    const dueAt = Date.now() + Math.max(0, delayMs);
    if (slot.waiting !== null) {
      // A newer request never waits longer than the one it joins.
      if (dueAt < slot.waiting.dueAt) this.arm(lane, slot.waiting, dueAt);
      return 'coalesced';
    }
    const pending: Pending = { attempt, dueAt, timer: null };
    slot.waiting = pending;
    this.arm(lane, pending, dueAt);
    return 'queued';
  }

  private arm(lane: Lane, pending: Pending, dueAt: number): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.dueAt = dueAt;
    const delay = dueAt - Date.now();
    // A timer may fire a millisecond before Date.now() reaches dueAt: when it fires, the job is due.
    const fire = (): void => { pending.timer = null; pending.dueAt = Math.min(pending.dueAt, Date.now()); this.pump(lane); };
    pending.timer = delay > 0 ? setTimeout(fire, delay) : null;
    if (delay <= 0) queueMicrotask(() => this.pump(lane));
  }

  private pump(lane: Lane): void {
    if (lane.handler === null || this.closed) return;
    const now = Date.now();
    for (const [key, slot] of lane.slots) {
      if (lane.running >= lane.concurrency) return;
      const pending = slot.waiting;
      if (slot.active || pending === null || pending.dueAt > now) continue;
      slot.waiting = null;
      slot.active = true;
      lane.running += 1;
      void this.run(lane, key, slot, pending.attempt);
    }
  }

  private async run(lane: Lane, key: string, slot: Slot, attempt: number): Promise<void> {
    const handler = lane.handler;
    try {
      if (handler === null) return;
      await handler(key, { attempt, maxAttempts: this.retry.attempts });
    } catch (error) {
      this.afterFailure(lane, key, slot, attempt, error);
    } finally {
      slot.active = false;
      lane.running -= 1;
      if (slot.waiting === null) lane.slots.delete(key);
      this.pump(lane);
      if (this.isIdle()) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  private afterFailure(lane: Lane, key: string, slot: Slot, attempt: number, error: unknown): void {
    // A request that arrived during the run is already waiting and will do the work again.
    const retryable = !isUnrecoverable(error) && (isRetryLater(error) || attempt < this.retry.attempts);
    if (retryable && !this.closed) {
      if (slot.waiting !== null) return;
      const delay = isRetryLater(error) ? error.delayMs : backoffDelay(attempt, this.retry, this.random);
      const pending: Pending = { attempt: isRetryLater(error) ? attempt : attempt + 1, dueAt: 0, timer: null };
      slot.waiting = pending;
      this.arm(lane, pending, Date.now() + delay);
      return;
    }
    if (this.closed && retryable) return;
    lane.failed += 1;
    const failure: FailedJob = { kind: lane.kind, key, error: errorMessage(error), attempts: attempt };
    for (const listener of this.failureListeners) listener(failure);
  }

  private isIdle(): boolean {
    for (const lane of Object.values(this.lanes)) {
      if (lane.running > 0) return false;
      if (this.closed) continue;
      for (const slot of lane.slots.values()) if (slot.waiting !== null) return false;
    }
    return true;
  }
}
