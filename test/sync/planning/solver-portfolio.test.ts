/**
 * Several solver threads on one plant, as a search team: the general search's every step is
 * shared out and the same move taken on every thread, so the team gives exactly the one-thread
 * search's schedule for a seed and an iteration budget; job shops search one seed per thread,
 * the best kept. A member whose partners never come searches on alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isBetter } from '../../../scheduler/objective.ts';
import { solve } from '../../../scheduler/solve.ts';
import { generatePlant } from '../../../solver-bench/generator.ts';
import { teamBuffer } from '../../../sync/planning/search-team.ts';
import { portfolioSolver } from '../../../sync/planning/solver-portfolio.ts';
import { inThreadSolver, toSolveOptions } from '../../../sync/planning/solver-pool.ts';
import { startSolverThreads } from '../../../sync/planning/solver-thread.ts';
import { jobShop } from '../../scheduler/search/fixtures.ts';

describe('a plan run on several solver threads', () => {
  const threads = startSolverThreads({ size: 2 });
  afterAll(async () => { await threads.close(); });
  const problem = generatePlant({ targetOperations: 300, seed: 8 });
  const request = { now: problem.now!, seed: 3, maxIterations: 300 };

  it('searches the plant as a team: the one-thread schedule for the seed, every time', async () => {
    const portfolio = portfolioSolver(threads, 2);
    const [first, again] = [await portfolio.solve(problem, request), await portfolio.solve(problem, request)];
    const alone = solve(problem, toSolveOptions(request));
    expect(alone.stats.iterations).toBe(300);
    expect(first.operations).toEqual(alone.operations);
    expect(first.stats.finalObjective).toEqual(alone.stats.finalObjective);
    expect(again.operations).toEqual(alone.operations);
    // The search did move things: the team agreed on real steps, not on doing nothing.
    expect(isBetter(alone.stats.finalObjective, alone.stats.initialObjective)).toBe(true);
  }, 60_000);

  it('searches a job shop with one seed per thread and keeps the better', async () => {
    const shop = jobShop('ft10');
    const shopRequest = { now: shop.now!, seed: 5, maxIterations: 3000 };
    const answer = await portfolioSolver(threads, 2).solve(shop, shopRequest);
    const bySeed = [5, 6].map((seed) => solve(shop, toSolveOptions({ ...shopRequest, seed })));
    // The seeds lead to different schedules, so which one is kept matters.
    expect(bySeed[0]!.stats.finalObjective).not.toEqual(bySeed[1]!.stats.finalObjective);
    const best = isBetter(bySeed[1]!.stats.finalObjective, bySeed[0]!.stats.finalObjective) ? bySeed[1]! : bySeed[0]!;
    expect(answer.stats.finalObjective).toEqual(best.stats.finalObjective);
  }, 60_000);

  it('searches on alone when the other members never come', () => {
    const seat = { buffer: teamBuffer(2), member: 0, size: 2, firstWaitMs: 50, waitMs: 50 };
    const lonely = solve(problem, toSolveOptions({ ...request, maxIterations: 60, team: seat }));
    const alone = solve(problem, toSolveOptions({ ...request, maxIterations: 60 }));
    expect(lonely.operations).toEqual(alone.operations);
  });

  it('is the pool itself with one thread', () => {
    expect(portfolioSolver(inThreadSolver, 1)).toBe(inThreadSolver);
  });
});
