import { describe, expect, it } from 'vitest';
import { generatePlant } from '../../../solver-bench/generator.ts';
import { solve } from '../../../scheduler/solve.ts';
import { SearchBudget } from '../../../scheduler/search/budget.ts';

/** A clock that moves `step` ms on each reading: how long work takes is how often it asks. */
function steppingClock(step: number): { readonly clock: () => number; readonly now: () => number } {
  let t = 0;
  return { clock: () => (t += step), now: () => t };
}

describe('search budget', () => {
  it('reads the clock every iteration when iterations are slow, and stops at the deadline', () => {
    let t = 0;
    const budget = new SearchBudget({ timeLimitMs: 100, clock: () => t });
    let iterations = 0;
    while (!budget.exhausted(iterations)) {
      iterations++;
      t += 7; // each iteration takes 7 ms
    }
    expect(t).toBeGreaterThanOrEqual(100);
    expect(t).toBeLessThan(100 + 7 + 1);
  });

  it('batches clock readings when iterations take microseconds', () => {
    let reads = 0;
    let t = 0;
    const budget = new SearchBudget({ timeLimitMs: 10, clock: () => { reads++; return t; } });
    let iterations = 0;
    while (!budget.exhausted(iterations)) {
      iterations++;
      t += 0.001;
    }
    expect(iterations).toBeGreaterThanOrEqual(10_000);
    expect(reads).toBeLessThan(iterations / 20);
  });

  it('stops at a given deadline, and before a step that would cross it', () => {
    let t = 50;
    const budget = new SearchBudget({ timeLimitMs: 1_000, deadlineAt: 80, clock: () => t });
    expect(budget.outOfTime(20)).toBe(false);
    t = 65;
    expect(budget.outOfTime(20)).toBe(true);
    expect(budget.exhausted(1)).toBe(true);
  });

  it('keeps the whole solve within its limit by the clock it is given, at plant scale', () => {
    const problem = generatePlant({ targetOperations: 1_000, seed: 3 });
    for (const limit of [50, 400]) {
      const time = steppingClock(0.25);
      const result = solve(problem, { now: problem.now!, seed: 1, timeLimitMs: limit, clock: time.clock });
      expect(result.stats.iterations).toBeGreaterThan(0);
      // The last reading is the end of the search; the result after it reads no clock.
      expect(time.now()).toBeLessThanOrEqual(limit + 1);
    }
  });
});
