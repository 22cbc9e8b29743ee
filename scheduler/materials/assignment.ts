/**
 * Phase 2 of a contended item: which supply feeds each served demand. With the served set fixed
 * this is a transportation LP, no integers:
 *
 *   min  Σ x[d,s] · (w_d · max(0, a_s − needBy_d)  +  γ · (rankS_s + 1)/nS · (n − rank_d)/n)
 *   s.t. Σ_s x[d,s] = q_d   each served demand, in full
 *        Σ_d x[d,s] ≤ q_s   each supply
 *
 * The first term is weighted material lateness per unit. The second is a tie-breaker: a product
 * of an increasing and a decreasing rank, which (rearrangement inequality) sends earlier supply
 * to earlier needs; γ is a tenth of the smallest weight, so per unit it stays below one minute
 * of lateness.
 */
import { fillServed } from './flow.ts';
import { solveLinearProgram, type Bound } from './lp.ts';
import type { ItemDemand, ItemPlan, ItemProblem } from './item-problem.ts';

export function assignSupply(problem: ItemProblem, served: readonly ItemDemand[]): ItemPlan | null {
  if (served.length === 0) return { served: new Map() };
  const n = problem.demands.length;
  const supplyRank = new Map(problem.order.map((s, i) => [s, i]));
  const nSupplies = problem.order.length;
  const positiveWeights = served.map((d) => d.input.weight).filter((w) => w > 0);
  const gamma = 0.1 * (positiveWeights.length > 0 ? Math.min(...positiveWeights) : 1);

  const constraints: Record<string, Bound> = {};
  const variables: Record<string, Record<string, number>> = {};
  for (const d of served) {
    constraints[`d${d.rank}`] = { equal: d.input.quantity };
    for (const s of d.eligible) {
      const late = Math.max(0, problem.supplies[s]!.availableAt - d.input.needBy);
      const tie = (gamma * (supplyRank.get(s)! + 1) * (n - d.rank)) / (nSupplies * n);
      variables[`x${d.rank}_${s}`] = { [`d${d.rank}`]: 1, [`s${s}`]: 1, cost: Math.max(d.input.weight, 0) * late + tie };
      constraints[`s${s}`] = { max: problem.supplies[s]!.quantity };
    }
  }
  const answer = solveLinearProgram({ objective: 'cost', direction: 'min', constraints, variables });
  const all = new Map(served.map((d) => [d.rank, d.eligible]));
  if (!answer.feasible) return fillServed(problem, all);
  // The solver's values are rounded: recompute exact quantities on the pairs it used.
  const support = new Map(
    served.map((d) => {
      const dust = 1e-7 * Math.max(1, d.input.quantity);
      return [d.rank, d.eligible.filter((s) => (answer.variables.get(`x${d.rank}_${s}`) ?? 0) > dust)] as const;
    }),
  );
  return fillServed(problem, support) ?? fillServed(problem, all);
}
