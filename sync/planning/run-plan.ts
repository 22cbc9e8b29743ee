/**
 * One plan run, claimed first (plan-guard.ts: a second run is refused before it solves), then in
 * three steps so that no transaction stays open while the solver works (on
 * PGlite, one session, that would stop every other request): read the plant in a short
 * transaction; solve outside any; commit under the plant's advisory lock a new schedule version,
 * but only if no other run committed a version meanwhile (else `busy`: the job comes back and
 * plans the newer state). Under the plant's `auto` policy the version is published with the
 * write-backs it owes the ERP (publish.ts); under `approve` it is proposed for a planner and
 * older proposals are superseded. The dirty flag is cleared only if no change arrived after the
 * run read the plant's generation (read first, before the plant itself, so a change can only
 * make us re-run, never be missed).
 */
import type { SolveResult } from '../../scheduler/result.ts';
import { loadPlantProblem } from '../plant-problem.ts';
import type { Db, ScheduleState } from '../store/database.ts';
import { linksOf } from '../store/erp-links.ts';
import { getPlantPolicy } from '../store/plant-policies.ts';
import { getPlantState, markPlantClean, recordScheduleVersion } from '../store/plant-state.ts';
import { insertScheduleVersion, latestVersionNumber, supersedeProposals } from '../store/schedule-versions.ts';
import { tryLockPlant } from './advisory-lock.ts';
import type { PlanGuard } from './plan-guard.ts';
import { enqueuePublicationEvents, latestPublishedBefore } from '../events-out/enqueue.ts';
import { publishWritebacks, type PlanConnector } from './publish.ts';
import { inThreadSolver, type SolverPool } from './solver-pool.ts';

export type { PlanConnector } from './publish.ts';

export interface RunPlanOptions {
  /** The instant the schedule starts from. */
  readonly now: Date;
  readonly timeLimitMs?: number;
  readonly reason: string;
  readonly seed?: number;
  /** Where the engine runs (default on this thread); the runtime passes its solver threads. */
  readonly solver?: SolverPool;
  /** Set when the plant's ERP is reached through a connector: its links decide what is written. */
  readonly connector?: PlanConnector | null;
  /** Claims the plant before anything is read, so a second run is refused at once (default: none, only the commit-time check). */
  readonly guard?: PlanGuard;
}

export type PlanRunOutcome =
  | {
    readonly status: 'planned';
    readonly plant: string;
    readonly version: number;
    /** `published` (write-backs queued) or `proposed` (awaiting a planner). */
    readonly state: ScheduleState;
    readonly result: SolveResult;
    /** Outbox rows written with this version, to enqueue after the commit. */
    readonly outboxIds: readonly string[];
    /** A change arrived during the run: the plant needs another. */
    readonly stillDirty: boolean;
    /** The event whose change this run planned (null when a planner asked without one). */
    readonly correlationId: string | null;
  }
  /** Another run holds the plant's lock. */
  | { readonly status: 'busy'; readonly plant: string }
  | { readonly status: 'unknown-plant'; readonly plant: string };

export const DEFAULT_TIME_LIMIT_MS = 2_000;

export async function runPlan(db: Db, plant: string, options: RunPlanOptions): Promise<PlanRunOutcome> {
  const claim = options.guard === undefined ? null : await options.guard.claim(plant);
  if (options.guard !== undefined && claim === null) return { status: 'busy', plant };
  try {
    return await planClaimed(db, plant, options);
  } finally {
    await claim?.release();
  }
}

async function planClaimed(db: Db, plant: string, options: RunPlanOptions): Promise<PlanRunOutcome> {
  const snapshot = await db.transaction().execute(async (trx) => {
    const state = await getPlantState(trx, plant);
    const problem = await loadPlantProblem(trx, plant, options.now);
    if (problem === null) return null;
    return {
      generation: state?.generation ?? null,
      // The event behind the change being planned: logs and write-backs carry it.
      correlationId: state?.dirty ? state.causeEvent : null,
      problem,
      latest: await latestVersionNumber(trx, plant),
      policy: await getPlantPolicy(trx, plant),
      // Read with the plant, so each write-back is guarded by the stamp of the state it was planned from.
      links: options.connector ? await linksOf(trx, options.connector.connection, 'work_order') : null,
    };
  });
  if (snapshot === null) return { status: 'unknown-plant', plant };
  const { generation, correlationId, problem, latest, policy, links } = snapshot;

  const result = await (options.solver ?? inThreadSolver).solve(problem, {
    now: options.now.getTime(),
    timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    ...(options.seed !== undefined && { seed: options.seed }),
  });

  return db.transaction().execute(async (trx): Promise<PlanRunOutcome> => {
    if (!(await tryLockPlant(trx, plant))) return { status: 'busy', plant };
    if ((await latestVersionNumber(trx, plant)) !== latest) return { status: 'busy', plant };

    const state: ScheduleState = policy.publishing === 'approve' ? 'proposed' : 'published';
    const version = await insertScheduleVersion(trx, {
      plant, now: options.now.toISOString(), reason: options.reason, status: result.status, kpis: result.kpis, result, state, generation,
    });
    let outboxIds: string[] = [];
    if (state === 'published') {
      outboxIds = await publishWritebacks(trx, {
        plant, version, result, policy: policy.writeback, correlationId, timeZone: problem.plant.timeZone, now: options.now,
        connector: options.connector && links ? { plan: options.connector, links } : null,
      });
      await enqueuePublicationEvents(trx, plant, await latestPublishedBefore(trx, plant, version), { version, result }, options.now);
    } else {
      await supersedeProposals(trx, plant, version, options.now);
    }

    const cleaned = generation === null ? true : await markPlantClean(trx, plant, generation);
    await recordScheduleVersion(trx, plant, version);
    return { status: 'planned', plant, version, state, result, outboxIds, stillDirty: !cleaned, correlationId };
  });
}
