/**
 * One plan run, in three steps so that no transaction stays open while the solver works (on
 * PGlite, one session, that would stop every other request): read the plant in a short
 * transaction; solve outside any; commit under the plant's advisory lock a new schedule version
 * and the outbox rows of the orders it changed, but only if no other run committed a version
 * meanwhile (else `busy`: the job comes back and plans the newer state). The dirty flag is
 * cleared only if no change arrived after the run read the plant's generation (read first,
 * before the plant itself, so a change can only make us re-run, never be missed).
 */
import { randomUUID } from 'node:crypto';
import type { SolveResult } from '../../scheduler/result.ts';
import { loadPlantProblem } from '../plant-problem.ts';
import { toJson, type Db } from '../store/database.ts';
import { linksOf } from '../store/erp-links.ts';
import type { ErpLink } from '../connectors/connector.ts';
import type { WritebackPayload } from '../writeback/payload.ts';
import { getPlantState, markPlantClean, recordScheduleVersion } from '../store/plant-state.ts';
import { insertScheduleVersion, latestScheduleVersion, latestVersionNumber } from '../store/schedule-versions.ts';
import { tryLockPlant } from './advisory-lock.ts';
import { changedOrderPayloads, defaultChangeThreshold, type ChangeThreshold } from './changed-orders.ts';
import { inThreadSolver, type SolverPool } from './solver-pool.ts';

export interface RunPlanOptions {
  /** The instant the schedule starts from. */
  readonly now: Date;
  readonly timeLimitMs?: number;
  readonly reason: string;
  readonly seed?: number;
  readonly threshold?: ChangeThreshold;
  /** Where the engine runs (default on this thread); the runtime passes its solver threads. */
  readonly solver?: SolverPool;
  /** Set when the plant's ERP is reached through a connector: its links decide what is written. */
  readonly connector?: PlanConnector | null;
}

/** What a plan run needs of a plant's connector: where its links are and what the ERP would hold. */
export interface PlanConnector {
  readonly connection: string;
  project(payload: WritebackPayload, basis: ErpLink): unknown;
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
    /** The event whose change this run planned (null when a planner asked without one). */
    readonly correlationId: string | null;
  }
  /** Another run holds the plant's lock. */
  | { readonly status: 'busy'; readonly plant: string }
  | { readonly status: 'unknown-plant'; readonly plant: string };

export const DEFAULT_TIME_LIMIT_MS = 2_000;

export async function runPlan(db: Db, plant: string, options: RunPlanOptions): Promise<PlanRunOutcome> {
  const snapshot = await db.transaction().execute(async (trx) => {
    const state = await getPlantState(trx, plant);
    const problem = await loadPlantProblem(trx, plant, options.now);
    if (problem === null) return null;
    return {
      generation: state?.generation ?? null,
      // The event behind the change being planned: logs and write-backs carry it.
      correlationId: state?.dirty ? state.causeEvent : null,
      problem,
      previous: await latestScheduleVersion(trx, plant),
      // Read with the plant, so each write-back is guarded by the stamp of the state it was planned from.
      links: options.connector ? await linksOf(trx, options.connector.connection, 'work_order') : null,
    };
  });
  if (snapshot === null) return { status: 'unknown-plant', plant };
  const { generation, correlationId, problem, previous, links } = snapshot;

  const result = await (options.solver ?? inThreadSolver).solve(problem, {
    now: options.now.getTime(),
    timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    ...(options.seed !== undefined && { seed: options.seed }),
  });

  return db.transaction().execute(async (trx): Promise<PlanRunOutcome> => {
    if (!(await tryLockPlant(trx, plant))) return { status: 'busy', plant };
    if ((await latestVersionNumber(trx, plant)) !== (previous?.version ?? null)) return { status: 'busy', plant };

    const version = await insertScheduleVersion(trx, {
      plant, now: options.now.toISOString(), reason: options.reason, status: result.status, kpis: result.kpis, result,
    });

    const statuses = new Map(
      (await trx.selectFrom('work_orders').select(['id', 'status']).where('plant', '=', plant).execute())
        .map((r) => [r.id, r.status]),
    );
    const due = changedOrderPayloads({
      plant, version, result, previous: previous?.result ?? null, statusOf: (id) => statuses.get(id),
      threshold: options.threshold ?? defaultChangeThreshold, correlationId, timeZone: problem.plant.timeZone,
      held: options.connector && links ? { project: (payload, basis) => options.connector!.project(payload, basis), linkOf: (id) => links.get(id) } : null,
    });
    const outboxIds: string[] = [];
    if (due.length > 0) {
      // An older write-back still waiting for an order we now write again would only be overtaken.
      // One being delivered right now finishes first; the new one waits for it (worker.ts).
      await trx.updateTable('outbox')
        .set({ status: 'skipped', last_error: `superseded by version ${version}` })
        .where('plant', '=', plant)
        .where('status', '=', 'pending')
        .where('work_order', 'in', due.map((d) => d.payload.workOrder))
        .where((eb) => eb.or([eb('in_flight_until', 'is', null), eb('in_flight_until', '<=', options.now)]))
        .execute();
      const rows = due.map(({ payload, basis }) => ({
        id: randomUUID(),
        plant,
        work_order: payload.workOrder,
        schedule_version: version,
        idempotency_key: payload.idempotencyKey,
        payload: toJson(payload),
        correlation_id: correlationId,
        erp_basis: basis === null ? null : toJson({ kind: basis.kind, key: basis.key, ref: basis.ref, stamp: basis.stamp, held: basis.held, pending: basis.pending, memo: basis.memo }),
      }));
      for (let i = 0; i < rows.length; i += 1_000) await trx.insertInto('outbox').values(rows.slice(i, i + 1_000)).execute();
      outboxIds.push(...rows.map((r) => r.id));
    }

    const cleaned = generation === null ? true : await markPlantClean(trx, plant, generation);
    await recordScheduleVersion(trx, plant, version);
    return { status: 'planned', plant, version, result, outboxIds, stillDirty: !cleaned, correlationId };
  });
}
