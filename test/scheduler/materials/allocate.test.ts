import { describe, expect, it } from 'vitest';
import { allocateMaterials } from '../../../scheduler/materials/allocate.ts';
import { demand, lot, output, receipt } from './fixtures.ts';

describe('allocateMaterials: competition for scarce supply', () => {
  it('gives the only lot to the heavier order; the other is short in full', () => {
    const result = allocateMaterials([lot('L1', 10)], [demand(0, 6, 100, 1), demand(1, 6, 200, 3)]);
    expect(result.allocations).toEqual([{ demand: 1, supply: 0, quantity: 6 }]);
    expect(result.readyAt).toEqual(new Map([[1, 0]]));
    expect(result.shortages).toEqual([{ demand: 0, missing: 6, earliestCoverAt: 0 }]);
    expect(result.methods.get('X')).toBe('mip');
  });

  it('at equal weight, serves the order needed first', () => {
    const result = allocateMaterials([lot('L1', 10)], [demand(0, 6, 100), demand(1, 6, 50)]);
    expect(result.allocations).toEqual([{ demand: 1, supply: 0, quantity: 6 }]);
    expect(result.shortages.map((s) => s.demand)).toEqual([0]);
  });

  it('reports the earliest time the cumulative supply could cover a short demand', () => {
    const supplies = [lot('L1', 4), receipt('R1', 4, 300)];
    const result = allocateMaterials(supplies, [demand(0, 6, 100, 1), demand(1, 6, 100, 3)]);
    expect(result.readyAt).toEqual(new Map([[1, 300]]));
    expect(result.shortages).toEqual([{ demand: 0, missing: 6, earliestCoverAt: 300 }]);

    const lotOnly = allocateMaterials([lot('L1', 4)], [demand(0, 6, 100)]);
    expect(lotOnly.shortages).toEqual([{ demand: 0, missing: 6, earliestCoverAt: null }]);
  });

  it('a later receipt serves both; the lighter order waits for it', () => {
    const supplies = [lot('L1', 10), receipt('R1', 6, 500)];
    const result = allocateMaterials(supplies, [demand(0, 6, 100, 1), demand(1, 6, 100, 3)]);
    expect(result.shortages).toEqual([]);
    expect(result.readyAt).toEqual(new Map([[0, 500], [1, 0]]));
    expect(result.allocations.filter((a) => a.demand === 1)).toEqual([{ demand: 1, supply: 0, quantity: 6 }]);
    expect(sum(result.allocations.filter((a) => a.demand === 0).map((a) => a.quantity))).toBeCloseTo(6, 9);
  });

  it('minimises weighted lateness: the heavier late order gets the earlier receipt', () => {
    const supplies = [receipt('R-late', 5, 900), receipt('R-early', 5, 300)];
    const result = allocateMaterials(supplies, [demand(0, 5, 100, 1), demand(1, 5, 100, 4)]);
    expect(result.allocations).toEqual([
      { demand: 0, supply: 0, quantity: 5 },
      { demand: 1, supply: 1, quantity: 5 },
    ]);
    expect(result.methods.get('X')).toBe('mip');
  });

  it('prefers one heavy demand over two light ones whose weight sums lower', () => {
    const result = allocateMaterials([lot('L1', 10)], [demand(0, 5, 10, 1), demand(1, 5, 10, 1), demand(2, 10, 10, 3)]);
    expect(result.allocations).toEqual([{ demand: 2, supply: 0, quantity: 10 }]);
    expect(result.shortages.map((s) => s.demand)).toEqual([0, 1]);
  });

  it('never splits supply into partial service: a demand gets all or nothing', () => {
    const result = allocateMaterials([lot('L1', 7)], [demand(0, 5, 10), demand(1, 5, 20)]);
    expect(result.allocations).toEqual([{ demand: 0, supply: 0, quantity: 5 }]);
    expect(result.shortages).toEqual([{ demand: 1, missing: 5, earliestCoverAt: 0 }]);
  });
});

