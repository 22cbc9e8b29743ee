/**
 * `solve(problem, options)`: the engine's one entry. Pure: `now`, the seed, the budget and the
 * clock that measures it are inputs; the answer (including infeasibility and bad data) is data.
 *
 * Steps: compile → peg material → constructive dispatch (which re-pegs just the demands whose
 * lot would expire before their operation can start; again without any pin its routing
 * contradicts) → improvement within the budget → result.
 */
import { compileProblem } from './compile.ts';
import { constructSchedule } from './dispatch/constructive.ts';
import { contradictedPins, releasedPinProblems, withoutPins } from './dispatch/contradicted-pins.ts';
import { evaluate } from './objective.ts';
import { MaterialPegger } from './pegging.ts';
import type { PlantProblem } from './problem.ts';
import { buildResult } from './report/build.ts';
import type { Problem, SolveOptions, SolveResult } from './result.ts';
import { improveSchedule } from './search/improve.ts';

/**
 * What follows the search (the final decode and the result) costs about this share of the
 * constructive pass: kept out of the search's time so that the solve ends on its limit.
 */
const TAIL_SHARE_OF_CONSTRUCTIVE = 0.3;

export function solve(problem: PlantProblem, options: SolveOptions): SolveResult {
  const solveStartedAt = options.clock?.() ?? 0;
  const nowMs = instantMs(options.now);
  if (Number.isNaN(nowMs)) return invalid(0, [{ type: 'invalid-data', path: 'options.now', message: 'must be an instant' }]);
  const compiled = compileProblem(problem, nowMs);
  if (!compiled.ok) return invalid(nowMs, compiled.problems);
  let { model } = compiled.compiled;

  const held = new Map<number, Problem[]>();
  model.orders.forEach((order, o) => {
    if (order.heldBy.length > 0) {
      const reasons = order.heldBy.map((hold): Problem => ({ type: 'hold', workOrder: order.id, hold, ...holdReason(problem, hold) }));
      held.set(o, reasons);
    }
  });
  const unschedulable = new Set([...held.keys(), ...model.orders.flatMap((order, o) => (order.completed ? [o] : []))]);

  const t0 = options.clock?.() ?? 0;
  const construct = (m: typeof model) => {
    const pegged = new MaterialPegger(m, unschedulable).peg([]);
    return { pegging: pegged, built: constructSchedule({ model: m, materials: pegged.plan, excluded: new Set([...unschedulable, ...pegged.short.keys()]) }) };
  };
  let { pegging, built } = construct(model);
  // Pins that would break their routing are released, one round per set found (contradicted-pins.ts).
  const releasedPins = new Map<number, number>();
  for (let contradicted = contradictedPins(model, built.placement); contradicted.length > 0; contradicted = contradictedPins(model, built.placement)) {
    for (const op of contradicted) releasedPins.set(op, model.operations[op]!.fixed!.start);
    model = withoutPins(model, contradicted);
    ({ pegging, built } = construct(model));
  }
  const t1 = options.clock?.() ?? 0;

  const excluded = new Set([...unschedulable, ...pegging.short.keys(), ...built.failed.keys()]);
  const initialObjective = evaluate(model, built.placement);
  const timeLimitMs = options.timeLimitMs ?? 0;
  const improved = improveSchedule(model, {
    placement: built.placement, materials: built.materials, excluded,
  }, {
    seed: options.seed ?? 1,
    timeLimitMs,
    // The limit is the whole solve's: the search gets what compiling and the constructive pass left.
    ...(options.clock !== undefined && timeLimitMs > 0 && { deadlineAt: solveStartedAt + timeLimitMs - TAIL_SHARE_OF_CONSTRUCTIVE * (t1 - t0) }),
    maxIterations: options.maxIterations,
    clock: options.clock,
    stopWithoutImprovementMs: options.stopWithoutImprovementMs,
    onImprove: options.onImprove,
    team: options.team,
  });
  const t2 = options.clock?.() ?? 0;

  const unscheduled = new Map<number, readonly Problem[]>([...held, ...pegging.short]);
  for (const [o, problem] of built.failed) unscheduled.set(o, [...(unscheduled.get(o) ?? []), problem]);
  return buildResult({
    model,
    placement: improved.placement,
    materials: built.materials,
    unscheduled,
    rejected: problem.workOrders.filter((o) => compiled.compiled.rejectedOrders.has(o.id)).map((o) => ({ id: o.id, due: o.due })),
    problems: [...compiled.compiled.problems, ...releasedPinProblems(model, improved.placement, releasedPins), ...[...unscheduled.values()].flat(), ...built.problems],
    stats: {
      constructiveMs: t1 - t0,
      improvementMs: t2 - t1,
      iterations: improved.iterations,
      timeToBestMs: t1 - t0 + improved.bestAtMs,
      initialObjective,
      finalObjective: evaluate(model, improved.placement),
      provedOptimal: improved.provedOptimal,
    },
  });
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
    stats: { constructiveMs: 0, improvementMs: 0, iterations: 0, timeToBestMs: 0, initialObjective: [], finalObjective: [], provedOptimal: false },
  };
}
