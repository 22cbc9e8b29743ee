/**
 * `solve(problem, options)`: the engine's one entry. Pure: `now`, the seed, the budget and the
 * clock that measures it are inputs; the answer (including infeasibility and bad data) is data.
 *
 * Steps: compile → peg material → constructive dispatch (repeated while a pegged lot would
 * expire before its use) → improvement within the budget → result.
 */
import { compileProblem } from './compile.ts';
import { constructSchedule, type ConstructiveOutput } from './dispatch/constructive.ts';
import type { Model } from './model.ts';
import { evaluate } from './objective.ts';
import { MaterialPegger, type DemandSupplyPair, type Pegging } from './pegging.ts';
import type { PlantProblem } from './problem.ts';
import { buildResult } from './report/build.ts';
import type { Problem, SolveOptions, SolveResult } from './result.ts';
import { improveSchedule } from './search/improve.ts';

const MAX_EXPIRY_ROUNDS = 4;

export function solve(problem: PlantProblem, options: SolveOptions): SolveResult {
  const nowMs = instantMs(options.now);
  if (Number.isNaN(nowMs)) return invalid(0, [{ type: 'invalid-data', path: 'options.now', message: 'must be an instant' }]);
  const compiled = compileProblem(problem, nowMs);
  if (!compiled.ok) return invalid(nowMs, compiled.problems);
  const { model } = compiled.compiled;

  const held = new Map<number, Problem[]>();
  model.orders.forEach((order, o) => {
    if (order.heldBy.length > 0) {
      const reasons = order.heldBy.map((hold): Problem => ({ type: 'hold', workOrder: order.id, hold, ...holdReason(problem, hold) }));
      held.set(o, reasons);
    }
  });
  const unschedulable = new Set([...held.keys(), ...model.orders.flatMap((order, o) => (order.completed ? [o] : []))]);

  const t0 = options.clock?.() ?? 0;
  const pegger = new MaterialPegger(model, unschedulable);
  const forbidden: DemandSupplyPair[] = [];
  let pegging: Pegging;
  let built: ConstructiveOutput;
  let expiryProblems: Problem[] = [];
  for (let round = 0; ; round++) {
    pegging = pegger.peg(forbidden);
    const excluded = new Set([...unschedulable, ...pegging.short.keys()]);
    built = constructSchedule({ model, materials: pegging.plan, excluded });
    const expired = expiredUses(model, built, pegging);
    expiryProblems = expired.map((e) => e.problem);
    if (expired.length === 0 || round + 1 >= MAX_EXPIRY_ROUNDS) break;
    for (const e of expired) forbidden.push(e.pair);
  }
  const t1 = options.clock?.() ?? 0;

  const excluded = new Set([...unschedulable, ...pegging.short.keys(), ...built.failed.keys()]);
  const initialObjective = evaluate(model, built.placement);
  const improved = improveSchedule(model, {
    placement: built.placement, materials: pegging.plan, excluded,
  }, {
    seed: options.seed ?? 1,
    timeLimitMs: options.timeLimitMs ?? 0,
    maxIterations: options.maxIterations,
    clock: options.clock,
  });
  const t2 = options.clock?.() ?? 0;

  const unscheduled = new Map<number, readonly Problem[]>([...held, ...pegging.short]);
  for (const [o, problem] of built.failed) unscheduled.set(o, [...(unscheduled.get(o) ?? []), problem]);
  return buildResult({
    model,
    placement: improved.placement,
    materials: pegging.plan,
    unscheduled,
    rejected: problem.workOrders.filter((o) => compiled.compiled.rejectedOrders.has(o.id)).map((o) => ({ id: o.id, due: o.due })),
    problems: [...compiled.compiled.problems, ...[...unscheduled.values()].flat(), ...built.problems, ...expiryProblems],
    stats: {
      constructiveMs: t1 - t0,
      improvementMs: t2 - t1,
      iterations: improved.iterations,
      timeToBestMs: t1 - t0 + improved.bestAtMs,
      initialObjective,
      finalObjective: evaluate(model, improved.placement),
    },
  });
}

/** Pegged lots that would be consumed at or after their expiry. */
function expiredUses(model: Model, built: ConstructiveOutput, pegging: Pegging): { pair: DemandSupplyPair; problem: Problem }[] {
  const out: { pair: DemandSupplyPair; problem: Problem }[] = [];
  model.demands.forEach((demand, d) => {
    const op = demand.operation;
    if (built.placement.resource[op]! < 0) return;
    for (const s of pegging.plan.sources[d]!) {
      const supply = model.supplies[s]!;
      if (supply.expiresAt !== null && built.placement.start[op]! >= supply.expiresAt) {
        out.push({
          pair: { demand: d, supply: s },
          problem: {
            type: 'lot-expires', workOrder: model.orders[demand.order]!.id, operation: model.operations[op]!.id,
            lot: supply.id, expiresAt: new Date(model.nowMs + supply.expiresAt * 60_000).toISOString(),
          },
        });
      }
    }
  });
  return out;
}

function holdReason(problem: PlantProblem, hold: string): { reason?: string } {
  const reason = problem.holds?.find((h) => h.id === hold)?.reason;
  return reason === undefined ? {} : { reason };
}

/** The schedule starts on the next whole minute, so every planned instant is a whole minute. */
function instantMs(now: SolveOptions['now']): number {
  const ms = now instanceof Date ? now.getTime() : typeof now === 'number' ? now : Date.parse(now);
  return Math.ceil(ms / 60_000) * 60_000;
}

function invalid(nowMs: number, problems: readonly Problem[]): SolveResult {
  return {
    status: 'invalid',
    now: new Date(nowMs).toISOString(),
    operations: [],
    orders: [],
    kpis: {
      orders: 0, scheduledOrders: 0, lateOrders: 0, onTimeRate: 1, totalWeightedTardinessMinutes: 0, makespanMinutes: 0,
      totalFlowMinutes: 0, totalSetupMinutes: 0, operationsMoved: 0, utilisation: [],
    },
    problems,
    stats: { constructiveMs: 0, improvementMs: 0, iterations: 0, timeToBestMs: 0, initialObjective: [], finalObjective: [] },
  };
}