describe('allocateMaterials: what counts as supply', () => {
  it('does not use a lot that expires at or before the demand can start', () => {
    const supplies = [lot('L-expiring', 10, 0, 60), receipt('R1', 10, 200)];
    const result = allocateMaterials(supplies, [demand(0, 5, 500, 1, 60)]);
    expect(result.allocations).toEqual([{ demand: 0, supply: 1, quantity: 5 }]);
    expect(result.readyAt.get(0)).toBe(200);

    const usable = allocateMaterials(supplies, [demand(0, 5, 500, 1, 59)]);
    expect(usable.allocations).toEqual([{ demand: 0, supply: 0, quantity: 5 }]);

    const onlyExpired = allocateMaterials([lot('L-expiring', 10, 0, 60)], [demand(0, 5, 500, 1, 60)]);
    expect(onlyExpired.shortages).toEqual([{ demand: 0, missing: 5, earliestCoverAt: null }]);
  });

  it('allocates the output of another order like any supply, and respects forbidden pairs', () => {
    const supplies = [output('WO-7', 8, 240, 7)];
    const result = allocateMaterials(supplies, [demand(0, 8, 300)]);
    expect(result.allocations).toEqual([{ demand: 0, supply: 0, quantity: 8 }]);
    expect(result.readyAt.get(0)).toBe(240);

    // Contended: the heavier demand gets the lot, the lighter one waits for the order's output.
    const contended = allocateMaterials([lot('L1', 5), output('WO-7', 5, 100, 7)], [demand(0, 5, 50, 1), demand(1, 5, 60, 3)]);
    expect(contended.methods.get('X')).toBe('mip');
    expect(contended.allocations).toEqual([
      { demand: 0, supply: 1, quantity: 5 },
      { demand: 1, supply: 0, quantity: 5 },
    ]);
    expect(contended.readyAt).toEqual(new Map([[0, 100], [1, 0]]));

    const ownOutput = allocateMaterials(supplies, [demand(0, 8, 300)], { forbidden: new Set(['0:0']) });
    expect(ownOutput.allocations).toEqual([]);
    expect(ownOutput.shortages).toEqual([{ demand: 0, missing: 8, earliestCoverAt: null }]);
  });

  it('keeps items apart', () => {
    const supplies = [lot('A1', 5, 0, null, 'A'), lot('B1', 5, 0, null, 'B')];
    const result = allocateMaterials(supplies, [demand(0, 5, 10, 1, 0, 'B'), demand(1, 5, 10, 1, 0, 'A')]);
    expect(result.allocations).toEqual([
      { demand: 0, supply: 1, quantity: 5 },
      { demand: 1, supply: 0, quantity: 5 },
    ]);
  });

  it('handles fractional quantities', () => {
    // 0.55 wanted from 0.5: the heavy 0.25 and one of the light ones fit; at equal weight and
    // need, the lower index wins. The heavy one is needed by 5, before L2 arrives: it takes L1.
    const supplies = [lot('L1', 0.3), lot('L2', 0.2, 10)];
    const result = allocateMaterials(supplies, [demand(0, 0.1, 100), demand(1, 0.2, 100), demand(2, 0.25, 5, 3)]);
    expect(result.shortages).toEqual([{ demand: 1, missing: 0.2, earliestCoverAt: 0 }]);
    expect(result.allocations.filter((a) => a.demand === 2)).toEqual([{ demand: 2, supply: 0, quantity: 0.25 }]);
    expect(result.readyAt.get(2)).toBe(0);
    expect(Math.abs(sum(result.allocations.filter((a) => a.demand === 0).map((a) => a.quantity)) - 0.1)).toBeLessThan(1e-9);
  });
});

describe('allocateMaterials: uncontended items and the greedy fallback', () => {
  it('uncontended: earliest need gets earliest supply, without the solver', () => {
    const supplies = [receipt('R-late', 5, 50), lot('L-early', 5, 0)];
    const result = allocateMaterials(supplies, [demand(0, 5, 100), demand(1, 5, 60)]);
    expect(result.methods.get('X')).toBe('uncontended');
    expect(result.allocations).toEqual([
      { demand: 0, supply: 0, quantity: 5 },
      { demand: 1, supply: 1, quantity: 5 },
    ]);
  });

  it('greedy fallback (maxLpVariables 0): valid; need order unless weight order serves more weight', () => {
    const supplies = [lot('L1', 10)];
    const equal = allocateMaterials(supplies, [demand(0, 6, 100), demand(1, 6, 50)], { maxLpVariables: 0 });
    expect(equal.methods.get('X')).toBe('greedy-fallback');
    expect(equal.allocations).toEqual([{ demand: 1, supply: 0, quantity: 6 }]);
    expect(equal.shortages).toEqual([{ demand: 0, missing: 6, earliestCoverAt: 0 }]);

    const heavyLater = allocateMaterials(supplies, [demand(0, 6, 50, 1), demand(1, 6, 100, 5)], { maxLpVariables: 0 });
    expect(heavyLater.allocations).toEqual([{ demand: 1, supply: 0, quantity: 6 }]);
  });

  it('greedy fallback can serve less weight than the MIP', () => {
    // Need order and weight order both end with 0 + 1 (weight 3); 2 + 3 weigh 3.2.
    const supplies = [lot('L1', 10)];
    const demands = [demand(0, 4, 10, 1), demand(1, 6, 20, 2), demand(2, 5, 30, 1.6), demand(3, 5, 40, 1.6)];
    const fallback = allocateMaterials(supplies, demands, { maxLpBinaries: 3 });
    expect(fallback.methods.get('X')).toBe('greedy-fallback');
    expect([...fallback.readyAt.keys()]).toEqual([0, 1]);
    const optimal = allocateMaterials(supplies, demands);
    expect(optimal.methods.get('X')).toBe('mip');
    expect([...optimal.readyAt.keys()]).toEqual([2, 3]);
  });

  it('greedy fallback takes the earliest sources that cover a demand in full', () => {
    const supplies = [receipt('R2', 4, 200), lot('L1', 3, 0), receipt('R1', 4, 100)];
    const result = allocateMaterials(supplies, [demand(0, 6, 10), demand(1, 6, 10)], { maxLpVariables: 0 });
    expect(result.allocations).toEqual([
      { demand: 0, supply: 1, quantity: 3 },
      { demand: 0, supply: 2, quantity: 3 },
    ]);
    expect(result.readyAt).toEqual(new Map([[0, 100]]));
    expect(result.shortages).toEqual([{ demand: 1, missing: 6, earliestCoverAt: 100 }]);
  });

  it('is deterministic', () => {
    const supplies = [lot('L1', 5), lot('L2', 5), receipt('R1', 5, 100)];
    const demands = [demand(3, 5, 50), demand(1, 5, 50), demand(2, 5, 50), demand(0, 5, 50)];
    const first = allocateMaterials(supplies, demands);
    expect(allocateMaterials(supplies, demands)).toEqual(first);
    // Equal needBy and weight: lower demand index first, on the earlier lots.
    expect(first.shortages.map((s) => s.demand)).toEqual([3]);
    expect(first.readyAt).toEqual(new Map([[0, 0], [1, 0], [2, 100]]));
  });
});

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
