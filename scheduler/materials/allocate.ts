/**
 * Material allocation (pegging): which supply feeds which component demand.
 *
 * A demand is served in full or not at all: its operation needs all of it at its start. Items
 * are independent. Per item:
 * - uncontended (the greedy below serves every demand that could be served at all, each with
 *   all its material by its needBy): the greedy answer is optimal and no solver runs;
 * - contended: a two-phase MIP (see mip.ts) maximises served weight, then minimises weighted
 *   material lateness with small tie-breakers (earlier need wins at equal weight; earlier supply
 *   goes to earlier need);
 * - when the MIP would need more than `maxLpVariables` variables, or branch on more than
 *   `maxLpBinaries` demands, or the solver fails: a deterministic greedy. Demands one by one,
 *   each taking the earliest available sources it may use, in full or not at all; it runs in
 *   need order (needBy, −weight, index) and in weight order (−weight, needBy, index) and keeps
 *   the one serving more weight (need order on ties). Valid, but may serve less than the MIP.
 *
 * `methods` says which of the three answered each item. Same input, same output.
 */
import type { SupplyModel } from '../model.ts';
import { earliestCoverAt } from './cover.ts';
import { allocateGreedily, allocateGreedyFallback, readyTime, servesAllOnTime } from './greedy.ts';
import { buildItemProblems, servableAlone, type DemandLike, type ItemPlan, type ItemProblem } from './item-problem.ts';
import { allocateByMip, type MipLimits } from './mip.ts';

/** A material demand to allocate: what allocation reads of it. */
export type DemandInput = DemandLike;

export interface Allocation {
  readonly demand: number;
  /** Index into the `supplies` passed in. */
  readonly supply: number;
  readonly quantity: number;
}

export interface Shortage {
  readonly demand: number;
  /** The demand's full quantity: partial supply is not allocated. */
  readonly missing: number;
  /**
   * Earliest minute at which the cumulative supply this demand may use (all of it, in
   * availability order, whoever was given it) reaches its quantity; null if it never does.
   */
  readonly earliestCoverAt: number | null;
}

export type AllocationMethod = 'uncontended' | 'mip' | 'greedy-fallback';

export interface AllocationResult {
  readonly allocations: readonly Allocation[];
  /** Served demand → latest availability among its sources (its earliestStart if it needs none). */
  readonly readyAt: ReadonlyMap<number, number>;
  readonly shortages: readonly Shortage[];
  /** Item → how it was allocated; 'mip' is the only one that ran the LP solver. */
  readonly methods: ReadonlyMap<string, AllocationMethod>;
}

export interface AllocationOptions {
  /** `${demand}:${supply}` pairs not allowed (a lot expiring before the op starts, own output). */
  readonly forbidden?: ReadonlySet<string>;
  /** Largest MIP handed to the solver per item; bigger items use the greedy. */
  readonly maxLpVariables?: number;
  /**
   * Most demands of one item the served-set MIP may branch on. javascript-lp-solver's
   * branch-and-bound grows exponentially with them (measured: ~40 demands ≈ 1 s, 60 ≈ 6 s).
   */
  readonly maxLpBinaries?: number;
}

export const DEFAULT_MAX_LP_VARIABLES = 2000;
export const DEFAULT_MAX_LP_BINARIES = 30;

export function allocateMaterials(
  supplies: readonly SupplyModel[],
  demands: readonly DemandInput[],
  options: AllocationOptions = {},
): AllocationResult {
  const limits = mipLimits(options);
  const allocations: Allocation[] = [];
  const readyAt: (readonly [number, number])[] = [];
  const shortages: Shortage[] = [];
  const methods = new Map<string, AllocationMethod>();

  for (const problem of buildItemProblems(supplies, demands, options.forbidden ?? new Set<string>())) {
    const outcome = allocateItemProblem(problem, limits);
    methods.set(problem.item, outcome.method);
    allocations.push(...outcome.allocations);
    readyAt.push(...outcome.readyAt);
    shortages.push(...outcome.shortages);
  }

  allocations.sort((a, b) => a.demand - b.demand || a.supply - b.supply);
  shortages.sort((a, b) => a.demand - b.demand);
  return {
    allocations,
    readyAt: new Map(readyAt.sort((a, b) => a[0] - b[0])),
    shortages,
    methods,
  };
}

export function mipLimits(options: AllocationOptions): MipLimits {
  return {
    maxVariables: options.maxLpVariables ?? DEFAULT_MAX_LP_VARIABLES,
    maxBinaries: options.maxLpBinaries ?? DEFAULT_MAX_LP_BINARIES,
  };
}

/** One item's answer; a pure function of its problem, so callers may cache it per item. */
export interface ItemOutcome {
  readonly method: AllocationMethod;
  /** Sorted by demand, then supply. */
  readonly allocations: readonly Allocation[];
  /** Served demand → latest availability among its sources, by demand. */
  readonly readyAt: readonly (readonly [number, number])[];
  /** By demand. */
  readonly shortages: readonly Shortage[];
}

export function allocateItemProblem(problem: ItemProblem, limits: MipLimits): ItemOutcome {
  const { plan, method } = allocateItem(problem, limits);
  const allocations: Allocation[] = [];
  const readyAt: (readonly [number, number])[] = [];
  const shortages: Shortage[] = [];
  for (const demand of problem.demands) {
    const sources = plan.served.get(demand.rank);
    if (sources === undefined) {
      shortages.push({ demand: demand.input.demand, missing: demand.input.quantity, earliestCoverAt: earliestCoverAt(problem, demand) });
      continue;
    }
    readyAt.push([demand.input.demand, readyTime(problem, sources, demand.input.earliestStart)]);
    for (const [supply, quantity] of sources) allocations.push({ demand: demand.input.demand, supply, quantity });
  }
  allocations.sort((a, b) => a.demand - b.demand || a.supply - b.supply);
  readyAt.sort((a, b) => a[0] - b[0]);
  shortages.sort((a, b) => a.demand - b.demand);
  return { method, allocations, readyAt, shortages };
}

function allocateItem(problem: ItemProblem, limits: MipLimits): { plan: ItemPlan; method: AllocationMethod } {
  const greedy = allocateGreedily(problem);
  if (servesAllOnTime(problem, greedy)) return { plan: greedy, method: 'uncontended' };
  const allServable = problem.demands.every((d) => greedy.served.has(d.rank) || !servableAlone(problem, d));
  const mip = allocateByMip(problem, limits, allServable);
  if (mip.ok) return { plan: mip.plan, method: 'mip' };
  return { plan: allocateGreedyFallback(problem), method: 'greedy-fallback' };
}
