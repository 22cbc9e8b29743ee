import { describe, expect, it } from 'vitest';
import type { PlantProblem } from '../../../scheduler/problem.ts';
import type { SolveResult } from '../../../scheduler/result.ts';
import { solve } from '../../../scheduler/solve.ts';
import { generatePlant, withDowntime } from '../../../solver-bench/generator.ts';

const asPrevious = (problem: PlantProblem, result: SolveResult): PlantProblem => ({
  ...problem,
  previous: result.operations.map((op) => ({ workOrder: op.workOrder, operation: op.operation, workCenter: op.workCenter, unit: op.unit, start: op.start, end: op.end })),
});

describe('re-plans start from the previous schedule', () => {
  const problem = generatePlant({ targetOperations: 400, seed: 11 });
  const options = { now: problem.now!, seed: 1 };
  const first = solve(problem, { ...options, maxIterations: 400 });

  it('keeps the previous plan when nothing changed: nothing moves, nothing gets worse', () => {
    const again = solve(asPrevious(problem, first), { ...options, maxIterations: 1 });
    expect(again.kpis.operationsMoved).toBe(0);
    expect(again.kpis.totalWeightedTardinessMinutes).toBeLessThanOrEqual(first.kpis.totalWeightedTardinessMinutes);
  });

  it('after a breakdown, moves fewer operations than the constructive re-plan and is no later', () => {
    const broken = withDowntime(asPrevious(problem, first), 5);
    const replan = solve(broken, { ...options, maxIterations: 50 });
    const constructive = solve(broken, { ...options, timeLimitMs: 0 });
    expect(replan.kpis.operationsMoved).toBeLessThan(constructive.kpis.operationsMoved);
    expect(replan.kpis.totalWeightedTardinessMinutes).toBeLessThanOrEqual(constructive.kpis.totalWeightedTardinessMinutes);
  });
});
