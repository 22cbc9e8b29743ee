/**
 * The makespan proof: sound (never "infeasible" when a schedule exists, never a "feasible"
 * witness that breaks a constraint), exact on small shops against brute force over every
 * machine order, and strong enough for ft06, whose one-machine bound (52) is below its
 * optimum (55).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isParseError, parseJsspInstance } from '../../../scheduler/jssp.ts';
import { jobShopLowerBound } from '../../../scheduler/search/job-shop-bound.ts';
import { makespanFeasibility, sequenceFromStarts } from '../../../scheduler/search/job-shop-proof.ts';
import type { JobShopData } from '../../../scheduler/search/job-shop-state.ts';

interface Step { readonly machine: number; readonly duration: number; readonly waitAfter?: number }
interface Job { readonly release?: number; readonly steps: readonly Step[] }

function shopData(jobs: readonly Job[], machines: number): JobShopData {
  const n = jobs.reduce((sum, job) => sum + job.steps.length, 0);
  const duration = new Float64Array(n);
  const release = new Float64Array(n);
  const waitAfter = new Float64Array(n);
  const jobPred = new Int32Array(n).fill(-1);
  const jobSucc = new Int32Array(n).fill(-1);
  const machineOf = new Int32Array(n);
  const onMachine: number[][] = Array.from({ length: machines }, () => []);
  let x = 0;
  for (const job of jobs) {
    job.steps.forEach((step, k) => {
      duration[x] = step.duration;
      release[x] = job.release ?? 0;
      waitAfter[x] = step.waitAfter ?? 0;
      machineOf[x] = step.machine;
      onMachine[step.machine]!.push(x);
      if (k > 0) {
        jobPred[x] = x - 1;
        jobSucc[x - 1] = x;
      }
      x++;
    });
  }
  const machineStart = new Int32Array(machines + 1);
  onMachine.forEach((ops, m) => (machineStart[m + 1] = machineStart[m]! + ops.length));
  return { duration, release, waitAfter, jobPred, jobSucc, machineOf, sequence: Int32Array.from(onMachine.flat()), machineStart };
}

/** Earliest starts of fixed machine sequences, or undefined when they contradict the jobs. */
function timesOf(data: JobShopData, sequence: Int32Array): Float64Array | undefined {
  const n = data.duration.length;
  const start = Float64Array.from(data.release);
  const machinePred = new Int32Array(n).fill(-1);
  for (let m = 0; m + 1 < data.machineStart.length; m++) {
    for (let i = data.machineStart[m]! + 1; i < data.machineStart[m + 1]!; i++) machinePred[sequence[i]!] = sequence[i - 1]!;
  }
  const done = new Uint8Array(n);
  for (let placed = 0; placed < n;) {
    let progressed = false;
    for (let x = 0; x < n; x++) {
      const jp = data.jobPred[x]!;
      const mp = machinePred[x]!;
      if (done[x] || (jp >= 0 && !done[jp]) || (mp >= 0 && !done[mp])) continue;
      if (jp >= 0) start[x] = Math.max(start[x]!, start[jp]! + data.duration[jp]! + data.waitAfter[jp]!);
      if (mp >= 0) start[x] = Math.max(start[x]!, start[mp]! + data.duration[mp]!);
      done[x] = 1;
      placed++;
      progressed = true;
    }
    if (!progressed) return undefined;
  }
  return start;
}

const makespanOf = (data: JobShopData, start: Float64Array) => Math.max(...Array.from(start, (s, x) => s + data.duration[x]!));

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** The optimum by trying every combination of machine orders. */
function bruteForceOptimum(data: JobShopData): number {
  const machines = data.machineStart.length - 1;
  const orders = Array.from({ length: machines }, (_, m) => permutations(Array.from(data.sequence.subarray(data.machineStart[m]!, data.machineStart[m + 1]!))));
  let best = Infinity;
  const pick = (m: number, sequence: number[]) => {
    if (m === machines) {
      const start = timesOf(data, Int32Array.from(sequence));
      if (start) best = Math.min(best, makespanOf(data, start));
      return;
    }
    for (const order of orders[m]!) pick(m + 1, [...sequence, ...order]);
  };
  pick(0, []);
  return best;
}

