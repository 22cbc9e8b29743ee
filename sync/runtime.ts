/**
 * Assembles the running service core from its configuration: database (PostgreSQL or PGlite,
 * migrated), queue (BullMQ or in-process), the `Takt` core, and, in a worker, the job handlers,
 * the sweeper and the change-feed pollers. `close()` stops them in reverse order.
 */
import type { FeedConfig } from './feeds/feed-poller.ts';
import { startFeedPoller, type FeedPoller } from './feeds/feed-poller.ts';
import { createRescheduleHandler } from './planning/reschedule-job.ts';
import { startSweeper, type Sweeper } from './planning/sweeper.ts';
import type { JobQueue } from './queue/job-queue.ts';
import { openQueue } from './queue/open-queue.ts';
import type { Db } from './store/database.ts';
import { migrateToLatest } from './store/migrate.ts';
import { openDatabase } from './store/open-database.ts';
import { createTakt, type TaktCore } from './takt.ts';
import { createWritebackAdapter, type WritebackAdapterConfig } from './writeback/create-adapter.ts';
import { createWritebackHandler } from './writeback/worker.ts';

export interface RuntimeConfig {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly redisUrl: string | undefined;
  /** Queue name prefix (BullMQ keys); tests use a fresh one. */
  readonly queuePrefix?: string;
  readonly writeback: WritebackAdapterConfig;
  readonly feeds: readonly FeedConfig[];
  /** Run queue workers, the sweeper and the feed pollers in this process. */
  readonly workers: boolean;
  readonly timeLimitMs?: number;
  readonly sweepIntervalMs?: number;
  readonly clock?: () => number;
}

export interface Runtime {
  readonly db: Db;
  readonly queue: JobQueue;
  readonly takt: TaktCore;
  readonly writebacks: boolean;
  close(): Promise<void>;
}

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export async function openRuntime(config: RuntimeConfig, log: Log): Promise<Runtime> {
  const db = await openDatabase({ ...(config.databaseUrl !== undefined && { databaseUrl: config.databaseUrl }), dataDir: config.dataDir });
  const migrated = await migrateToLatest(db);
  if (!migrated.ok) {
    await db.destroy();
    throw new Error(`migration ${migrated.failed} failed: ${migrated.message}`);
  }
  const queue = openQueue({
    ...(config.redisUrl !== undefined && { redisUrl: config.redisUrl }),
    ...(config.queuePrefix !== undefined && { prefix: config.queuePrefix }),
  });
  const adapter = createWritebackAdapter(config.writeback);
  const writebacks = adapter !== null;
  const clock = config.clock ?? Date.now;
  const takt = createTakt({
    db, queue, writebacks, clock,
    ...(config.timeLimitMs !== undefined && { timeLimitMs: config.timeLimitMs }),
  });

  let sweeper: Sweeper | null = null;
  const pollers: FeedPoller[] = [];
  if (config.workers) {
    const reschedule = createRescheduleHandler({
      db, queue, writebacks, clock,
      ...(config.timeLimitMs !== undefined && { timeLimitMs: config.timeLimitMs }),
      onRun: (outcome) => {
        takt.recordRun(outcome);
        if (outcome.status === 'planned') {
          log('info', 'schedule version committed', { plant: outcome.plant, version: outcome.version, status: outcome.result.status, writebacks: outcome.outboxIds.length });
        }
      },
    });
    const writeback = adapter === null ? null : createWritebackHandler({ db, adapter, clock });
    queue.startWorkers({
      reschedule: (plant) => reschedule(plant),
      writeback: async (outboxId) => {
        if (writeback === null) return;
        const result = await writeback(outboxId);
        log(result === 'dead' ? 'warn' : 'info', 'write-back', { outboxId, result });
      },
    });
    queue.onFailed((failure) => log('error', 'job failed for good', { ...failure }));
    sweeper = startSweeper(db, queue, {
      writebacks,
      ...(config.sweepIntervalMs !== undefined && { intervalMs: config.sweepIntervalMs }),
      onError: (error) => log('warn', 'sweep failed', { error: String(error) }),
    });
    for (const feed of config.feeds) {
      pollers.push(startFeedPoller({ db, feed, queue, onError: (error) => log('warn', 'feed poll failed', { feed: feed.name, error: String(error) }) }));
    }
  }

  return {
    db, queue, takt, writebacks,
    async close() {
      for (const poller of pollers) await poller.stop();
      await sweeper?.stop();
      await queue.close();
      await db.destroy();
    },
  };
}
