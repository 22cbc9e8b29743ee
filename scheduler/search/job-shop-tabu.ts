/**
 * Tabu search for the pure job shop, after Nowicki & Smutnicki (TSAB) with the N7 neighbourhood
 * of Zhang et al.: moves take the first or last operation of a critical block into or across
 * the block (and an inner operation to either end), scored by head/tail estimates; arcs a move
 * reverses stay tabu for a randomised tenure, unless a move would beat the best (aspiration).
 * When the best stalls, the search jumps back to it and kicks it with a few random block moves.
 */
import type { SearchBudget } from './budget.ts';
import { JobShopState, type JobShopData } from './job-shop-state.ts';
import { jobShopLowerBound } from './job-shop-bound.ts';
import { sequenceFromStarts } from './job-shop-proof.ts';
import { ProofSchedule } from './job-shop-proof-schedule.ts';
import type { SearchRandom } from './prng.ts';

export interface JobShopOutcome {
  /** Best machine sequences found (same layout as `JobShopData.sequence`). */
  readonly sequence: Int32Array;
  readonly makespan: number;
  readonly iterations: number;
  /** The makespan meets a lower bound or a proof that nothing shorter exists. */
  readonly provedOptimal: boolean;
}

export interface JobShopTuning {
  /** Number of jobs and machines, for the tabu tenure. */
  readonly jobs: number;
  readonly machines: number;
}

const MAX_MOVES = 4096;

/** The critical path (one of them) and its blocks, as positions in the machine sequences. */
class Neighbourhood {
  readonly from = new Int32Array(MAX_MOVES);
  readonly to = new Int32Array(MAX_MOVES);
  count = 0;
  private readonly path: Int32Array;
  private readonly viaMachine: Uint8Array;

  constructor(n: number) {
    this.path = new Int32Array(n);
    this.viaMachine = new Uint8Array(n);
  }

  /** Collects the N7 moves of one critical path; false when there is no block to work on. */
  build(state: JobShopState, random: SearchRandom): boolean {
    const { duration, waitAfter, jobPred } = state.data;
    const { head, makespan } = state;
    const n = duration.length;
    // A random end of a critical path, then back along tight arcs (random on ties).
    let end = -1;
    let seen = 0;
    for (let x = 0; x < n; x++) {
      if (head[x]! + duration[x]! === makespan && random.below(++seen) === 0) end = x;
    }
    let len = 0;
    for (let x = end; x >= 0; ) {
      this.path[len] = x;
      const h = head[x]!;
      const jp = jobPred[x]!;
      const mp = state.machinePred(x);
      const viaJob = jp >= 0 && head[jp]! + duration[jp]! + waitAfter[jp]! === h;
      const viaMachine = mp >= 0 && head[mp]! + duration[mp]! === h;
      if (viaJob && viaMachine) {
        this.viaMachine[len++] = random.below(2);
        x = this.viaMachine[len - 1] ? mp : jp;
      } else if (viaMachine) {
        this.viaMachine[len++] = 1;
        x = mp;
      } else if (viaJob) {
        this.viaMachine[len++] = 0;
        x = jp;
      } else {
        this.viaMachine[len++] = 0;
        x = -1;
      }
    }
    // path[len-1] is the first operation; path[i] came from path[i+1] through viaMachine[i].
    this.count = 0;
    let i = len - 1;
    while (i >= 0) {
      let j = i;
      while (j > 0 && this.viaMachine[j - 1]) j--;
      // Block: path[i] (first) … path[j] (last), consecutive on one machine.
      if (i - j + 1 >= 2) this.blockMoves(state, state.pos[this.path[i]!]!, i - j + 1);
      i = j - 1;
    }
    return this.count > 0;
  }

  private blockMoves(state: JobShopState, p0: number, k: number): void {
    const last = p0 + k - 1;
    for (let j = 1; j < k; j++) this.forward(state, p0, p0 + j);
    for (let j = 0; j < k - 1; j++) if (!(k === 2 && j === 0)) this.backward(state, last, p0 + j);
    for (let j = 1; j < k - 1; j++) {
      this.backward(state, p0 + j, p0);
      this.forward(state, p0 + j, last);
    }
  }

  /** u at `from` goes right after v at `to`: safe when v's tail path is no shorter than u's job successor's. */
  private forward(state: JobShopState, from: number, to: number): void {
    const { duration, jobSucc } = state.data;
    const u = state.seq[from]!;
    const v = state.seq[to]!;
    const js = jobSucc[u]!;
    if (js >= 0 && state.tail[v]! + duration[v]! < state.tail[js]! + duration[js]!) return;
    this.push(from, to);
  }

  /** v at `from` goes right before u at `to`: safe when u ends no earlier than v's job predecessor. */
  private backward(state: JobShopState, from: number, to: number): void {
    const { duration, waitAfter, jobPred } = state.data;
    const u = state.seq[to]!;
    const v = state.seq[from]!;
    const jp = jobPred[v]!;
    if (jp >= 0 && state.head[u]! + duration[u]! < state.head[jp]! + duration[jp]! + waitAfter[jp]!) return;
    this.push(from, to);
  }

  private push(from: number, to: number): void {
    if (this.count >= MAX_MOVES) return;
    this.from[this.count] = from;
    this.to[this.count] = to;
    this.count++;
  }
}

/** Arcs (a before b) that may not be re-created until an iteration. */
class TabuArcs {
  private readonly dense: Int32Array | null;
  private readonly sparse = new Map<number, number>();