/** Every job arc (with its wait), release and machine respected, within the makespan. */
function expectSchedule(data: JobShopData, start: Float64Array, makespan: number): void {
  const n = data.duration.length;
  for (let x = 0; x < n; x++) {
    expect(start[x]).toBeGreaterThanOrEqual(data.release[x]!);
    expect(start[x]! + data.duration[x]!).toBeLessThanOrEqual(makespan);
    const next = data.jobSucc[x]!;
    if (next >= 0) expect(start[next]).toBeGreaterThanOrEqual(start[x]! + data.duration[x]! + data.waitAfter[x]!);
    for (let y = x + 1; y < n; y++) {
      if (data.machineOf[x] !== data.machineOf[y]) continue;
      expect(start[x]! + data.duration[x]! <= start[y]! || start[y]! + data.duration[y]! <= start[x]!).toBe(true);
    }
  }
}

const ft06 = (() => {
  const instance = parseJsspInstance(readFileSync(new URL('../../../examples/ft06.txt', import.meta.url), 'utf8'));
  if (isParseError(instance)) throw new Error(instance.error);
  return shopData(instance.operations.map((steps) => ({ steps })), instance.machines);
})();

describe('makespan proof', () => {
  it('proves ft06 cannot end by 54, above its one-machine bound of 52, in a few nodes', () => {
    expect(jobShopLowerBound(ft06)).toBe(52);
    const proof = makespanFeasibility(ft06, 54, { maxNodes: 10_000 });
    expect(proof.verdict).toBe('infeasible');
    expect(proof.nodes).toBeLessThan(1_000);
  });

  it('finds a schedule of ft06 ending by 55, its optimum, and the witness is one', () => {
    const proof = makespanFeasibility(ft06, 55, { maxNodes: 100_000 });
    expect(proof.verdict).toBe('feasible');
    if (proof.verdict !== 'feasible') return;
    expectSchedule(ft06, proof.starts, 55);
    const start = timesOf(ft06, sequenceFromStarts(ft06, proof.starts))!;
    expect(makespanOf(ft06, start)).toBeLessThanOrEqual(55);
  });

  it('answers unknown when its nodes or its time run out, never a guess', () => {
    expect(makespanFeasibility(ft06, 54, { maxNodes: 1 }).verdict).toBe('unknown');
    expect(makespanFeasibility(ft06, 54, { maxNodes: 10_000, shouldStop: () => true }).verdict).not.toBe('feasible');
  });

  it('agrees with brute force on small shops with releases and waits', () => {
    const step = fc.record({ machine: fc.nat(2), duration: fc.integer({ min: 1, max: 9 }), waitAfter: fc.oneof(fc.constant(0), fc.nat(4)) });
    const job = fc.record({ release: fc.oneof(fc.constant(0), fc.nat(10)), steps: fc.array(step, { minLength: 1, maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(job, { minLength: 2, maxLength: 4 }), (jobs) => {
        const data = shopData(jobs, 3);
        // Brute force stays small: at most 4 operations per machine.
        fc.pre([0, 1, 2].every((m) => data.machineStart[m + 1]! - data.machineStart[m]! <= 4));
        const optimum = bruteForceOptimum(data);
        const at = makespanFeasibility(data, optimum, { maxNodes: 100_000 });
        expect(at.verdict).toBe('feasible');
        if (at.verdict === 'feasible') expectSchedule(data, at.starts, optimum);
        expect(makespanFeasibility(data, optimum - 1, { maxNodes: 100_000 }).verdict).toBe('infeasible');
      }),
      { numRuns: 300 },
    );
  });
});
