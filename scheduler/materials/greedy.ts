/**
 * Deterministic greedy allocation of one item: demands one by one, each taking the
 * earliest-available sources it may use until it is covered in full. A demand its remaining
 * sources cannot cover in full takes nothing (partial supply is useless: the operation needs
 * everything at its start).
 *
 * In need order (needBy, −weight, index) it is the answer for an uncontended item (everyone
 * served on time: no LP can beat it). As the fallback when the MIP is too large or the solver
 * fails, the need order and the weight order (−weight, needBy, index) both run and the one that
 * serves more weight wins (the need order on a tie): need order alone would let a light order
 * needed early starve a heavy one.
 */
import { TOLERANCE, servableAlone, type ItemDemand, type ItemPlan, type ItemProblem } from './item-problem.ts';

export type GreedyOrder = 'need' | 'weight';

export function allocateGreedily(problem: ItemProblem, order: GreedyOrder = 'need'): ItemPlan {
  const remaining = new Map<number, number>(problem.order.map((s) => [s, problem.supplies[s]!.quantity]));
  const served = new Map<number, ReadonlyMap<number, number>>();
  const demands = order === 'need' ? problem.demands : [...problem.demands].sort(byWeight);
  for (const demand of demands) {
    const need = demand.input.quantity;
    let available = 0;
    for (const s of demand.eligible) available += remaining.get(s)!;
    if (available < need - TOLERANCE) continue;
    const taken = new Map<number, number>();
    let open = need;
    for (const s of demand.eligible) {
      if (open <= TOLERANCE) break;
      const left = remaining.get(s)!;
      if (left <= TOLERANCE) continue;
      // Take the whole rest when within tolerance of it, so no dust is left behind.
      const take = left <= open + TOLERANCE ? left : open;
      const quantity = Math.min(take, open);
      taken.set(s, quantity);
      remaining.set(s, left - take);
      open -= quantity;
    }
    served.set(demand.rank, taken);
  }
  return { served };
}

/** The better of the need-order and weight-order greedy, by served weight. */
export function allocateGreedyFallback(problem: ItemProblem): ItemPlan {
  const byNeed = allocateGreedily(problem, 'need');
  const byWeightFirst = allocateGreedily(problem, 'weight');
  return servedWeight(problem, byWeightFirst) > servedWeight(problem, byNeed) + TOLERANCE ? byWeightFirst : byNeed;
}

function byWeight(a: ItemDemand, b: ItemDemand): number {
  return b.input.weight - a.input.weight || a.rank - b.rank;
}

function servedWeight(problem: ItemProblem, plan: ItemPlan): number {
  let total = 0;
  for (const d of problem.demands) if (plan.served.has(d.rank)) total += d.input.weight;
  return total;
}

/** Latest availability among the sources of a served demand. */
export function readyTime(problem: ItemProblem, sources: ReadonlyMap<number, number>, fallback: number): number {
  let ready = Number.NEGATIVE_INFINITY;
  for (const s of sources.keys()) ready = Math.max(ready, problem.supplies[s]!.availableAt);
  return ready === Number.NEGATIVE_INFINITY ? fallback : ready;
}

/**
 * True when the plan serves every demand that could be served alone, each with all its material
 * by its needBy: no allocation does better, so the item is uncontended.
 */
export function servesAllOnTime(problem: ItemProblem, plan: ItemPlan): boolean {
  return problem.demands.every((d) => {
    if (!servableAlone(problem, d)) return true;
    const sources = plan.served.get(d.rank);
    return sources !== undefined && readyTime(problem, sources, d.input.earliestStart) <= d.input.needBy;
  });
}
