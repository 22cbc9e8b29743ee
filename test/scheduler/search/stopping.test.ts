/**
 * When the search stops before its budget: at a proven optimum (its makespan meets the job
 * shop's lower bound, or a proof rules out anything shorter), and when asked to after a
 * stretch without improvement; and what it reports meanwhile (each better schedule, in order).
 */
import { describe, expect, it } from 'vitest';
import { solve } from '../../../scheduler/solve.ts';
import { jobShop, smallPlant } from './fixtures.ts';

const clock = () => performance.now();

describe('stopping the search', () => {
  it('stops at a proven optimum: la01 reaches its lower bound, 666, long before 10 s', () => {
    const problem = jobShop('la01');
    const result = solve(problem, { now: problem.now!, seed: 1, timeLimitMs: 10_000, clock });
    expect(result.kpis.makespanMinutes).toBe(666);
    expect(result.stats.provedOptimal).toBe(true);
    expect(result.stats.improvementMs).toBeLessThan(2_000);
  });

  it('stops at a proven optimum: ft06 at 55, whose one-machine bound is 52, once a proof rules out 54', () => {
    const problem = jobShop('ft06');
    const result = solve(problem, { now: problem.now!, seed: 1, timeLimitMs: 10_000, clock });
    expect(result.kpis.makespanMinutes).toBe(55);
    expect(result.stats.provedOptimal).toBe(true);
    expect(result.stats.improvementMs).toBeLessThan(2_000);
  });

  it('never stops above the optimum: ft10 (optimum 930, bound 808, a proof out of reach in 300 ms) runs its budget', () => {
    const problem = jobShop('ft10');
    const result = solve(problem, { now: problem.now!, seed: 1, timeLimitMs: 300, clock });
    expect(result.kpis.makespanMinutes).toBeGreaterThanOrEqual(930);
    expect(result.stats.provedOptimal).toBe(false);
    expect(result.stats.improvementMs).toBeGreaterThanOrEqual(290);
  });

  it('proves optimality the same way under an iteration budget, deterministically', () => {
    const problem = jobShop('ft06');
    const runs = [1, 2].map(() => solve(problem, { now: problem.now!, seed: 5, maxIterations: 1_000_000 }));
    expect(runs.map((r) => [r.kpis.makespanMinutes, r.stats.iterations, r.stats.provedOptimal])).toEqual([[55, runs[0]!.stats.iterations, true], [55, runs[0]!.stats.iterations, true]]);
    expect(runs[0]!.stats.iterations).toBeLessThan(1_000_000);
  });

  it('stops after a stretch without improvement when asked, and reports each better schedule', () => {
    const problem = smallPlant({ orders: 30, seed: 3 });
    const seen: { objective: readonly number[]; elapsedMs: number }[] = [];
    const result = solve(problem, {
      now: problem.now!, seed: 1, timeLimitMs: 20_000, stopWithoutImprovementMs: 300, clock,
      onImprove: ({ objective, elapsedMs }) => void seen.push({ objective, elapsedMs }),
    });
    expect(result.stats.improvementMs).toBeLessThan(10_000);
    expect(result.stats.improvementMs - result.stats.timeToBestMs + result.stats.constructiveMs).toBeGreaterThanOrEqual(290);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.elapsedMs).toBeGreaterThanOrEqual(seen[i - 1]!.elapsedMs);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)!.objective).toEqual(result.stats.finalObjective);
  });
});
