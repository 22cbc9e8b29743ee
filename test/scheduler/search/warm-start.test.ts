import { describe, expect, it } from 'vitest';
import { withPrevious } from '../../../scheduler/previous.ts';
import { solve } from '../../../scheduler/solve.ts';
import { generatePlant, withDowntime } from '../../../solver-bench/generator.ts';

describe('re-plans start from the previous schedule', () => {
  const problem = generatePlant({ targetOperations: 400, seed: 11 });
  const options = { now: problem.now!, seed: 1 };
  const first = solve(problem, { ...options, maxIterations: 400 });

  it('keeps the previous plan when nothing changed: nothing moves, nothing gets worse', () => {
    const again = solve(withPrevious(problem, first.operations), { ...options, maxIterations: 1 });
    expect(again.kpis.operationsMoved).toBe(0);
    expect(again.kpis.totalWeightedTardinessMinutes).toBeLessThanOrEqual(first.kpis.totalWeightedTardinessMinutes);
  });

  it('after a breakdown, moves fewer operations than the constructive re-plan and is no later', () => {
    const broken = withDowntime(withPrevious(problem, first.operations), 5);
    const replan = solve(broken, { ...options, maxIterations: 50 });
    const constructive = solve(broken, { ...options, timeLimitMs: 0 });
    expect(replan.kpis.operationsMoved).toBeLessThan(constructive.kpis.operationsMoved);
    expect(replan.kpis.totalWeightedTardinessMinutes).toBeLessThanOrEqual(constructive.kpis.totalWeightedTardinessMinutes);
  });
});
