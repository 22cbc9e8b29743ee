/**
 * Child process of the threads part: one generated plant solved through the service's solver
 * threads, `--width` of them searching it together (a search team). Prints one JSON line (a
 * ThreadsRow). `node bin/run-ts.mjs solver-bench/threads-run.ts --ops N --limit MS --width W --seed S --solve-seed T`.
 */
import { portfolioSolver } from '../sync/planning/solver-portfolio.ts';
import { startSolverThreads } from '../sync/planning/solver-thread.ts';
import { generatePlant, operationCountOf } from './generator.ts';
import { numberArgument } from './child-args.ts';

export interface ThreadsRow {
  readonly operations: number;
  readonly limitMs: number;
  readonly width: number;
  readonly solveSeed: number;
  readonly wallMs: number;
  /** Search steps taken, and per second of search. */
  readonly iterations: number;
  readonly stepsPerSecond: number;
  /** Weighted tardiness of the kept schedule, and of the constructive one it started from. */
  readonly tardiness: number;
  readonly constructiveTardiness: number;
}

const [ops, limitMs, width, seed, solveSeed] = [numberArgument('ops'), numberArgument('limit'), numberArgument('width'), numberArgument('seed'), numberArgument('solve-seed')];
const problem = generatePlant({ targetOperations: ops, seed });
const threads = startSolverThreads({ size: width });
const solver = portfolioSolver(threads, width);
// A first small solve loads the engine on every thread, as a running service has.
await solver.solve(generatePlant({ targetOperations: 50, seed }), { now: problem.now!, timeLimitMs: 0 });
const started = performance.now();
const result = await solver.solve(problem, { now: problem.now!, seed: solveSeed, timeLimitMs: limitMs });
const row: ThreadsRow = {
  operations: operationCountOf(problem), limitMs, width, solveSeed, wallMs: Math.round(performance.now() - started),
  iterations: result.stats.iterations,
  stepsPerSecond: result.stats.improvementMs > 0 ? Math.round((result.stats.iterations / result.stats.improvementMs) * 1000 * 10) / 10 : 0,
  tardiness: result.stats.finalObjective[0] ?? 0, constructiveTardiness: result.stats.initialObjective[0] ?? 0,
};
await threads.close();
console.log(JSON.stringify(row));
