/**
 * The pure job shop as the fast path sees it (one mode, one unit, 24/7 machines, no fixed work,
 * no producer links): a disjunctive graph on typed arrays. Machine sequences live in one flat
 * array, heads (earliest starts) and tails (longest path after the end) are recomputed in one
 * topological pass per step, and moves are scored by the Balas–Vazacopoulos head/tail estimate.
 */
export interface JobShopData {
  readonly duration: Float64Array;
  /** Earliest start from the order's release and material (constant). */
  readonly release: Float64Array;
  /** Elapsed wait between an operation's end and its job successor's start. */
  readonly waitAfter: Float64Array;
  readonly jobPred: Int32Array;
  readonly jobSucc: Int32Array;
  readonly machineOf: Int32Array;
  /** Machine m's operations are sequence[machineStart[m] .. machineStart[m + 1]). */
  readonly sequence: Int32Array;
  readonly machineStart: Int32Array;
}

export class JobShopState {
  readonly seq: Int32Array;
  /** Position of each operation in `seq`. */
  readonly pos: Int32Array;
  readonly head: Float64Array;
  readonly tail: Float64Array;
  makespan = 0;
  private readonly indegree: Int32Array;
  private readonly order: Int32Array;

  constructor(readonly data: JobShopData) {
    const n = data.duration.length;
    this.seq = data.sequence.slice();
    this.pos = new Int32Array(n);
    this.head = new Float64Array(n);
    this.tail = new Float64Array(n);
    this.indegree = new Int32Array(n);
    this.order = new Int32Array(n);
    this.syncPositions();
  }

  syncPositions(): void {
    for (let i = 0; i < this.seq.length; i++) this.pos[this.seq[i]!] = i;
  }

  load(seq: Int32Array): void {
    this.seq.set(seq);
    this.syncPositions();
  }

  machinePred(op: number): number {
    const p = this.pos[op]!;
    return p > this.data.machineStart[this.data.machineOf[op]!]! ? this.seq[p - 1]! : -1;
  }

  machineSucc(op: number): number {
    const p = this.pos[op]!;
    return p + 1 < this.data.machineStart[this.data.machineOf[op]! + 1]! ? this.seq[p + 1]! : -1;
  }

  /** Moves the operation at position `from` to position `to` of the same machine; `moveOp(to, from)` undoes it. */
  moveOp(from: number, to: number): void {
    const { seq, pos } = this;
    const op = seq[from]!;
    if (from < to) {
      for (let i = from; i < to; i++) {
        const x = seq[i + 1]!;
        seq[i] = x;
        pos[x] = i;
      }
    } else {
      for (let i = from; i > to; i--) {
        const x = seq[i - 1]!;
        seq[i] = x;
        pos[x] = i;
      }
    }
    seq[to] = op;
    pos[op] = to;
  }

  /** Heads, tails and makespan; false when the machine sequences make a cycle. */
  computeTimes(): boolean {
    const { duration, release, waitAfter, jobPred, jobSucc, machineOf, machineStart } = this.data;
    const { seq, pos, head, tail, indegree, order } = this;
    const n = duration.length;
    let count = 0;
    for (let x = 0; x < n; x++) {
      const d = (jobPred[x]! >= 0 ? 1 : 0) + (pos[x]! > machineStart[machineOf[x]!]! ? 1 : 0);
      indegree[x] = d;
      if (d === 0) order[count++] = x;
    }
    let makespan = 0;
    for (let k = 0; k < count; k++) {
      const x = order[k]!;
      let h = release[x]!;
      const jp = jobPred[x]!;
      if (jp >= 0) {
        const v = head[jp]! + duration[jp]! + waitAfter[jp]!;
        if (v > h) h = v;
      }
      const p = pos[x]!;
      const m = machineOf[x]!;
      if (p > machineStart[m]!) {
        const mp = seq[p - 1]!;
        const v = head[mp]! + duration[mp]!;
        if (v > h) h = v;
      }
      head[x] = h;
      if (h + duration[x]! > makespan) makespan = h + duration[x]!;
      const js = jobSucc[x]!;
      if (js >= 0 && --indegree[js]! === 0) order[count++] = js;
      if (p + 1 < machineStart[m + 1]!) {
        const ms = seq[p + 1]!;
        if (--indegree[ms]! === 0) order[count++] = ms;
      }
    }
    if (count < n) return false;
    for (let k = n - 1; k >= 0; k--) {
      const x = order[k]!;
      let t = 0;
      const js = jobSucc[x]!;
      if (js >= 0) t = waitAfter[x]! + duration[js]! + tail[js]!;
      const p = pos[x]!;
      if (p + 1 < machineStart[machineOf[x]! + 1]!) {
        const ms = seq[p + 1]!;
        const v = duration[ms]! + tail[ms]!;
        if (v > t) t = v;
      }
      tail[x] = t;
    }
    this.makespan = makespan;
    return true;
  }

  /**
   * Estimated makespan after `moveOp(from, to)`: the longest path through the reordered
   * operations, with heads and tails outside the segment taken as they are now.
   */
  estimateMove(from: number, to: number, scratch: Float64Array): number {
    const { duration, release, waitAfter, jobPred, jobSucc, machineOf, machineStart } = this.data;
    const { seq, head, tail } = this;
    const m = machineOf[seq[from]!]!;
    const lo = from < to ? from : to;
    const hi = from < to ? to : from;
    const len = hi - lo + 1;
    // New order of positions lo..hi: the moved op at its new place, the others shifted by one.
    const moved = seq[from]!;
    const movedAt = from < to ? len - 1 : 0;
    const shift = from < to ? lo + 1 : lo - 1;
    let base = 0;
    if (lo > machineStart[m]!) {
      const mp = seq[lo - 1]!;
      base = head[mp]! + duration[mp]!;
    }
    for (let k = 0; k < len; k++) {
      const x = k === movedAt ? moved : seq[shift + k]!;
      let h = release[x]!;
      const jp = jobPred[x]!;
      if (jp >= 0) {
        const v = head[jp]! + duration[jp]! + waitAfter[jp]!;
        if (v > h) h = v;
      }
      if (base > h) h = base;
      scratch[k] = h;
      base = h + duration[x]!;
    }
    let after = 0;
    if (hi + 1 < machineStart[m + 1]!) {
      const ms = seq[hi + 1]!;
      after = duration[ms]! + tail[ms]!;
    }
    let estimate = 0;
    for (let k = len - 1; k >= 0; k--) {
      const x = k === movedAt ? moved : seq[shift + k]!;
      let t = 0;
      const js = jobSucc[x]!;
      if (js >= 0) t = waitAfter[x]! + duration[js]! + tail[js]!;
      if (after > t) t = after;
      const v = scratch[k]! + duration[x]! + t;
      if (v > estimate) estimate = v;
      after = t + duration[x]!;
    }
    return estimate;
  }
}

