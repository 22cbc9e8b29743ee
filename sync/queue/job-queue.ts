/**
 * The queue between "something changed" and "the work that follows": plan runs and write-backs.
 * Postgres is the record; the queue only carries ids, so every job can be rebuilt from rows
 * (see sync/planning/sweeper.ts). Two implementations share these semantics: in-process
 * (embedded default) and BullMQ on Redis.
 *
 * - `reschedule(plant)` is coalesced: per plant at most one job waiting and one running; a
 *   request while one waits joins it ('coalesced'); a request while one runs (and none waits)
 *   queues one more, so the change it announces is seen by a run that starts after it.
 * - `writeback(outboxId)` is de-duplicated the same way per outbox row.
 * - Failures: see errors.ts (unrecoverable, retry-later, or exponential backoff + jitter).
 */

export type JobKind = 'reschedule' | 'writeback';

export type EnqueueOutcome = 'queued' | 'coalesced';

export interface JobContext {
  /** 1 for the first run; retries after `RetryLaterError` keep their number. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

export interface JobHandlers {
  readonly reschedule: (plant: string, context: JobContext) => Promise<void>;
  readonly writeback: (outboxId: string, context: JobContext) => Promise<void>;
}

export interface WorkerOptions {
  /** Jobs of each kind run at once in this process (default 1 for reschedule, 4 for writeback). */
  readonly rescheduleConcurrency?: number;
  readonly writebackConcurrency?: number;
}

export interface QueueCounts {
  readonly name: JobKind;
  /** Waiting or delayed (a retry not yet due). */
  readonly waiting: number;
  readonly active: number;
  readonly failed: number;
}

/** A job that ran out of attempts or failed unrecoverably. */
export interface FailedJob {
  readonly kind: JobKind;
  readonly key: string;
  readonly error: string;
  readonly attempts: number;
}

export interface JobQueue {
  readonly kind: 'in-process' | 'bullmq';
  enqueueReschedule(plant: string): Promise<EnqueueOutcome>;
  enqueueWriteback(outboxId: string, options?: { readonly delayMs?: number }): Promise<EnqueueOutcome>;
  /** Starts running jobs in this process (an API-only instance enqueues and never calls it). */
  startWorkers(handlers: JobHandlers, options?: WorkerOptions): void;
  /** Called for every job that failed for good (for logs and metrics). */
  onFailed(listener: (failure: FailedJob) => void): void;
  counts(): Promise<readonly QueueCounts[]>;
  /** Whether the backing store answers (always true in-process). */
  ping(): Promise<boolean>;
  /** Stops taking jobs, lets running ones finish, then releases connections and timers. */
  close(): Promise<void>;
}
