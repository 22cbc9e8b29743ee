/**
 * Postgres is the record, the queue only transport: the sweeper re-enqueues every dirty plant
 * and every pending write-back that is due, so a lost Redis, a crashed worker or a restart
 * loses nothing. Queue de-duplication makes a sweep of already-queued work a no-op.
 */
import type { JobQueue } from '../queue/job-queue.ts';
import type { Db } from '../store/database.ts';
import { dueCutoff } from '../store/due-cutoff.ts';
import { listDirtyPlants } from '../store/plant-state.ts';

export interface SweepOptions {
  /** Re-enqueue pending write-backs too (false without an ERP adapter). */
  readonly writebacks?: boolean;
  readonly now?: Date;
  /** Most outbox rows per sweep (default 1000; the rest come next time). */
  readonly batch?: number;
}

export interface SweepReport {
  readonly plants: readonly string[];
  readonly outbox: readonly string[];
}

export async function sweepOnce(db: Db, queue: JobQueue, options: SweepOptions = {}): Promise<SweepReport> {
  const plants = await listDirtyPlants(db);
  for (const plant of plants) await queue.enqueueReschedule(plant);
  if (options.writebacks === false) return { plants, outbox: [] };
  const rows = await db.selectFrom('outbox').select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<', dueCutoff((options.now ?? new Date()).getTime()))
    .orderBy('created_at')
    .limit(options.batch ?? 1000)
    .execute();
  for (const row of rows) await queue.enqueueWriteback(row.id);
  return { plants, outbox: rows.map((r) => r.id) };
}

export interface Sweeper {
  stop(): Promise<void>;
}

/** Sweeps now and every `intervalMs`; errors (database or queue down) wait for the next tick. */
export function startSweeper(
  db: Db,
  queue: JobQueue,
  options: SweepOptions & { readonly intervalMs?: number; readonly onError?: (error: unknown) => void } = {},
): Sweeper {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = (): void => {
    running = sweepOnce(db, queue, { ...options, now: new Date() })
      .then(() => undefined, (error: unknown) => options.onError?.(error))
      .finally(() => { if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 30_000); });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
