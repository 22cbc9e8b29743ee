import { afterAll, describe, expect, it } from 'vitest';
import { isBetter } from '../../../scheduler/objective.ts';
import { solve } from '../../../scheduler/solve.ts';
import { generatePlant } from '../../../solver-bench/generator.ts';
import { portfolioSolver } from '../../../sync/planning/solver-portfolio.ts';
import { inThreadSolver, toSolveOptions } from '../../../sync/planning/solver-pool.ts';
import { startSolverThreads } from '../../../sync/planning/solver-thread.ts';

describe('a plan run on several solver threads', () => {
  const threads = startSolverThreads({ size: 2 });
  afterAll(async () => { await threads.close(); });
  const problem = generatePlant({ targetOperations: 300, seed: 8 });
  const request = { now: problem.now!, seed: 3, maxIterations: 400 };

  it('keeps the best of one search per thread, each with its own seed, and is deterministic for a seed and a width', async () => {
    const portfolio = portfolioSolver(threads, 2);
    const [first, again] = [await portfolio.solve(problem, request), await portfolio.solve(problem, request)];
    expect(again.stats.finalObjective).toEqual(first.stats.finalObjective);
    expect(again.operations).toEqual(first.operations);
    // Each seed's search alone, on this thread: the portfolio's answer is the better of the two.
    const bySeed = [3, 4].map((seed) => solve(problem, toSolveOptions({ ...request, seed })));
    // The seeds lead to different schedules, so which one wins matters.
    expect(bySeed[0]!.stats.finalObjective).not.toEqual(bySeed[1]!.stats.finalObjective);
    const best = isBetter(bySeed[1]!.stats.finalObjective, bySeed[0]!.stats.finalObjective) ? bySeed[1]! : bySeed[0]!;
    expect(first.stats.finalObjective).toEqual(best.stats.finalObjective);
    expect(first.operations).toEqual(best.operations);
  }, 60_000);

  it('is the pool itself with one thread', () => {
    expect(portfolioSolver(inThreadSolver, 1)).toBe(inThreadSolver);
  });
});
