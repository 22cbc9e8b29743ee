/**
 * Child process of the budget part: one generated plant, one solve with a time limit, printed as
 * one JSON line (a BudgetRow). `node bin/run-ts.mjs solver-bench/budget-run.ts --ops N --limit MS --seed S`.
 */
import { loadSolve } from './engine.ts';
import { generatePlant, operationCountOf } from './generator.ts';
import { numberArgument } from './child-args.ts';

export interface BudgetRow {
  readonly operations: number;
  readonly limitMs: number;
  /** Wall time of the whole `solve` call. */
  readonly wallMs: number;
  readonly constructiveMs: number;
  readonly iterations: number;
  /** Search steps per second of search time. */
  readonly stepsPerSecond: number;
  /** Weighted tardiness after the search against the constructive schedule's (1 = no gain). */
  readonly tardinessRatio: number | null;
  /** The process's peak resident set: the plant generated, then one solve (absent in the baseline). */
  readonly peakRssMb?: number;
}

const solve = await loadSolve();
const problem = generatePlant({ targetOperations: numberArgument('ops'), seed: numberArgument('seed') });
const limitMs = numberArgument('limit');
const started = performance.now();
const result = solve(problem, { now: problem.now!, seed: 1, timeLimitMs: limitMs, clock: () => performance.now() });
const wallMs = performance.now() - started;
const [initial, final] = [result.stats.initialObjective[0], result.stats.finalObjective[0]];
const row: BudgetRow = {
  operations: operationCountOf(problem),
  limitMs,
  wallMs: Math.round(wallMs),
  constructiveMs: Math.round(result.stats.constructiveMs),
  iterations: result.stats.iterations,
  stepsPerSecond: result.stats.improvementMs > 0 ? Math.round((result.stats.iterations / result.stats.improvementMs) * 1000 * 10) / 10 : 0,
  tardinessRatio: initial !== undefined && final !== undefined && initial > 0 ? Math.round((final / initial) * 1000) / 1000 : null,
  // maxRSS is in kilobytes.
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
console.log(JSON.stringify(row));
