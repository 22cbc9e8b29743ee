/**
 * Several threads on one plant: the same solve on `width` threads at once, each with its own
 * seed (the request's, then the next ones), and the best schedule by the engine's objective
 * kept (the lowest seed among equals). Deterministic for a seed and a width under an iteration
 * budget, like each solve. The threads search apart; they share nothing but the answer.
 */
import type { PlantProblem } from '../../scheduler/problem.ts';
import { isBetter } from '../../scheduler/objective.ts';
import type { SolveResult } from '../../scheduler/result.ts';
import type { SolveRequest, SolverPool } from './solver-pool.ts';

export function portfolioSolver(pool: SolverPool, width: number): SolverPool {
  if (width <= 1) return pool;
  return {
    async solve(problem: PlantProblem, request: SolveRequest): Promise<SolveResult> {
      const seed = request.seed ?? 1;
      const results = await Promise.all(Array.from({ length: width }, (_, i) => pool.solve(problem, { ...request, seed: seed + i })));
      return results.reduce((best, result) => (isBetter(result.stats.finalObjective, best.stats.finalObjective) ? result : best));
    },
    close: () => pool.close(),
  };
}
