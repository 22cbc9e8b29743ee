/**
 * Whether any schedule of a job shop ends by a given makespan, settled by depth-first branch and
 * bound over the machines' disjunctions with constraint propagation: precedences (job arcs and
 * the arcs decided so far), the disjunctive pair rule, and edge finding with the overload check
 * on task intervals, as in Carlier & Pinson's and Brucker's job-shop solvers. The search calls it
 * with its best makespan minus one when it stalls: 'infeasible' proves that makespan optimal
 * where the one-machine bound falls short (ft06: bound 52, optimum 55). Small instances settle in
 * a few hundred nodes; large ones run out of nodes and answer 'unknown'. Times must be integers.
 */
import type { JobShopData } from './job-shop-state.ts';

export type ProofOutcome =
  /** A schedule within the makespan exists: these starts (one per operation). */
  | { readonly verdict: 'feasible'; readonly starts: Float64Array; readonly nodes: number }
  | { readonly verdict: 'infeasible' | 'unknown'; readonly nodes: number };

export interface ProofLimits {
  readonly maxNodes: number;
  /** Polled every few nodes: true ends the proof with 'unknown'. */
  readonly shouldStop?: (() => boolean) | undefined;
}

interface Node {
  readonly est: Float64Array;
  /** Latest completion of each operation. */
  readonly lct: Float64Array;
  /** Per machine, a k×k matrix: before[m][i * k + j] = 1 when its i-th operation precedes its j-th. */
  readonly before: readonly Uint8Array[];
}

const POLL_EVERY = 64;

export function makespanFeasibility(data: JobShopData, makespan: number, limits: ProofLimits): ProofOutcome {
  const shop = new Disjunctions(data);
  const n = data.duration.length;
  const root: Node = {
    est: Float64Array.from(data.release),
    lct: new Float64Array(n).fill(makespan),
    before: shop.machines.map((ops) => new Uint8Array(ops.length * ops.length)),
  };
  let nodes = 0;
  let stopped = false;
  let witness: Float64Array | undefined;
  const explore = (node: Node): 'feasible' | 'infeasible' => {
    if (!shop.propagate(node)) return 'infeasible';
    const pair = shop.branchPair(node);
    if (!pair) {
      // Every machine ordered and every arc propagated: the heads are a schedule.
      witness = node.est;
      return 'feasible';
    }
    for (const [first, second] of [pair, [pair[1], pair[0]] as const]) {
      if (++nodes > limits.maxNodes || (nodes % POLL_EVERY === 0 && limits.shouldStop?.())) stopped = true;
      if (stopped) return 'infeasible';
      const child = copy(node);
      shop.order(child, first, second);
      if (explore(child) === 'feasible') return 'feasible';
      if (stopped) return 'infeasible';
    }
    return 'infeasible';
  };
  if (explore(root) === 'feasible') return { verdict: 'feasible', starts: witness!, nodes };
  return { verdict: stopped ? 'unknown' : 'infeasible', nodes };
}

function copy(node: Node): Node {
  return { est: node.est.slice(), lct: node.lct.slice(), before: node.before.map((matrix) => matrix.slice()) };
}

/** The shop's machines as lists of operations, and the propagation rules over a node's windows. */
class Disjunctions {
  readonly machines: readonly (readonly number[])[];
  /** Each operation's index on its machine. */
  private readonly local: Int32Array;
  private readonly queue: Int32Array;
  private readonly queued: Uint8Array;

  constructor(private readonly data: JobShopData) {
    const { machineStart, sequence } = data;
    const n = data.duration.length;
    this.local = new Int32Array(n);
    const machines: number[][] = [];
    for (let m = 0; m + 1 < machineStart.length; m++) {
      const ops = Array.from(sequence.subarray(machineStart[m]!, machineStart[m + 1]!));
      ops.forEach((op, i) => (this.local[op] = i));
      machines.push(ops);
    }
    this.machines = machines;
    this.queue = new Int32Array(n + 1);
    this.queued = new Uint8Array(n);
  }

