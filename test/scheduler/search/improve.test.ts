import { describe, expect, it } from 'vitest';
import type { Placement } from '../../../scheduler/dispatch/placement.ts';
import { evaluate, isBetter } from '../../../scheduler/objective.ts';
import { improveSchedule } from '../../../scheduler/search/improve.ts';
import { solve } from '../../../scheduler/solve.ts';
import { jobShop, smallPlant } from './fixtures.ts';
import { prepare, violations } from './harness.ts';

const samePlacement = (a: Placement, b: Placement): boolean =>
  a.resource.every((v, i) => v === b.resource[i]) && a.mode.every((v, i) => v === b.mode[i]) &&
  a.start.every((v, i) => v === b.start[i]) && a.end.every((v, i) => v === b.end[i]);

describe('improveSchedule on job shops (fast path)', () => {
  it('reaches the optimum 55 on ft06 within 20k iterations', () => {
    const result = solve(jobShop('ft06'), { now: '2026-01-05T00:00:00Z', maxIterations: 20_000, seed: 1 });
    expect(result.stats.initialObjective[0]).toBeGreaterThan(55);
    expect(result.kpis.makespanMinutes).toBe(55);
  });

  it('gets la01 within 1% of its optimum 666', () => {
    const result = solve(jobShop('la01'), { now: '2026-01-05T00:00:00Z', maxIterations: 20_000, seed: 3 });
    expect(result.kpis.makespanMinutes).toBeLessThanOrEqual(666 * 1.01);
  });

  it('is deterministic for a seed and an iteration budget, and the seed matters', () => {
    const prepared = prepare(jobShop('ft10'));
    const run = (seed: number): Placement => improveSchedule(prepared.model, prepared.start, { seed, timeLimitMs: 0, maxIterations: 3000 }).placement;
    const a = run(5);
    expect(samePlacement(a, run(5))).toBe(true);
    expect(violations(prepared, a)).toEqual([]);
    expect(samePlacement(a, run(6))).toBe(false);
  });

  it('stops at the clock deadline, reading time only through the injected clock', () => {
    const prepared = prepare(jobShop('ft10'));
    let now = 0;
    let reads = 0;
    // A fake clock that advances 1 ms per read: 50 ms are over after about 50 reads.
    const clock = (): number => {
      reads++;
      return now++;
    };
    const outcome = improveSchedule(prepared.model, prepared.start, { seed: 1, timeLimitMs: 50, clock });
    expect(outcome.iterations).toBeGreaterThan(0);
    expect(reads).toBeLessThan(60);
    expect(outcome.iterations).toBeLessThan(60 * 64 + 1);
  });
});

describe('improveSchedule on plants (general path)', () => {
  const plants = [
    smallPlant({ orders: 14, seed: 1 }),
    smallPlant({ orders: 14, seed: 4, pin: true }),
    smallPlant({ orders: 12, seed: 5, makespan: true, pin: true }),
    smallPlant({ orders: 10, seed: 9, shifts: false }),
  ];

  it.each(plants.map((p) => [p.plant.id, p] as const))('%s: keeps every invariant and is never worse', (_, problem) => {
    const prepared = prepare(problem);
    const before = evaluate(prepared.model, prepared.start.placement);
    const outcome = improveSchedule(prepared.model, prepared.start, { seed: 2, timeLimitMs: 0, maxIterations: 400 });
    expect(violations(prepared, prepared.start.placement)).toEqual([]);
    expect(violations(prepared, outcome.placement)).toEqual([]);
    expect(isBetter(before, evaluate(prepared.model, outcome.placement))).toBe(false);
  });

  it('improves weighted tardiness on a plant where the dispatcher leaves some on the table', () => {
    const prepared = prepare(smallPlant({ orders: 10, seed: 5 }));
    const before = evaluate(prepared.model, prepared.start.placement);
    const after = evaluate(prepared.model, improveSchedule(prepared.model, prepared.start, { seed: 1, timeLimitMs: 0, maxIterations: 300 }).placement);
    expect(before[0]).toBeGreaterThan(0);
    expect(after[0]).toBeLessThan(before[0]!);
  });

  it('keeps pinned work in its slot and explains every start', () => {
    const prepared = prepare(smallPlant({ orders: 12, seed: 4, pin: true }));
    const fixed = prepared.model.operations.findIndex((_, op) => prepared.start.placement.cause[op]?.kind === 'fixed');
    expect(fixed).toBeGreaterThanOrEqual(0);
    const { placement } = improveSchedule(prepared.model, prepared.start, { seed: 3, timeLimitMs: 0, maxIterations: 300 });
    expect(placement.start[fixed]).toBe(prepared.start.placement.start[fixed]);
    expect(placement.cause[fixed]).toEqual({ kind: 'fixed', by: 'pinned' });
    prepared.model.operations.forEach((_, op) => {
      if (placement.resource[op]! < 0) return;
      const cause = placement.cause[op];
      expect(cause).not.toBeNull();
      if (cause?.kind === 'capacity') {
        expect(placement.resource[cause.blocker]).toBe(placement.resource[op]);
        expect(placement.end[cause.blocker]!).toBeLessThanOrEqual(placement.start[op]!);
      }
      if (cause?.kind === 'predecessor') expect(placement.start[op]).toBe(placement.end[cause.op]! + prepared.model.operations[cause.op]!.waitAfter);
    });
  });

  it('is deterministic for a seed and an iteration budget', () => {
    const prepared = prepare(smallPlant({ orders: 12, seed: 1 }));
    const run = (): Placement => improveSchedule(prepared.model, prepared.start, { seed: 9, timeLimitMs: 0, maxIterations: 200 }).placement;
    expect(samePlacement(run(), run())).toBe(true);
  });

  it('returns the start untouched without a budget', () => {
    const prepared = prepare(smallPlant({ orders: 6, seed: 2 }));
    const outcome = improveSchedule(prepared.model, prepared.start, { seed: 1, timeLimitMs: 1000 });
    expect(outcome.placement).toBe(prepared.start.placement);
    expect(outcome.iterations).toBe(0);
  });
});
