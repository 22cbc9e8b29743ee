/**
 * Phase 1 of a contended item: which demands to serve. A MIP with a binary per demand:
 *
 *   max  Σ_d (w_d / w_max + τ·(n − rank_d)/n) · y[d]
 *   s.t. Σ_c x[d,c] = q_d·y[d]        each demand in full or not at all
 *        Σ_d x[d,c] ≤ Q_c             each supply class
 *
 * Which demands fit depends only on who may use what, not on when it arrives, so supplies with
 * the same set of possible users are merged into one class: the model shrinks to a handful of
 * rows and the branch-and-bound stays small. τ (tiny) prefers the earlier-needed demand when
 * weights tie; its total stays below 1e-3 of the largest weight, so it cannot outvote a real
 * weight difference larger than that.
 */
import { solveLinearProgram, type Bound } from './lp.ts';
import type { ItemDemand, ItemProblem } from './item-problem.ts';

const NEED_TIE = 1e-3;

/** Ranks of the demands to serve, or null when the solver gives no answer. */
export function chooseServed(problem: ItemProblem, demands: readonly ItemDemand[]): ReadonlySet<number> | null {
  const classes = supplyClasses(problem, demands);
  const n = problem.demands.length;
  const weightScale = Math.max(...demands.map((d) => d.input.weight), Number.MIN_VALUE);
  const constraints: Record<string, Bound> = {};
  const variables: Record<string, Record<string, number>> = {};
  const binaries: string[] = [];
  classes.forEach((c, k) => {
    constraints[`c${k}`] = { max: c.quantity };
  });
  for (const d of demands) {
    const row = `d${d.rank}`;
    constraints[row] = { equal: 0 };
    const value = Math.max(d.input.weight, 0) / weightScale + (NEED_TIE / n) * ((n - d.rank) / n);
    variables[`y${d.rank}`] = { [row]: -d.input.quantity, served: value };
    binaries.push(`y${d.rank}`);
    classes.forEach((c, k) => {
      if (c.users.has(d.rank)) variables[`x${d.rank}_${k}`] = { [row]: 1, [`c${k}`]: 1 };
    });
  }
  const answer = solveLinearProgram({ objective: 'served', direction: 'max', constraints, variables, binaries });
  if (!answer.feasible) return null;
  return new Set(demands.filter((d) => (answer.variables.get(`y${d.rank}`) ?? 0) > 0.5).map((d) => d.rank));
}

interface SupplyClass {
  readonly users: ReadonlySet<number>;
  readonly quantity: number;
}

function supplyClasses(problem: ItemProblem, demands: readonly ItemDemand[]): SupplyClass[] {
  const usersOf = new Map<number, number[]>();
  for (const d of demands) {
    for (const s of d.eligible) {
      const list = usersOf.get(s);
      if (list) list.push(d.rank);
      else usersOf.set(s, [d.rank]);
    }
  }
  const byKey = new Map<string, { users: ReadonlySet<number>; quantity: number }>();
  for (const s of problem.order) {
    const users = usersOf.get(s);
    if (!users) continue;
    const key = users.join(',');
    const known = byKey.get(key);
    if (known) known.quantity += problem.supplies[s]!.quantity;
    else byKey.set(key, { users: new Set(users), quantity: problem.supplies[s]!.quantity });
  }
  return [...byKey.values()];
}
