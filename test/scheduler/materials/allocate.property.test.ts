import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SupplyModel } from '../../../scheduler/model.ts';
import { allocateMaterials, type AllocationResult, type DemandInput } from '../../../scheduler/materials/allocate.ts';

const items = ['A', 'B'] as const;
const quantity = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 60 }).map((n) => n / 7));

const supplyArb: fc.Arbitrary<SupplyModel> = fc.record({
  id: fc.constant('s'),
  kind: fc.constantFrom('lot' as const, 'receipt' as const, 'order' as const),
  item: fc.constantFrom(...items),
  quantity,
  availableAt: fc.integer({ min: 0, max: 500 }),
  expiresAt: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
  producer: fc.constant(null),
});

const demandArb = fc.record({
  item: fc.constantFrom(...items),
  quantity,
  needBy: fc.integer({ min: 0, max: 400 }),
  earliestStart: fc.integer({ min: 0, max: 300 }),
  weight: fc.constantFrom(0.5, 1, 1, 2, 3, 1.7),
});

const caseArb = fc
  .record({
    supplies: fc.array(supplyArb, { maxLength: 6 }),
    demands: fc.array(demandArb, { maxLength: 6 }),
    forbiddenSeed: fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }),
    maxLpVariables: fc.constantFrom(undefined, undefined, 0, 6),
    maxLpBinaries: fc.constantFrom(undefined, undefined, 2),
  })
  .map(({ supplies, demands, forbiddenSeed, maxLpVariables, maxLpBinaries }) => {
    // Demand ids differ from positions on purpose.
    const inputs: DemandInput[] = demands.map((d, i) => ({ ...d, demand: 10 + 3 * i }));
    const forbidden = new Set<string>();
    inputs.forEach((d, i) => supplies.forEach((_, s) => forbiddenSeed[i * 6 + s] && (i + s) % 3 === 0 && forbidden.add(`${d.demand}:${s}`)));
    return { supplies, demands: inputs, forbidden, maxLpVariables, maxLpBinaries };
  });

function mayUse(d: DemandInput, s: number, supply: SupplyModel, forbidden: ReadonlySet<string>): boolean {
  return (
    supply.item === d.item &&
    !forbidden.has(`${d.demand}:${s}`) &&
    (supply.expiresAt === null || supply.expiresAt > Math.max(d.earliestStart, supply.availableAt))
  );
}

/** Largest served weight any valid allocation reaches, by Hall's condition on every subset. */
function bestServedWeight(supplies: readonly SupplyModel[], demands: readonly DemandInput[], forbidden: ReadonlySet<string>): number {
  const n = demands.length;
  const neighbours = demands.map((d) => supplies.flatMap((s, i) => (mayUse(d, i, s, forbidden) ? [i] : [])));
  const fits = (mask: number) => {
    for (let sub = mask; sub > 0; sub = (sub - 1) & mask) {
      let need = 0;
      const reach = new Set<number>();
      for (let k = 0; k < n; k++) if (sub & (1 << k)) {
        need += demands[k]!.quantity;
        for (const s of neighbours[k]!) reach.add(s);
      }
      let have = 0;
      for (const s of reach) have += supplies[s]!.quantity;
      if (need > have + 1e-9) return false;
    }
    return true;
  };
  let best = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let weight = 0;
    for (let k = 0; k < n; k++) if (mask & (1 << k)) weight += demands[k]!.weight;
    if (weight > best && fits(mask)) best = weight;
  }
  return best;
}

function servedWeight(result: AllocationResult, demands: readonly DemandInput[]): number {
  return demands.filter((d) => result.readyAt.has(d.demand)).reduce((sum, d) => sum + d.weight, 0);
}

describe('allocateMaterials (property)', () => {
  it('returns a valid, complete and deterministic allocation', () => {
    fc.assert(
      fc.property(caseArb, ({ supplies, demands, forbidden, maxLpVariables, maxLpBinaries }) => {
        const options = { forbidden, maxLpVariables, maxLpBinaries };
        const result = allocateMaterials(supplies, demands, options);
        expect(allocateMaterials(supplies, demands, options)).toEqual(result);

        const used = new Map<number, number>();
        for (const a of result.allocations) {
          const d = demands.find((x) => x.demand === a.demand)!;
          expect(a.quantity).toBeGreaterThan(0);
          expect(mayUse(d, a.supply, supplies[a.supply]!, forbidden)).toBe(true);
          used.set(a.supply, (used.get(a.supply) ?? 0) + a.quantity);
        }
        for (const [s, total] of used) expect(total).toBeLessThanOrEqual(supplies[s]!.quantity + 1e-9);

        const short = new Set(result.shortages.map((s) => s.demand));
        for (const d of demands) {
          // Served xor short.
          expect(result.readyAt.has(d.demand)).toBe(!short.has(d.demand));
          const mine = result.allocations.filter((a) => a.demand === d.demand);
          if (short.has(d.demand)) {
            expect(mine).toEqual([]);
            const shortage = result.shortages.find((s) => s.demand === d.demand)!;
            expect(shortage.missing).toBe(d.quantity);
            expect(shortage.earliestCoverAt).toBe(coverAt(supplies, d, forbidden));
          } else {
            expect(Math.abs(mine.reduce((sum, a) => sum + a.quantity, 0) - d.quantity)).toBeLessThan(1e-9);
            expect(result.readyAt.get(d.demand)).toBe(Math.max(...mine.map((a) => supplies[a.supply]!.availableAt)));
          }
        }

        if (maxLpVariables === undefined && maxLpBinaries === undefined) {
          // Small models: the solver always answers, no item falls back.
          expect([...result.methods.values()]).not.toContain('greedy-fallback');
          expect(servedWeight(result, demands)).toBeCloseTo(
            items.reduce((sum, item) => sum + bestServedWeight(supplies, demands.filter((d) => d.item === item), forbidden), 0),
            9,
          );
        }
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });
});

function coverAt(supplies: readonly SupplyModel[], d: DemandInput, forbidden: ReadonlySet<string>): number | null {
  const usable = supplies.flatMap((s, i) => (mayUse(d, i, s, forbidden) ? [s] : [])).sort((a, b) => a.availableAt - b.availableAt);
  let cumulative = 0;
  for (const s of usable) {
    cumulative += s.quantity;
    if (cumulative >= d.quantity - 1e-9) return s.availableAt;
  }
  return null;
}
