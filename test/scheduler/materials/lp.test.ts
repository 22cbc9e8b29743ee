import { describe, expect, it } from 'vitest';
import { solveLinearProgram } from '../../../scheduler/materials/lp.ts';

describe('solveLinearProgram', () => {
  it('solves a small MIP (binary knapsack)', () => {
    const answer = solveLinearProgram({
      objective: 'value',
      direction: 'max',
      constraints: { capacity: { max: 10 } },
      variables: { a: { capacity: 6, value: 5 }, b: { capacity: 5, value: 4 }, c: { capacity: 5, value: 4 } },
      binaries: ['a', 'b', 'c'],
    });
    expect(answer).toEqual({ feasible: true, result: 8, variables: new Map([['b', 1], ['c', 1]]) });
  });

  it('reports an infeasible model as data', () => {
    const answer = solveLinearProgram({
      objective: 'cost',
      direction: 'min',
      constraints: { low: { min: 5 }, high: { max: 3 } },
      variables: { x: { low: 1, high: 1, cost: 1 } },
    });
    expect(answer.feasible).toBe(false);
  });
});
