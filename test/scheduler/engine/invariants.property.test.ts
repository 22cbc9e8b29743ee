import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solve } from '../../../scheduler/solve.ts';
import type { SolveOptions } from '../../../scheduler/result.ts';
import { checkInvariants } from './support/invariants.ts';
import { plantArbitrary } from './support/plant-arbitrary.ts';

const RUNS = 150;
// Shrinking a failure of these generated plants can take minutes; TAKT_SHRINK=1 asks for it.
const shrink = process.env.TAKT_SHRINK === '1';

describe('solve on random plants', () => {
  const budgets: readonly [string, Omit<SolveOptions, 'now'>][] = [
    ['constructive only (timeLimitMs 0)', { timeLimitMs: 0 }],
    ['with a small improvement budget', { seed: 7, maxIterations: 50 }],
  ];
  for (const [name, options] of budgets) {
    it(`keeps every invariant: ${name}`, () => {
      fc.assert(
        fc.property(plantArbitrary, ({ problem, nowMs }) => {
          const result = solve(problem, { ...options, now: nowMs });
          expect(result.status).not.toBe('invalid');
          expect(checkInvariants(problem, result, nowMs)).toEqual([]);
        }),
        { numRuns: RUNS, endOnFailure: !shrink },
      );
    });
  }

  it('is deterministic for an input and a seed', () => {
    fc.assert(
      fc.property(plantArbitrary, fc.integer({ min: 1, max: 1000 }), ({ problem, nowMs }, seed) => {
        const options = { now: nowMs, seed, maxIterations: 30 };
        expect(solve(structuredClone(problem), options)).toEqual(solve(problem, options));
      }),
      { numRuns: 50, endOnFailure: !shrink },
    );
  });
});