  order(node: Node, first: number, second: number): void {
    const m = this.data.machineOf[first]!;
    node.before[m]![this.local[first]! * this.machines[m]!.length + this.local[second]!] = 1;
  }

  /** Tightens the node's windows and orders to a fixpoint; false when no schedule fits them. */
  propagate(node: Node): boolean {
    for (;;) {
      if (!this.precedences(node)) return false;
      let changed = false;
      for (let m = 0; m < this.machines.length; m++) {
        const result = this.pairRule(node, m);
        if (result === 'fail') return false;
        changed ||= result === 'changed';
        const found = this.edgeFinding(node, m);
        if (found === 'fail') return false;
        changed ||= found === 'changed';
      }
      if (!changed) return true;
    }
  }

  /**
   * The unordered pair whose two orders leave the least room (the tightest choice first), or
   * undefined when every machine is fully ordered.
   */
  branchPair(node: Node): readonly [number, number] | undefined {
    let best: [number, number] | undefined;
    let bestRoom = Infinity;
    this.machines.forEach((ops, m) => {
      const k = ops.length;
      const before = node.before[m]!;
      for (let i = 0; i < k; i++) {
        for (let j = i + 1; j < k; j++) {
          if (ordered(before, k, i, j)) continue;
          const x = ops[i]!;
          const y = ops[j]!;
          const xFirst = this.room(node, x, y);
          const yFirst = this.room(node, y, x);
          const room = Math.min(xFirst, yFirst);
          if (room < bestRoom) {
            bestRoom = room;
            best = xFirst >= yFirst ? [x, y] : [y, x];
          }
        }
      }
    });
    return best;
  }

  /** Heads forward and latest completions backward along job arcs and decided machine arcs. */
  private precedences(node: Node): boolean {
    const { est, lct } = node;
    const { duration: d, waitAfter, jobSucc, jobPred } = this.data;
    const n = d.length;
    const { queue, queued } = this;
    const capacity = n + 1;
    // A failed pass leaves operations marked: start clean.
    queued.fill(0);
    let headAt = 0;
    let tailAt = 0;
    const push = (x: number) => {
      if (queued[x]) return;
      queued[x] = 1;
      queue[tailAt] = x;
      tailAt = (tailAt + 1) % capacity;
    };
    for (let x = 0; x < n; x++) push(x);
    // A positive cycle of decided arcs would raise heads forever; the windows catch it first
    // unless durations are zero, so the rounds are bounded too.
    let rounds = 0;
    const maxRounds = n * n + 10;
    while (headAt !== tailAt) {
      if (++rounds > maxRounds) return false;
      const x = queue[headAt]!;
      headAt = (headAt + 1) % capacity;
      queued[x] = 0;
      if (est[x]! + d[x]! > lct[x]!) return false;
      const end = est[x]! + d[x]!;
      const start = lct[x]! - d[x]!;
      const next = jobSucc[x]!;
      if (next >= 0 && est[next]! < end + waitAfter[x]!) {
        est[next] = end + waitAfter[x]!;
        push(next);
      }
      const prev = jobPred[x]!;
      if (prev >= 0 && lct[prev]! > start - waitAfter[prev]!) {
        lct[prev] = start - waitAfter[prev]!;
        push(prev);
      }
      const m = this.data.machineOf[x]!;
      const ops = this.machines[m]!;
      const k = ops.length;
      const before = node.before[m]!;
      const i = this.local[x]!;
      for (let j = 0; j < k; j++) {
        const y = ops[j]!;
        if (before[i * k + j] && est[y]! < end) {
          est[y] = end;
          push(y);
        }
        if (before[j * k + i] && lct[y]! > start) {
          lct[y] = start;
          push(y);
        }
      }
    }
    return true;
  }

  /** Slack left if x runs right before y on their machine (negative: that order cannot fit). */
  private room(node: Node, x: number, y: number): number {
    const d = this.data.duration;
    return node.lct[y]! - node.est[x]! - d[x]! - d[y]!;
  }

