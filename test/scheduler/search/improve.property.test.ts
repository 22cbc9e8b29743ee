import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, isBetter } from '../../../scheduler/objective.ts';
import { improveSchedule } from '../../../scheduler/search/improve.ts';
import { solve } from '../../../scheduler/solve.ts';
import { smallPlant } from './fixtures.ts';
import { prepare, violations } from './harness.ts';

const shapes = fc.record({
  orders: fc.integer({ min: 2, max: 9 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  makespan: fc.boolean(),
  shifts: fc.boolean(),
  pin: fc.boolean(),
});

describe('improveSchedule (properties over small random plants)', () => {
  it('keeps every invariant and is never worse than the constructive schedule', () => {
    fc.assert(fc.property(shapes, fc.integer({ min: 1, max: 1000 }), (shape, seed) => {
      const prepared = prepare(smallPlant(shape));
      const outcome = improveSchedule(prepared.model, prepared.start, { seed, timeLimitMs: 0, maxIterations: 60 });
      expect(violations(prepared, outcome.placement)).toEqual([]);
      expect(isBetter(evaluate(prepared.model, prepared.start.placement), evaluate(prepared.model, outcome.placement))).toBe(false);
    }), { numRuns: 60 });
  });

  it('through solve(): the final objective never loses to the initial one', () => {
    fc.assert(fc.property(shapes, (shape) => {
      const problem = smallPlant(shape);
      const result = solve(problem, { now: problem.now!, maxIterations: 40, seed: shape.seed });
      expect(isBetter(result.stats.initialObjective, result.stats.finalObjective)).toBe(false);
    }), { numRuns: 25 });
  });
});
