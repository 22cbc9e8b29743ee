/**
 * The improvement phase after the constructive pass. Contract: the returned placement keeps
 * every invariant of the input (calendars, capacity, precedence and waits, pegged material,
 * fixed work untouched) and is never worse by `evaluate`; deterministic for a seed and an
 * iteration budget; anytime under a time budget measured by the injected clock.
 *
 * The solution is searched as machine sequences plus a mode and unit per operation, decoded
 * semi-actively; pure job shops take a typed-array fast path (see job-shop-path.ts).
 */
import { clonePlacement, type MaterialPlan, type Placement } from '../dispatch/placement.ts';
import type { Model } from '../model.ts';
import { evaluate, isBetter } from '../objective.ts';
import { SearchBudget, type BudgetOptions } from './budget.ts';
import { buildSearchContext } from './context.ts';
import { Decoder } from './decode.ts';
import { searchGeneral } from './general-search.ts';
import { isPureJobShop, searchJobShop } from './job-shop-path.ts';
import { SearchRandom } from './prng.ts';
import { SequenceState } from './sequences.ts';
import type { SearchTeam } from './team.ts';
import type { SearchContext } from './context.ts';
import { previousSequences } from './warm-start.ts';

export interface SearchStart {
  readonly placement: Placement;
  readonly materials: MaterialPlan;
  /** Orders not scheduled (held, short, failed): their operations stay unplaced. */
  readonly excluded: ReadonlySet<number>;
}

export interface SearchOptions {
  readonly seed: number;
  readonly timeLimitMs: number;
  /** The clock reading by which the search must have stopped (the solve's deadline less what follows the search). */
  readonly deadlineAt?: number | undefined;
  readonly maxIterations?: number | undefined;
  readonly clock?: (() => number) | undefined;
  readonly stopWithoutImprovementMs?: number | undefined;
  readonly onImprove?: BudgetOptions['onImprove'];
  /** Threads searching this plant together (see team.ts). */
  readonly team?: SearchTeam | undefined;
}

export interface SearchOutcome {
  readonly placement: Placement;
  /** Search steps taken (one move applied per step). */
  readonly iterations: number;
  /** Milliseconds into the search when the returned schedule was found (0: the start itself). */
  readonly bestAtMs: number;
  /** No schedule has a better objective (so far only the job-shop path proves this). */
  readonly provedOptimal: boolean;
}

export function improveSchedule(model: Model, start: SearchStart, options: SearchOptions): SearchOutcome {
  const budgeted = (options.timeLimitMs > 0 && options.clock !== undefined) || (options.maxIterations ?? 0) > 0;
  const unchanged = (iterations: number, provedOptimal = false): SearchOutcome => ({ placement: start.placement, iterations, bestAtMs: 0, provedOptimal });
  if (!budgeted || model.operations.length === 0) return unchanged(0);
  // The constructive pass took the whole budget: nothing is left to search with.
  if (options.deadlineAt !== undefined && options.clock !== undefined && (options.maxIterations ?? 0) === 0 && options.clock() >= options.deadlineAt) return unchanged(0);
  const budget = new SearchBudget(options);
  const ctx = buildSearchContext(model, start.placement, start.materials, start.excluded);
  if (ctx.movable.length < 2) return unchanged(0);

  // One decoder times the warm start and, after the search, the schedule it returns.
  const decoder = new Decoder(ctx);
  const initial = warmOrConstructive(ctx, decoder, start.placement);
  // A team's members share every step of the general search; on the job-shop path each searches alone, with its own seed.
  const found = isPureJobShop(ctx)
    ? searchJobShop(ctx, initial, budget, new SearchRandom(options.seed + (options.team?.member ?? 0)))
    : { ...searchGeneral(ctx, initial, budget, new SearchRandom(options.seed), { team: options.team }), provedOptimal: false };

  const placement = clonePlacement(start.placement);
  if (!decoder.decode(found.state, placement)) return unchanged(found.iterations);
  decoder.writeCauses(placement);
  const improved = isBetter(evaluate(model, placement), evaluate(model, start.placement));
  const { iterations, provedOptimal } = found;
  return improved ? { placement, iterations, bestAtMs: budget.bestAtMs, provedOptimal } : unchanged(iterations, provedOptimal);
}

/**
 * The search starts from the better of the constructive schedule and the previous schedule
 * (when the problem has one and it still decodes): the stability term of the objective then
 * weighs what the previous schedule gives for free.
 */
function warmOrConstructive(ctx: SearchContext, decoder: Decoder, placement: Placement): SequenceState {
  const constructive = SequenceState.fromPlacement(placement, ctx.movable, ctx.model.resources.length);
  const warm = previousSequences(ctx, placement);
  if (warm === null) return constructive;
  const decoded = clonePlacement(placement);
  if (!decoder.decode(warm, decoded)) return constructive;
  return isBetter(evaluate(ctx.model, decoded), evaluate(ctx.model, placement)) ? warm : constructive;
}