  constructor(private readonly n: number) {
    this.dense = n * n <= 1 << 24 ? new Int32Array(n * n) : null;
  }

  until(a: number, b: number): number {
    const key = a * this.n + b;
    return this.dense ? this.dense[key]! : this.sparse.get(key) ?? 0;
  }

  forbid(a: number, b: number, until: number): void {
    const key = a * this.n + b;
    if (this.dense) this.dense[key] = until;
    else this.sparse.set(key, until);
  }

  clear(): void {
    if (this.dense) this.dense.fill(0);
    else this.sparse.clear();
  }

  /** Whether `moveOp(from, to)` re-creates a tabu arc. */
  isTabu(state: JobShopState, from: number, to: number, iteration: number): boolean {
    const u = state.seq[from]!;
    if (from < to) {
      for (let i = from + 1; i <= to; i++) if (this.until(state.seq[i]!, u) > iteration) return true;
    } else {
      for (let i = to; i < from; i++) if (this.until(u, state.seq[i]!) > iteration) return true;
    }
    return false;
  }

  /** Before applying `moveOp(from, to)`: forbid restoring the arcs it reverses. */
  record(state: JobShopState, from: number, to: number, until: number): void {
    const u = state.seq[from]!;
    if (from < to) {
      for (let i = from + 1; i <= to; i++) this.forbid(u, state.seq[i]!, until);
    } else {
      for (let i = to; i < from; i++) this.forbid(state.seq[i]!, u, until);
    }
  }
}

export function tabuSearchJobShop(data: JobShopData, tuning: JobShopTuning, budget: SearchBudget, random: SearchRandom): JobShopOutcome {
  const n = data.duration.length;
  const state = new JobShopState(data);
  if (!state.computeTimes()) return { sequence: data.sequence.slice(), makespan: Infinity, iterations: 0, provedOptimal: false };
  let lowerBound = jobShopLowerBound(data);
  const best = state.seq.slice();
  let bestMakespan = state.makespan;
  const moves = new Neighbourhood(n);
  const tabu = new TabuArcs(n);
  const scratch = new Float64Array(n);
  const tenureMin = Math.round(10 + tuning.jobs / Math.max(1, tuning.machines));
  const tenureSpan = Math.max(1, Math.round(tenureMin * 0.4));
  const stallLimit = 2500 + 10 * n;
  const proofs = ProofSchedule.for(data, stallLimit);

  let iteration = 0;
  let stall = 0;
  /** Makes the current state the best when it beats it. */
  const keepIfBest = (): boolean => {
    if (state.makespan >= bestMakespan) return false;
    bestMakespan = state.makespan;
    best.set(state.seq);
    budget.improved(iteration, [bestMakespan]);
    return true;
  };
  while (bestMakespan > lowerBound && !budget.exhausted(iteration)) {
    iteration++;
    if (proofs?.due(iteration)) {
      // Below the best makespan: proved impossible (the best is optimal), or a schedule to go on from.
      const proof = proofs.attempt(iteration, bestMakespan, budget);
      if (proof.verdict === 'infeasible') {
        lowerBound = bestMakespan;
        continue;
      }
      if (proof.verdict === 'feasible') {
        state.load(sequenceFromStarts(data, proof.starts));
        if (!state.computeTimes() || !keepIfBest()) {
          state.load(best);
          state.computeTimes();
        }
        tabu.clear();
        stall = 0;
      }
    }
    if (!moves.build(state, random)) {
      // No block on the critical path: nothing improves this solution; start elsewhere.
      if (!restart(state, best, moves, random)) break;
      tabu.clear();
      stall = 0;
      continue;
    }
    let chosen = -1;
    let chosenEstimate = Infinity;
    let ties = 0;
    for (let c = 0; c < moves.count; c++) {
      const from = moves.from[c]!;
      const to = moves.to[c]!;
      const estimate = state.estimateMove(from, to, scratch);
      if (estimate >= bestMakespan && tabu.isTabu(state, from, to, iteration)) continue;
      if (estimate < chosenEstimate) {
        chosen = c;
        chosenEstimate = estimate;
        ties = 1;
      } else if (estimate === chosenEstimate && random.below(++ties) === 0) {
        chosen = c;
      }
    }
    // Everything is tabu: take any move rather than stand still.
    if (chosen < 0) chosen = random.below(moves.count);
    const from = moves.from[chosen]!;
    const to = moves.to[chosen]!;
    tabu.record(state, from, to, iteration + tenureMin + random.below(tenureSpan + 1));
    state.moveOp(from, to);
    if (!state.computeTimes()) {
      state.moveOp(to, from);
      state.computeTimes();
      continue;
    }
    if (keepIfBest()) {
      stall = 0;
    } else if (++stall > stallLimit) {
      if (!restart(state, best, moves, random)) break;
      tabu.clear();
      stall = 0;
    }
  }
  return { sequence: best, makespan: bestMakespan, iterations: iteration, provedOptimal: bestMakespan <= lowerBound };
}

/** Back to the best sequences, kicked by a few random critical-block moves. */
function restart(state: JobShopState, best: Int32Array, moves: Neighbourhood, random: SearchRandom): boolean {
  state.load(best);
  state.computeTimes();
  const kicks = 2 + random.below(4);
  for (let k = 0; k < kicks; k++) {
    if (!moves.build(state, random)) return k > 0;
    const c = random.below(moves.count);
    const from = moves.from[c]!;
    const to = moves.to[c]!;
    state.moveOp(from, to);
    if (!state.computeTimes()) {
      state.moveOp(to, from);
      state.computeTimes();
    }
  }
  return true;
}
