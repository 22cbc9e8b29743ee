/**
 * Several threads on one plant: `width` solves of it at once, one per thread, as a search team
 * (scheduler/search/team.ts): every step of the general search has its candidates timed on all
 * the threads and takes the same move on each, so the search is the one-thread search, that
 * many times faster, and gives the same schedule for a seed and an iteration budget. On the
 * job-shop path each thread searches alone with its own seed. The best answer is kept (the
 * lowest member among equals); a thread that fails costs only its own answer.
 */
import type { PlantProblem } from '../../scheduler/problem.ts';
import { isBetter } from '../../scheduler/objective.ts';
import type { SolveResult } from '../../scheduler/result.ts';
import { teamBuffer } from './search-team.ts';
import type { SolveRequest, SolverPool } from './solver-pool.ts';

export function portfolioSolver(pool: SolverPool, width: number): SolverPool {
  if (width <= 1) return pool;
  return {
    async solve(problem: PlantProblem, request: SolveRequest): Promise<SolveResult> {
      const buffer = teamBuffer(width);
      const settled = await Promise.allSettled(Array.from({ length: width }, (_, member) => pool.solve(problem, { ...request, team: { buffer, member, size: width } })));
      const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      if (results.length === 0) throw (settled[0] as PromiseRejectedResult).reason;
      return results.reduce((best, result) => (isBetter(result.stats.finalObjective, best.stats.finalObjective) ? result : best));
    },
    close: () => pool.close(),
  };
}
