/**
 * The engine under test: `scheduler/solve.ts`. TAKT_BENCH_SOLVE may name another module
 * exporting the same `solve` (an older build, a branch) to compare against.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PlantProblem } from '../scheduler/problem.ts';
import type { SolveOptions, SolveResult } from '../scheduler/result.ts';
import { solve } from '../scheduler/solve.ts';

export type SolveFunction = (problem: PlantProblem, options: SolveOptions) => SolveResult;

export async function loadSolve(env: NodeJS.ProcessEnv = process.env): Promise<SolveFunction> {
  if (!env.TAKT_BENCH_SOLVE) return solve;
  const specifier = pathToFileURL(resolve(env.TAKT_BENCH_SOLVE)).href;
  const module = (await import(specifier)) as { solve?: SolveFunction };
  if (typeof module.solve !== 'function') throw new Error(`${specifier} exports no solve function`);
  return module.solve;
}
