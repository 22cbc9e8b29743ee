/**
 * One plan run: under the plant's advisory lock, in one transaction, load the plant, solve,
 * commit a new schedule version and the outbox rows of the orders it changed. The dirty flag is
 * cleared only if no change arrived after the run read the plant's generation (read first,
 * before the plant itself, so a change can only make us re-run, never be missed). The run reads
 * at READ COMMITTED and touches plant_state only at the very end, so ingestion is not blocked
 * behind a long solve on PostgreSQL. (PGlite is one session: there the solve holds it.)
 */
import { randomUUID } from 'node:crypto';
import type { SolveResult } from '../../scheduler/result.ts';
import { solve } from '../../scheduler/solve.ts';
import { loadPlantProblem } from '../plant-problem.ts';
import { toJson, type Db } from '../store/database.ts';
import { getPlantState, markPlantClean, recordScheduleVersion } from '../store/plant-state.ts';
import { insertScheduleVersion, latestScheduleVersion } from '../store/schedule-versions.ts';
import { tryLockPlant } from './advisory-lock.ts';
import { changedOrderPayloads, defaultChangeThreshold, type ChangeThreshold } from './changed-orders.ts';

export interface RunPlanOptions {
  /** The instant the schedule starts from. */
  readonly now: Date;
  readonly timeLimitMs?: number;
  readonly reason: string;
  readonly seed?: number;
  readonly threshold?: ChangeThreshold;
  /** Milliseconds clock for the solver's time limit (default Date.now). */
  readonly clock?: () => number;
}

export type PlanRunOutcome =
  | {
    readonly status: 'planned';
    readonly plant: string;
    readonly version: number;
    readonly result: SolveResult;
    /** Outbox rows written with this version, to enqueue after the commit. */
    readonly outboxIds: readonly string[];
    /** A change arrived during the run: the plant needs another. */
    readonly stillDirty: boolean;
  }
  /** Another run holds the plant's lock. */
  | { readonly status: 'busy'; readonly plant: string }
  | { readonly status: 'unknown-plant'; readonly plant: string };

export const DEFAULT_TIME_LIMIT_MS = 2_000;

export async function runPlan(db: Db, plant: string, options: RunPlanOptions): Promise<PlanRunOutcome> {
  return db.transaction().execute(async (trx): Promise<PlanRunOutcome> => {
    if (!(await tryLockPlant(trx, plant))) return { status: 'busy', plant };

    const generation = (await getPlantState(trx, plant))?.generation ?? null;
    const problem = await loadPlantProblem(trx, plant, options.now);
    if (problem === null) return { status: 'unknown-plant', plant };
    const previous = await latestScheduleVersion(trx, plant);

    const result = solve(problem, {
      now: options.now,
      timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
      clock: options.clock ?? Date.now,
      ...(options.seed !== undefined && { seed: options.seed }),
    });

    const version = await insertScheduleVersion(trx, {
      plant, now: options.now.toISOString(), reason: options.reason, status: result.status, kpis: result.kpis, result,
    });

    const statuses = new Map(
      (await trx.selectFrom('work_orders').select(['id', 'status']).where('plant', '=', plant).execute())
        .map((r) => [r.id, r.status]),
    );
    const payloads = changedOrderPayloads(plant, version, result, previous?.result ?? null, (id) => statuses.get(id), options.threshold ?? defaultChangeThreshold);
    const outboxIds: string[] = [];
    if (payloads.length > 0) {
      // An older write-back still waiting for an order we now write again would only be overtaken.
      await trx.updateTable('outbox')
        .set({ status: 'skipped', last_error: `superseded by version ${version}` })
        .where('plant', '=', plant)
        .where('status', '=', 'pending')
        .where('work_order', 'in', payloads.map((p) => p.workOrder))
        .execute();
      const rows = payloads.map((payload) => ({
        id: randomUUID(),
        plant,
        work_order: payload.workOrder,
        schedule_version: version,
        idempotency_key: payload.idempotencyKey,
        payload: toJson(payload),
      }));
      await trx.insertInto('outbox').values(rows).execute();
      outboxIds.push(...rows.map((r) => r.id));
    }

    const cleaned = generation === null ? true : await markPlantClean(trx, plant, generation);
    await recordScheduleVersion(trx, plant, version);
    return { status: 'planned', plant, version, result, outboxIds, stillDirty: !cleaned };
  });
}
