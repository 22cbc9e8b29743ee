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

  it('stops at timeoutMs with the best integer solution found so far', () => {
    // Even weights, odd capacity: the relaxation is never integral and the branch and bound
    // takes tens of seconds to prove the optimum; the timeout cuts it short.
    const variables: Record<string, Record<string, number>> = {};
    const binaries: string[] = [];
    let total = 0;
    for (let i = 0; i < 20; i++) {
      const weight = 2 * (1000 + ((i * 7919) % 997));
      total += weight;
      variables[`x${i}`] = { capacity: weight, value: weight };
      binaries.push(`x${i}`);
    }
    const capacity = Math.floor(total / 2) + 1;
    const started = performance.now();
    const answer = solveLinearProgram(
      { objective: 'value', direction: 'max', constraints: { capacity: { max: capacity } }, variables, binaries },
      { timeoutMs: 50 },
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    if (!answer.feasible) {
      expect(answer.reason).toBe('timeout');
      return;
    }
    let used = 0;
    for (const [name, value] of answer.variables) {
      expect(value === 0 || value === 1).toBe(true);
      used += value * variables[name]!.capacity!;
    }
    expect(used).toBeLessThanOrEqual(capacity);
    expect(answer.result).toBe(used);
  });

  it('gives the same answer with a generous timeout as without one', () => {
    const program = {
      objective: 'value',
      direction: 'max' as const,
      constraints: { capacity: { max: 10 } },
      variables: { a: { capacity: 6, value: 5 }, b: { capacity: 5, value: 4 }, c: { capacity: 5, value: 4 } },
      binaries: ['a', 'b', 'c'],
    };
    expect(solveLinearProgram(program, { timeoutMs: 60_000 })).toEqual(solveLinearProgram(program));
  });
});
