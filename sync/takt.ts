/**
 * The service core behind the `Takt` port: ingestion, plan runs, views, what-ifs and sync
 * health, over one database and one queue. api/ reaches the core only through this object.
 */
import { sql } from 'kysely';
import { ingestEvents } from './ingest/ingest-events.ts';
import type { DateWindow } from './ingest/plausible-dates.ts';
import { loadPlantProblem } from './plant-problem.ts';
import { handOffPlanRun } from './planning/reschedule-job.ts';
import { DEFAULT_TIME_LIMIT_MS, runPlan, type PlanConnector, type PlanRunOutcome } from './planning/run-plan.ts';
import { localPlanGuard, type PlanGuard } from './planning/plan-guard.ts';
import { inThreadSolver, SolverBusyError, type SolverPool } from './planning/solver-pool.ts';
import type { SolveResult } from '../scheduler/result.ts';
import type { Failure, Takt } from './ports.ts';
import type { JobQueue } from './queue/job-queue.ts';
import { failure } from './failure.ts';
import type { Log } from './log.ts';
import { pinOperation } from './pins.ts';
import { decideProposal } from './planning/approval.ts';
import { getPlantPolicy, setPlantPolicy } from './store/plant-policies.ts';
import { verifyApiKey } from './store/api-keys.ts';
import type { Db } from './store/database.ts';
import { lastEventPerSource } from './store/inbox.ts';
import { listPlantStates } from './store/plant-state.ts';
import { listPlantIds, plantExists } from './store/plants.ts';
import { latestScheduleVersion } from './store/schedule-versions.ts';
import { listFeedCursors } from './store/feed-cursors.ts';
import { getWorkCenterUnits } from './store/work-centers.ts';
import { listWorkOrders } from './store/work-orders.ts';
import { CoreMetrics } from './core-metrics.ts';
import { countDeadLetters, listDeadLetters, outboxBacklog } from './sync-health.ts';
import { listConnectionHealth } from './writeback/circuit-breaker.ts';
import { dispatchList } from './views/dispatch-list.ts';
import { toScheduleView } from './views/schedule-view.ts';
import { toWorkOrderView } from './views/work-order-view.ts';
import { diffOrders } from './what-if/diff.ts';
import { applyOverrides } from './what-if/overrides.ts';
import { replayWebhookDeadLetter } from './events-out/replay.ts';
import { replayDeadLetter, replayDeadLetters } from './writeback/replay.ts';

export interface TaktDeps {
  readonly db: Db;
  readonly queue: JobQueue;
  /** Wall clock in ms: the schedule's `now`. */
  readonly clock?: () => number;
  /** Default budget of a reschedule requested through the API. */
  readonly timeLimitMs?: number;
  /** Whether new write-backs are handed to the queue (false: they wait in the outbox). */
  readonly writebacks: boolean;
  readonly metrics?: CoreMetrics;
  /** Where reschedules solve (default on this thread); the runtime passes its solver threads. */
  readonly solver?: SolverPool;
  /** Where what-ifs solve (default: with the reschedules); their own threads keep them from delaying a plan run. */
  readonly whatIfSolver?: SolverPool;
  /** One run per plant, refused at once (default: within this process); the runtime shares its guard with the queued runs. */
  readonly planGuard?: PlanGuard;
  /** Structured logs; each accepted event's id is the correlation id of what follows from it. */
  readonly log?: Log;
  /** The plant's ERP connector, when it has one (its links decide what is written back). */
  readonly connectorFor?: (plant: string) => PlanConnector | null;
  /** A version was published (its webhook events are in the outbox now: send them without waiting for the next poll). */
  readonly onPublished?: (plant: string, version: number) => void;
  /** Which dates events may carry (default `DEFAULT_DATE_WINDOW`). */
  readonly dates?: DateWindow;
}

const plantNotFound = (plant: string): Failure => failure('plant_not_found', `unknown plant "${plant}"`, 'params.plant');

export interface TaktCore extends Takt {
  /** Counts a committed run in the metrics (the queued runs report here too). */
  recordRun(outcome: PlanRunOutcome): void;
}

