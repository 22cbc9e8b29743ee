/**
 * One worker process's worth of the sync core, as `openRuntime` assembles it, over a given
 * database and a BullMQ queue on a given Redis: the reschedule and write-back handlers, and the
 * sweeper. Tests open several over time (a "crashed" worker is closed, a fresh one opened on
 * the same prefix) to show that Postgres, not the queue, carries the work.
 */
import type { PlanRunOutcome } from '../../sync/planning/run-plan.ts';
import { createRescheduleHandler } from '../../sync/planning/reschedule-job.ts';
import { startSweeper, type Sweeper } from '../../sync/planning/sweeper.ts';
import type { RetryPolicy } from '../../sync/queue/backoff.ts';
import { BullmqQueue } from '../../sync/queue/bullmq-queue.ts';
import type { JobQueue } from '../../sync/queue/job-queue.ts';
import type { Db } from '../../sync/store/database.ts';
import type { ErpOutbound } from '../../sync/connectors/connector.ts';
import { createWritebackHandler, type WritebackResult } from '../../sync/writeback/worker.ts';

export interface SyncWorkerConfig {
  readonly db: Db;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly adapter: ErpOutbound | null;
  /** The schedules' `now` (leases and retries run on the real clock, like the sweeper's). */
  readonly planClock: () => number;
  readonly timeLimitMs: number;
  readonly sweepIntervalMs: number;
  /** Queue-level retries of a failing job. */
  readonly queueRetry: RetryPolicy;
  /** Outbox-level retries of a delivery (kept in the row). */
  readonly writebackRetry: RetryPolicy;
  readonly leaseMs?: number;
  /** Bound on waiting for running jobs when closing (default 2 s). */
  readonly closeGraceMs?: number;
  readonly random?: () => number;
  readonly onRun?: (outcome: PlanRunOutcome) => void;
  readonly onWriteback?: (outboxId: string, result: WritebackResult) => void;
  /** The queue the reschedule handler hands its write-backs to (to lose them on purpose). */
  readonly handOffQueue?: (queue: JobQueue) => JobQueue;
  /** Wraps the reschedule handler (to make it fail on purpose). */
  readonly wrapReschedule?: (run: (plant: string) => Promise<void>) => (plant: string) => Promise<void>;
}

export interface SyncWorker {
  readonly queue: BullmqQueue;
  close(): Promise<void>;
}

export function startSyncWorker(config: SyncWorkerConfig): SyncWorker {
  const { db } = config;
  const queue = new BullmqQueue({
    redisUrl: config.redisUrl, prefix: config.prefix, retry: config.queueRetry, closeGraceMs: config.closeGraceMs ?? 2_000,
    ...(config.random !== undefined && { random: config.random }),
  });
  const writebacks = config.adapter !== null;
  const reschedule = createRescheduleHandler({
    db, queue: config.handOffQueue?.(queue) ?? queue, writebacks, clock: config.planClock, timeLimitMs: config.timeLimitMs, busyRetryMs: 50,
    ...(config.onRun !== undefined && { onRun: config.onRun }),
  });
  const writeback = config.adapter === null ? null : createWritebackHandler({
    db, adapter: config.adapter, retry: config.writebackRetry, leaseMs: config.leaseMs ?? 10_000,
    ...(config.random !== undefined && { random: config.random }),
  });
  const runReschedule = config.wrapReschedule?.(reschedule) ?? reschedule;
  queue.startWorkers({
    reschedule: (plant) => runReschedule(plant),
    writeback: async (id) => {
      if (writeback === null) return;
      const result = await writeback(id);
      config.onWriteback?.(id, result);
    },
  });
  const sweeper: Sweeper = startSweeper(db, queue, { writebacks, intervalMs: config.sweepIntervalMs });
  return {
    queue,
    async close() {
      await sweeper.stop();
      await queue.close();
    },
  };
}
