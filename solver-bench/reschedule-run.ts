/**
 * Child process of the reschedule part: a generated plant planned with a first budget, then a
 * breakdown on its busiest work center re-planned with the service's default budget, the first
 * schedule as `previous`. Prints one JSON line (a RescheduleRow).
 * `node bin/run-ts.mjs solver-bench/reschedule-run.ts --ops N --first MS --limit MS --seed S`.
 */
import type { PlantProblem } from '../scheduler/problem.ts';
import type { SolveResult } from '../scheduler/result.ts';
import { loadSolve } from './engine.ts';
import { generatePlant, operationCountOf, withDowntime } from './generator.ts';

export interface RescheduleRow {
  readonly operations: number;
  readonly firstLimitMs: number;
  readonly limitMs: number;
  /** Weighted tardiness (minutes) of the first plan, of the re-plan's constructive start, and of the re-plan. */
  readonly firstTardiness: number;
  readonly constructiveTardiness: number;
  readonly rescheduleTardiness: number;
  /** Operations the re-plan moved against the first plan. */
  readonly operationsMoved: number;
  readonly iterations: number;
}

function argument(name: string): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = Number(process.argv[i + 1]);
  if (i < 0 || !Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

const asPrevious = (problem: PlantProblem, result: SolveResult): PlantProblem => ({
  ...problem,
  previous: result.operations.map((op) => ({ workOrder: op.workOrder, operation: op.operation, workCenter: op.workCenter, unit: op.unit, start: op.start, end: op.end })),
});

const solve = await loadSolve();
const seed = argument('seed');
const problem = generatePlant({ targetOperations: argument('ops'), seed });
const clock = (): number => performance.now();
const [firstLimitMs, limitMs] = [argument('first'), argument('limit')];
const first = solve(problem, { now: problem.now!, seed: 1, timeLimitMs: firstLimitMs, clock });
const broken = withDowntime(asPrevious(problem, first), seed);
const second = solve(broken, { now: problem.now!, seed: 1, timeLimitMs: limitMs, clock });
const row: RescheduleRow = {
  operations: operationCountOf(problem),
  firstLimitMs,
  limitMs,
  firstTardiness: first.stats.finalObjective[0] ?? 0,
  constructiveTardiness: second.stats.initialObjective[0] ?? 0,
  rescheduleTardiness: second.stats.finalObjective[0] ?? 0,
  operationsMoved: second.kpis.operationsMoved,
  iterations: second.stats.iterations,
};
console.log(JSON.stringify(row));