export function createTakt(deps: TaktDeps): TaktCore {
  const { db, queue } = deps;
  const clock = deps.clock ?? Date.now;
  const metrics = deps.metrics ?? new CoreMetrics();
  const solver = deps.solver ?? inThreadSolver;
  const whatIfSolver = deps.whatIfSolver ?? solver;
  const planGuard = deps.planGuard ?? localPlanGuard();

  /** A dead webhook delivery or a dead write-back, whichever it is. */
  async function replayAnyDeadLetter(id: string) {
    const webhook = await replayWebhookDeadLetter(db, id, new Date(clock()));
    return webhook.ok || webhook.code !== 'not-replayable' ? webhook : replayDeadLetter(db, queue, id, new Date(clock()));
  }

  function recordRun(outcome: PlanRunOutcome): void {
    if (outcome.status !== 'planned') return;
    metrics.planRuns.inc();
    metrics.lastSolveMs.set(outcome.result.stats.constructiveMs + outcome.result.stats.improvementMs, { plant: outcome.plant });
    if (outcome.state === 'published') deps.onPublished?.(outcome.plant, outcome.version);
  }

  return {
    recordRun,

    authenticate: (token) => verifyApiKey(db, token),

    async ingest(events, principal) {
      const report = await ingestEvents(db, events, principal, { clock, ...(deps.dates && { dates: deps.dates }) });
      for (const outcome of report.outcomes) metrics.events.inc({ status: outcome.status });
      const accepted = report.outcomes.filter((o) => o.status === 'accepted').map((o) => o.id);
      if (accepted.length > 0) deps.log?.('info', 'events accepted', { principal: principal.keyId, plants: report.dirtyPlants, correlationIds: accepted.slice(0, 20), count: accepted.length });
      // Committed first; a failed enqueue is repaired by the sweeper from the dirty flag.
      for (const plant of report.dirtyPlants) await queue.enqueueReschedule(plant).catch(() => undefined);
      return report.outcomes;
    },

    plantExists: (plant) => plantExists(db, plant),
    listPlants: () => listPlantIds(db),

    async schedule(plant) {
      const stored = await latestScheduleVersion(db, plant);
      return stored === null ? null : toScheduleView(stored);
    },

    async reschedule(plant, request) {
      const reason = request.reason ?? 'requested by a planner';
      const outcome = await runPlan(db, plant, {
        now: new Date(clock()),
        timeLimitMs: request.timeLimitMs ?? deps.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
        reason,
        solver,
        guard: planGuard,
        connector: deps.connectorFor?.(plant) ?? null,
      });
      if (outcome.status === 'busy') return failure('plan_run_in_progress', `plant "${plant}" is being rescheduled; try again in a moment`);
      if (outcome.status === 'unknown-plant') return plantNotFound(plant);
      recordRun(outcome);
      await handOffPlanRun(queue, outcome, deps.writebacks);
      // The version this run committed, even if another one has been committed since.
      const { result } = outcome;
      return {
        ok: true,
        value: toScheduleView({
          plant, version: outcome.version, createdAt: new Date(clock()).toISOString(), now: result.now, reason, status: result.status, kpis: result.kpis, result,
          state: outcome.state, generation: null, decidedAt: null, decidedBy: null,
        }),
      };
    },

    async proposal(plant) {
      if (!(await plantExists(db, plant))) return plantNotFound(plant);
      const [proposed, published] = [await latestScheduleVersion(db, plant, 'proposed'), await latestScheduleVersion(db, plant)];
      if (proposed === null || (published !== null && published.version > proposed.version)) return { ok: true, value: null };
      return {
        ok: true,
        value: {
          proposal: toScheduleView(proposed),
          published: published === null ? null : { version: published.version, kpis: published.kpis },
          changes: diffOrders(published?.result.orders ?? [], proposed.result.orders),
        },
      };
    },

    async decide(plant, version, decision, principal) {
      if (!(await plantExists(db, plant))) return plantNotFound(plant);
      const decided = await decideProposal(db, plant, version, decision, principal, new Date(clock()), deps.connectorFor?.(plant) ?? null);
      if (!decided.ok) return decided;
      if (deps.writebacks) for (const id of decided.value.outboxIds) await queue.enqueueWriteback(id).catch(() => undefined);
      if (decided.value.state === 'published') deps.onPublished?.(plant, version);
      deps.log?.('info', `schedule version ${decision === 'approve' ? 'published' : 'discarded'}`, { plant, version, by: principal.name, writebacks: decided.value.outboxIds.length });
      return { ok: true, value: { plant, version, state: decided.value.state, writebacks: decided.value.outboxIds.length } };
    },

    async policy(plant) {
      if (!(await plantExists(db, plant))) return plantNotFound(plant);
      return { ok: true, value: await getPlantPolicy(db, plant) };
    },

    async setPolicy(plant, policy, principal) {
      if (!(await plantExists(db, plant))) return plantNotFound(plant);
      const boundaries = policy.writeback.priorityBoundaries;
      if (boundaries.some((b, i) => i > 0 && b <= boundaries[i - 1]!)) {
        return failure('invalid_policy', 'priorityBoundaries must rise', 'body.writeback.priorityBoundaries');
      }
      await setPlantPolicy(db, plant, policy, principal.name);
      return { ok: true, value: await getPlantPolicy(db, plant) };
    },

    async whatIf(plant, request) {
      const now = new Date(clock());
      const problem = await loadPlantProblem(db, plant, now);
      if (problem === null) return plantNotFound(plant);
      const changed = applyOverrides(problem, request);
      if (!changed.ok) return changed;
      let result: SolveResult;
      try {
        result = await whatIfSolver.solve(changed.value, {
          now: now.getTime(),
          timeLimitMs: request.timeLimitMs ?? deps.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
        });
      } catch (error) {
        if (error instanceof SolverBusyError) return failure('solver_busy', 'every what-if solver is busy and others are waiting; try again in a moment');
        throw error;
      }
      const current = await latestScheduleVersion(db, plant);
      return {
        ok: true,
        value: {
          kpis: result.kpis,
          baseKpis: current?.kpis ?? null,
          changes: diffOrders(current?.result.orders ?? [], result.orders),
          operations: result.operations,
          orders: result.orders,
          problems: result.problems,
        },
      };
    },

    async workOrder(plant, id) {
      if (!(await plantExists(db, plant))) return plantNotFound(plant);
      const [order] = await listWorkOrders(db, plant, { ids: [id], includeClosed: true });
      if (!order) return failure('work_order_not_found', `unknown work order "${id}"`, 'params.id');
      return { ok: true, value: toWorkOrderView(order, await latestScheduleVersion(db, plant)) };
    },

    async dispatchList(plant, workCenter, horizonHours) {
      if (!(await plantExists(db, plant))) return plantNotFound(plant);
      if ((await getWorkCenterUnits(db, plant, workCenter)) === null) return failure('work_center_not_found', `unknown work center "${workCenter}"`, 'params.wc');
      const stored = await latestScheduleVersion(db, plant);
      if (!stored) return failure('schedule_not_found', `plant "${plant}" has no schedule yet`);
      return { ok: true, value: dispatchList(stored, workCenter, clock(), horizonHours) };
    },

    async pinOperation(plant, workOrder, operation, pin, principal) {
      if (!(await plantExists(db, plant))) return plantNotFound(plant);
      const pinned = await pinOperation(db, plant, workOrder, operation, pin, principal, new Date(clock()));
      if (pinned.ok) await queue.enqueueReschedule(plant).catch(() => undefined);
      return pinned;
    },

    async plantState(plant) {
      const problem = await loadPlantProblem(db, plant, new Date(clock()));
      if (problem === null) return plantNotFound(plant);
      return { ok: true, value: { plant, timeZone: problem.plant.timeZone, problem } };
    },

    async syncStatus() {
      const now = clock();
      const [sources, cursors, queues, backlog, deadLetters, plants, connections] = await Promise.all([
        lastEventPerSource(db),
        listFeedCursors(db),
        queue.counts().catch(() => []),
        outboxBacklog(db),
        countDeadLetters(db),
        listPlantStates(db),
        listConnectionHealth(db),
      ]);
      return {
        sources: [
          ...sources.map((s) => ({
            source: s.source, plant: s.plant, lastEventAt: s.lastOccurredAt.toISOString(),
            lagSeconds: Math.max(0, Math.round((s.lastReceivedAt.getTime() - s.lastOccurredAt.getTime()) / 1000)), cursor: null,
          })),
          ...cursors.map((c) => ({
            source: `${c.source} feed ${c.feed}`, plant: null, lastEventAt: null,
            lagSeconds: Math.round((now - new Date(c.updated_at).getTime()) / 1000), cursor: c.cursor,
          })),
        ],
        queues: queues.map((q) => ({ name: q.name, waiting: q.waiting, active: q.active, failed: q.failed })),
        writebacksConfigured: deps.writebacks,
        outboxBacklog: backlog.count,
        outboxBacklogAgeSeconds: backlog.oldestAt === null ? null : Math.max(0, Math.round((now - backlog.oldestAt.getTime()) / 1000)),
        connections,
        deadLetters,
        plants: plants.map((p) => ({ plant: p.plant, dirty: p.dirty, lastVersion: p.lastVersion, lastVersionAt: p.lastVersionAt })),
      };
    },

    deadLetters: () => listDeadLetters(db),

    async replayDeadLetter(id) {
      const outcome = await replayAnyDeadLetter(id);
      if (outcome.ok) return outcome;
      const code = outcome.code === 'not-found' ? 'dead_letter_not_found' : 'conflict';
      return failure(code, outcome.message, 'params.id');
    },

    async ready() {
      const database = await sql`select 1`.execute(db).then(() => true, () => false);
      const queueOk = await queue.ping().catch(() => false);
      return { database, queue: queueOk };
    },

    async replayDeadLetters(filter) {
      return replayDeadLetters(db, filter, replayAnyDeadLetter);
    },

    async metrics() {
      const [backlog, deadLetters, plants, connections] = await Promise.all([outboxBacklog(db), countDeadLetters(db), listPlantStates(db), listConnectionHealth(db)]);
      metrics.outboxBacklog.set(backlog.count);
      metrics.outboxBacklogAge.set(backlog.oldestAt === null ? 0 : Math.max(0, (clock() - backlog.oldestAt.getTime()) / 1000));
      for (const c of connections) metrics.circuitOpen.set(c.state === 'closed' ? 0 : 1, { connection: c.connection });
      metrics.deadLetters.set(deadLetters);
      for (const p of plants) metrics.dirty.set(p.dirty ? 1 : 0, { plant: p.plant });
      return metrics.render();
    },

    close: () => queue.close(),
  };
}
