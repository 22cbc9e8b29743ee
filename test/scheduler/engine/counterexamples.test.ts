/**
 * Plants a property suite once failed on, kept as they were generated (fixtures/seed-*.json, named
 * by the fast-check seed that found them): each must keep every invariant from now on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PlantProblem } from '../../../scheduler/problem.ts';
import { solve } from '../../../scheduler/solve.ts';
import { checkInvariants } from './support/invariants.ts';

const fixture = (name: string): { problem: PlantProblem; nowMs: number } =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('counterexamples found by the property suites', () => {
  it('seed 1498496922: a pinned operation whose material comes from orders that cannot be scheduled is reported short', () => {
    const { problem, nowMs } = fixture('seed-1498496922.json');
    for (const options of [{ timeLimitMs: 0 }, { seed: 7, maxIterations: 50 }]) {
      const result = solve(problem, { ...options, now: nowMs });
      expect(checkInvariants(problem, result, nowMs)).toEqual([]);
      // WO0/20 is pinned and takes 28 C1, made only by WO2 and WO5, which do not fit in the horizon.
      expect(result.problems).toContainEqual({ type: 'shortage', workOrder: 'WO0', operation: '20', item: 'C1', missingQuantity: 28, earliestCoverAt: null });
      expect(result.problems).toContainEqual(expect.objectContaining({ type: 'pin-conflict', workOrder: 'WO0', operation: '20' }));
    }
  });
});