  /** Two operations of one machine whose windows allow only one order get that order. */
  private pairRule(node: Node, m: number): 'fail' | 'changed' | 'same' {
    const ops = this.machines[m]!;
    const k = ops.length;
    const before = node.before[m]!;
    let changed = false;
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        if (ordered(before, k, i, j)) continue;
        const xFirst = this.room(node, ops[i]!, ops[j]!) >= 0;
        const yFirst = this.room(node, ops[j]!, ops[i]!) >= 0;
        if (!xFirst && !yFirst) return 'fail';
        if (!xFirst) before[j * k + i] = 1;
        else if (!yFirst) before[i * k + j] = 1;
        else continue;
        changed = true;
      }
    }
    return changed ? 'changed' : 'same';
  }

  /**
   * Task intervals Ω = {i : est_i ≥ est_a, lct_i ≤ lct_b}: Ω must fit between est_a and lct_b
   * (overload), and an operation k that cannot run before all of Ω (or after all of it) runs
   * after (before) every operation of Ω.
   */
  private edgeFinding(node: Node, m: number): 'fail' | 'changed' | 'same' {
    const { est, lct } = node;
    const d = this.data.duration;
    const ops = this.machines[m]!;
    const k = ops.length;
    const before = node.before[m]!;
    const inside = new Uint8Array(k);
    let changed = false;
    for (let a = 0; a < k; a++) {
      const from = est[ops[a]!]!;
      for (let b = 0; b < k; b++) {
        const to = lct[ops[b]!]!;
        if (to <= from) continue;
        let work = 0;
        let members = 0;
        for (let i = 0; i < k; i++) {
          const x = ops[i]!;
          inside[i] = est[x]! >= from && lct[x]! <= to ? 1 : 0;
          if (inside[i]) {
            work += d[x]!;
            members++;
          }
        }
        if (members === 0) continue;
        if (from + work > to) return 'fail';
        for (let c = 0; c < k; c++) {
          if (inside[c]) continue;
          const z = ops[c]!;
          // z cannot end before Ω does: after all of Ω.
          if (Math.min(from, est[z]!) + work + d[z]! > to) {
            changed = orderAround(before, inside, k, c, 'after') || changed;
            if (est[z]! < from + work) {
              est[z] = from + work;
              changed = true;
            }
          }
          // z cannot start after Ω does: before all of Ω.
          if (Math.max(to, lct[z]!) - work - d[z]! < from) {
            changed = orderAround(before, inside, k, c, 'before') || changed;
            if (lct[z]! > to - work) {
              lct[z] = to - work;
              changed = true;
            }
          }
        }
      }
    }
    return changed ? 'changed' : 'same';
  }
}

/** Whether the i-th and j-th operations of a machine (k of them) are ordered either way. */
const ordered = (before: Uint8Array, k: number, i: number, j: number): boolean => before[i * k + j] === 1 || before[j * k + i] === 1;

/** Orders operation c after (or before) every operation inside Ω; true when an arc is new. */
function orderAround(before: Uint8Array, inside: Uint8Array, k: number, c: number, side: 'after' | 'before'): boolean {
  let added = false;
  for (let i = 0; i < k; i++) {
    if (!inside[i]) continue;
    const at = side === 'after' ? i * k + c : c * k + i;
    if (!before[at]) {
      before[at] = 1;
      added = true;
    }
  }
  return added;
}

/** Each machine's operations in the order of these starts (the layout of `JobShopData.sequence`). */
export function sequenceFromStarts(data: JobShopData, starts: Float64Array): Int32Array {
  const { machineStart, sequence } = data;
  const ordered = sequence.slice();
  for (let m = 0; m + 1 < machineStart.length; m++) {
    const ops = ordered.subarray(machineStart[m]!, machineStart[m + 1]!);
    ops.set(Array.from(ops).sort((a, b) => starts[a]! - starts[b]! || data.duration[a]! - data.duration[b]!));
  }
  return ordered;
}
