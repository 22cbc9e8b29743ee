/**
 * A lower bound on a job shop's makespan, so the search stops once it has proved its schedule
 * optimal: the longest job (release, durations and waits), and per machine the one-machine
 * relaxation with heads and tails, solved exactly with preemption (Jackson's preemptive
 * schedule: always run the released operation with the longest tail). It is at least the
 * machine's load plus its earliest head, and often the optimum of classic instances (la01:
 * 666); not of all (ft06: 52, its optimum 55 needs a proof of another kind).
 */
import { MinHeap } from '../dispatch/heap.ts';
import type { JobShopData } from './job-shop-state.ts';

export function jobShopLowerBound(data: JobShopData): number {
  const { duration, release, waitAfter, jobPred, jobSucc, machineStart, sequence } = data;
  const n = duration.length;
  // Heads: earliest starts along each job; tails: work that must follow an operation's end.
  const head = new Float64Array(n);
  const tail = new Float64Array(n);
  let bound = 0;
  for (let x = 0; x < n; x++) {
    if (jobPred[x]! >= 0) continue;
    let t = 0;
    const chain: number[] = [];
    for (let y = x; y >= 0; y = jobSucc[y]!) {
      head[y] = Math.max(t, release[y]!);
      t = head[y]! + duration[y]! + (jobSucc[y]! >= 0 ? waitAfter[y]! : 0);
      chain.push(y);
    }
    let after = 0;
    for (let k = chain.length - 1; k >= 0; k--) {
      const y = chain[k]!;
      tail[y] = after;
      after += duration[y]! + (k > 0 ? waitAfter[chain[k - 1]!]! : 0);
    }
    bound = Math.max(bound, head[chain[chain.length - 1]!]! + duration[chain[chain.length - 1]!]!);
  }
  for (let m = 0; m + 1 < machineStart.length; m++) {
    bound = Math.max(bound, preemptiveBound(sequence.subarray(machineStart[m]!, machineStart[m + 1]!), head, duration, tail));
  }
  return bound;
}

/** max(completion + tail) of Jackson's preemptive schedule of these operations on one machine. */
function preemptiveBound(ops: Int32Array, head: Float64Array, duration: Float64Array, tail: Float64Array): number {
  if (ops.length === 0) return 0;
  const byHead = Array.from(ops).sort((a, b) => head[a]! - head[b]!);
  // The heap pops the smallest rank: rank 0 is the longest tail.
  const byTail = Array.from(ops).sort((a, b) => tail[b]! - tail[a]!);
  const rank = new Map(byTail.map((op, r) => [op, r]));
  const left = new Map(byHead.map((op) => [op, duration[op]!]));
  const ready = new MinHeap(ops.length);
  let bound = 0;
  let t = 0;
  let next = 0;
  while (next < byHead.length || ready.size > 0) {
    if (ready.size === 0) t = Math.max(t, head[byHead[next]!]!);
    while (next < byHead.length && head[byHead[next]!]! <= t) ready.push(rank.get(byHead[next++]!)!);
    const op = byTail[ready.pop()!]!;
    const until = next < byHead.length ? head[byHead[next]!]! : Infinity;
    const run = Math.min(left.get(op)!, until - t);
    t += run;
    const rest = left.get(op)! - run;
    left.set(op, rest);
    if (rest > 0) ready.push(rank.get(op)!);
    else bound = Math.max(bound, t + tail[op]!);
  }
  return bound;
}
