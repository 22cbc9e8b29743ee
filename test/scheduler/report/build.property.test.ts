import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solve } from '../../../scheduler/solve.ts';
import { plantArbitrary } from '../engine/support/plant-arbitrary.ts';

describe('buildResult operation order', () => {
  it('lists operations as localeCompare on (start, work center), then unit, would', () => {
    let reportedStarts = 0;
    fc.assert(
      fc.property(plantArbitrary, ({ problem, nowMs }) => {
        const { operations } = solve(problem, { now: nowMs, timeLimitMs: 0 });
        reportedStarts += operations.filter((op) => op.fixedBy === 'started').length;
        const resorted = [...operations].sort((a, b) => a.start.localeCompare(b.start) || a.workCenter.localeCompare(b.workCenter) || a.unit - b.unit);
        expect(operations).toEqual(resorted);
      }),
      { numRuns: 150 },
    );
    // The plants include MES-reported starts, which are compared as strings.
    expect(reportedStarts).toBeGreaterThan(0);
  });
});
