/**
 * The queued reschedule: run a plan if the plant is dirty (a coalesced request finds nothing to
 * do once an earlier run has covered its change), then hand the new write-backs to the queue.
 * Enqueue failures after the commit are harmless: the sweeper finds the rows.
 */
import { RetryLaterError } from '../queue/errors.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import type { Db } from '../store/database.ts';
import { getPlantState } from '../store/plant-state.ts';
import { runPlan, type PlanConnector, type PlanRunOutcome } from './run-plan.ts';
import type { PlanGuard } from './plan-guard.ts';
import type { SolverPool } from './solver-pool.ts';

export interface RescheduleJobOptions {
  readonly db: Db;
  readonly queue: JobQueue;
  readonly timeLimitMs?: number;
  /** Wall clock: the schedule's `now` (default Date.now). */
  readonly clock?: () => number;
  /** Whether write-backs are delivered (false without an ERP adapter: rows stay in the outbox). */
  readonly writebacks?: boolean;
  /** Wait before retrying a plant whose lock another run holds (default 500 ms). */
  readonly busyRetryMs?: number;
  /** Where the engine runs (default on this thread). */
  readonly solver?: SolverPool;
  /** Told about every finished run (logs, metrics, tests). */
  readonly onRun?: (outcome: PlanRunOutcome) => void;
  /** The plant's ERP connector, when it has one (its links decide what is written back). */
  readonly connectorFor?: (plant: string) => PlanConnector | null;
  /** Claims the plant for the run (the runtime shares one with the planners' reschedules). */
  readonly guard?: PlanGuard;
}

export function createRescheduleHandler(options: RescheduleJobOptions): (plant: string) => Promise<void> {
  const clock = options.clock ?? Date.now;
  return async function reschedule(plant: string): Promise<void> {
    const state = await getPlantState(options.db, plant);
    if (state === null || !state.dirty) return;
    const outcome = await runPlan(options.db, plant, {
      now: new Date(clock()),
      reason: 'changes',
      ...(options.timeLimitMs !== undefined && { timeLimitMs: options.timeLimitMs }),
      ...(options.solver !== undefined && { solver: options.solver }),
      connector: options.connectorFor?.(plant) ?? null,
      ...(options.guard !== undefined && { guard: options.guard }),
    });
    if (outcome.status === 'busy') throw new RetryLaterError(options.busyRetryMs ?? 500, `plant ${plant} is being planned`);
    options.onRun?.(outcome);
    await handOffPlanRun(options.queue, outcome, options.writebacks !== false);
  };
}

/**
 * After a committed run: queue its write-backs and, if changes arrived meanwhile, another run.
 * Enqueue failures are harmless: the sweeper rebuilds both from the rows.
 */
export async function handOffPlanRun(queue: JobQueue, outcome: PlanRunOutcome, writebacks: boolean): Promise<void> {
  if (outcome.status !== 'planned') return;
  if (writebacks) for (const id of outcome.outboxIds) await queue.enqueueWriteback(id).catch(() => undefined);
  if (outcome.stillDirty) await queue.enqueueReschedule(outcome.plant).catch(() => undefined);
}
