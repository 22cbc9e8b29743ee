/**
 * Child process of the reschedule part: a generated plant planned with a first budget, then a
 * breakdown on its busiest work center re-planned with the service's default budget, the first
 * schedule as `previous`. Prints one JSON line (a RescheduleRow).
 * `node bin/run-ts.mjs solver-bench/reschedule-run.ts --ops N --first MS --limit MS --seed S`.
 */
import { withPrevious } from '../scheduler/previous.ts';
import { loadSolve } from './engine.ts';
import { generatePlant, operationCountOf, withDowntime } from './generator.ts';
import { numberArgument } from './child-args.ts';

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

const solve = await loadSolve();
const seed = numberArgument('seed');
const problem = generatePlant({ targetOperations: numberArgument('ops'), seed });
const clock = (): number => performance.now();
const [firstLimitMs, limitMs] = [numberArgument('first'), numberArgument('limit')];
const first = solve(problem, { now: problem.now!, seed: 1, timeLimitMs: firstLimitMs, clock });
const broken = withDowntime(withPrevious(problem, first.operations), seed);
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
