/**
 * Exact quantities for a chosen set of served demands: a max flow (Edmonds–Karp) from supplies to
 * demands over the allowed pairs. The solver's values are rounded (to 1e-8) and may overdraw a
 * tight supply by that much; the flow recomputes them from the data so shares add up to each
 * demand's quantity and never exceed a supply. On the support of a basic MIP solution (a forest)
 * the flow is unique, so it reproduces the solver's choice.
 */
import { TOLERANCE, type ItemPlan, type ItemProblem } from './item-problem.ts';

/**
 * @param pairs served demand rank → supply indexes it may draw from.
 * @returns null when the pairs cannot cover every demand in full.
 */
export function fillServed(problem: ItemProblem, pairs: ReadonlyMap<number, readonly number[]>): ItemPlan | null {
  const ranks = [...pairs.keys()].sort((a, b) => a - b);
  const need = new Map(ranks.map((r) => [r, problem.demands[r]!.input.quantity]));
  const supplyLeft = new Map<number, number>();
  for (const r of ranks) for (const s of pairs.get(r)!) supplyLeft.set(s, problem.supplies[s]!.quantity);
  const flow = new Map<number, Map<number, number>>(ranks.map((r) => [r, new Map()]));
  const scale = Math.max(1, ...need.values(), ...supplyLeft.values());
  const epsilon = 1e-12 * scale;

  for (;;) {
    const path = augmentingPath(ranks, pairs, need, supplyLeft, flow, epsilon);
    if (!path) break;
    let amount = Math.min(supplyLeft.get(path.supply)!, need.get(path.sink)!);
    for (const step of path.steps) if (step.backward) amount = Math.min(amount, flow.get(step.demand)!.get(step.supply)!);
    if (!(amount > epsilon)) break;
    supplyLeft.set(path.supply, supplyLeft.get(path.supply)! - amount);
    need.set(path.sink, need.get(path.sink)! - amount);
    for (const step of path.steps) {
      const f = flow.get(step.demand)!;
      const next = (f.get(step.supply) ?? 0) + (step.backward ? -amount : amount);
      if (next > epsilon) f.set(step.supply, next);
      else f.delete(step.supply);
    }
  }

  const served = new Map<number, ReadonlyMap<number, number>>();
  for (const r of ranks) {
    const quantity = problem.demands[r]!.input.quantity;
    if (need.get(r)! > TOLERANCE * Math.max(1, quantity)) return null;
    const shares = flow.get(r)!;
    snapToQuantity(shares, quantity);
    served.set(r, new Map([...shares].sort((a, b) => a[0] - b[0])));
  }
  return { served };
}

interface Step {
  readonly supply: number;
  readonly demand: number;
  /** True when the step cancels flow demand ← supply (walked demand → supply). */
  readonly backward: boolean;
}

/** Shortest residual path: a supply with stock left → … → a demand still short. */
function augmentingPath(
  ranks: readonly number[],
  pairs: ReadonlyMap<number, readonly number[]>,
  need: ReadonlyMap<number, number>,
  supplyLeft: ReadonlyMap<number, number>,
  flow: ReadonlyMap<number, ReadonlyMap<number, number>>,
  epsilon: number,
): { supply: number; sink: number; steps: Step[] } | null {
  const demandsOf = new Map<number, number[]>();
  for (const r of ranks) for (const s of pairs.get(r)!) {
    const list = demandsOf.get(s);
    if (list) list.push(r);
    else demandsOf.set(s, [r]);
  }
  const cameFromSupply = new Map<number, Step | null>();
  const cameFromDemand = new Map<number, Step>();
  const queue: number[] = [];
  for (const [s, left] of [...supplyLeft].sort((a, b) => a[0] - b[0])) {
    if (left > epsilon) {
      cameFromSupply.set(s, null);
      queue.push(s);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!;
    for (const r of demandsOf.get(s) ?? []) {
      if (cameFromDemand.has(r)) continue;
      cameFromDemand.set(r, { supply: s, demand: r, backward: false });
      if (need.get(r)! > epsilon) return { ...walkBack(r, cameFromSupply, cameFromDemand), sink: r };
      for (const [back, f] of flow.get(r)!) {
        if (f > epsilon && !cameFromSupply.has(back)) {
          cameFromSupply.set(back, { supply: back, demand: r, backward: true });
          queue.push(back);
        }
      }
    }
  }
  return null;
}

function walkBack(
  sink: number,
  cameFromSupply: ReadonlyMap<number, Step | null>,
  cameFromDemand: ReadonlyMap<number, Step>,
): { supply: number; steps: Step[] } {
  const steps: Step[] = [];
  let step = cameFromDemand.get(sink)!;
  for (;;) {
    steps.push(step);
    const previous = cameFromSupply.get(step.supply)!;
    if (previous === null) return { supply: step.supply, steps };
    steps.push(previous);
    step = cameFromDemand.get(previous.demand)!;
  }
}

/** Float sums drift by an ulp or so: the largest share absorbs it so the shares sum exactly. */
function snapToQuantity(shares: Map<number, number>, quantity: number): void {
  if (shares.size === 0) return;
  let largest = -1;
  for (const [s, x] of shares) if (largest < 0 || x > shares.get(largest)!) largest = s;
  let others = 0;
  for (const [s, x] of shares) if (s !== largest) others += x;
  shares.set(largest, quantity - others);
}
