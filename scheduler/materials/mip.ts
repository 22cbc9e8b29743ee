/**
 * A contended item, solved in two lexicographic phases so that served weight is never traded
 * against lateness through a badly scaled big-M:
 *   1. served-set.ts: a MIP choosing the demands to serve (max weight; earlier need on ties);
 *   2. assignment.ts: a transportation LP choosing their supply (min weighted lateness).
 * Phase 1 is skipped when the greedy already serves every demand that could be served.
 */
import { assignSupply } from './assignment.ts';
import { servableAlone, type ItemPlan, type ItemProblem } from './item-problem.ts';
import { chooseServed } from './served-set.ts';

export type MipOutcome =
  | { readonly ok: true; readonly plan: ItemPlan }
  | { readonly ok: false; readonly reason: 'too-large' | 'solver-failed' };

export interface MipLimits {
  /** Largest model (pairs + demands) handed to the solver. */
  readonly maxVariables: number;
  /** Most demands the served-set MIP branches on (its search grows exponentially with them). */
  readonly maxBinaries: number;
}

/** Variables of the full MIP: one per usable pair and one per demand that could be served. */
export function mipVariableCount(problem: ItemProblem): number {
  return problem.demands.filter((d) => servableAlone(problem, d)).reduce((n, d) => n + d.eligible.length + 1, 0);
}

/**
 * @param allServable true when some allocation serves every demand that could be served alone.
 */
export function allocateByMip(problem: ItemProblem, limits: MipLimits, allServable: boolean): MipOutcome {
  if (mipVariableCount(problem) > limits.maxVariables) return { ok: false, reason: 'too-large' };
  const candidates = problem.demands.filter((d) => servableAlone(problem, d));
  if (!allServable && candidates.length > limits.maxBinaries) return { ok: false, reason: 'too-large' };
  const served = allServable ? new Set(candidates.map((d) => d.rank)) : chooseServed(problem, candidates);
  if (served === null) return { ok: false, reason: 'solver-failed' };
  const plan = assignSupply(problem, candidates.filter((d) => served.has(d.rank)));
  return plan ? { ok: true, plan } : { ok: false, reason: 'solver-failed' };
}
