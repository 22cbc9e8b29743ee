/**
 * The fast path: when the movable work is a pure job shop (makespan objective, one mode and one
 * unit per operation, machines open around the clock, no fixed work, no producer links, no lot
 * expiry), the search runs on the typed-array disjunctive graph instead of the general decoder.
 */
import type { SearchBudget } from './budget.ts';
import type { SearchContext } from './context.ts';
import type { JobShopData } from './job-shop-state.ts';
import { tabuSearchJobShop } from './job-shop-tabu.ts';
import type { SearchRandom } from './prng.ts';
import { SequenceState } from './sequences.ts';

export function isPureJobShop(ctx: SearchContext): boolean {
  const { model } = ctx;
  if (model.objective !== 'makespan') return false;
  if (ctx.fixed.some((f) => f.op.length > 0)) return false;
  const used = new Set<number>();
  for (const op of ctx.movable) {
    if (ctx.options[op]!.length !== 1 || ctx.producers[op]!.length > 0 || ctx.latestStart[op] !== Infinity) return false;
    const rp = ctx.routePred[op]!;
    if (rp >= 0 && !ctx.isMovable[rp]) return false;
    used.add(ctx.base.resource[op]!);
  }
  for (const r of used) {
    const intervals = model.resources[r]!.working.intervals;
    if (intervals.length !== 1 || intervals[0]![0] > 0) return false;
  }
  return true;
}

export function searchJobShop(ctx: SearchContext, initial: SequenceState, budget: SearchBudget, random: SearchRandom): { state: SequenceState; iterations: number; provedOptimal: boolean } {
  const { model, movable, materials } = ctx;
  const n = movable.length;
  const local = new Int32Array(model.operations.length).fill(-1);
  movable.forEach((op, i) => (local[op] = i));

  const resources = initial.sequences.map((seq, r) => ({ seq, r })).filter(({ seq }) => seq.length > 0);
  const machineStart = new Int32Array(resources.length + 1);
  const sequence = new Int32Array(n);
  const machineOf = new Int32Array(n);
  let k = 0;
  resources.forEach(({ seq }, m) => {
    machineStart[m] = k;
    for (const op of seq) {
      machineOf[local[op]!] = m;
      sequence[k++] = local[op]!;
    }
  });
  machineStart[resources.length] = k;

  const duration = new Float64Array(n);
  const release = new Float64Array(n);
  const waitAfter = new Float64Array(n);
  const jobPred = new Int32Array(n).fill(-1);
  const jobSucc = new Int32Array(n).fill(-1);
  movable.forEach((op, i) => {
    const spec = model.operations[op]!;
    duration[i] = spec.modes[initial.mode[op]!]!.duration;
    waitAfter[i] = spec.waitAfter;
    let ready = model.orders[spec.order]!.release;
    for (const d of spec.demands) ready = Math.max(ready, materials.readyAt[d]!);
    release[i] = ready;
    const rp = ctx.routePred[op]!;
    if (rp >= 0) {
      jobPred[i] = local[rp]!;
      jobSucc[local[rp]!] = i;
    }
  });
  const data: JobShopData = { duration, release, waitAfter, jobPred, jobSucc, machineOf, sequence, machineStart };
  const jobs = new Set(Array.from(movable, (op) => model.operations[op]!.order)).size;
  const outcome = tabuSearchJobShop(data, { jobs, machines: resources.length }, budget, random);

  const state = initial.clone();
  resources.forEach(({ r }, m) => {
    const seq = state.sequences[r]!;
    for (let i = machineStart[m]!; i < machineStart[m + 1]!; i++) seq[i - machineStart[m]!] = movable[outcome.sequence[i]!]!;
  });
  return { state, iterations: outcome.iterations, provedOptimal: outcome.provedOptimal };
}
