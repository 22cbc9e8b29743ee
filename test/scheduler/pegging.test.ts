import { describe, expect, it } from 'vitest';
import { compileProblem } from '../../scheduler/compile.ts';
import type { MaterialPlan } from '../../scheduler/dispatch/placement.ts';
import { shortestDurations, tailWork } from '../../scheduler/dispatch/urgency.ts';
import { allocateMaterials, type DemandInput } from '../../scheduler/materials/allocate.ts';
import { toIso, type Model } from '../../scheduler/model.ts';
import { MaterialPegger, pegMaterials, type DemandSupplyPair, type Pegging } from '../../scheduler/pegging.ts';
import type { Problem } from '../../scheduler/result.ts';
import { generatePlant } from '../../solver-bench/generator.ts';

/**
 * The pegging as first written: every round re-allocates every item from scratch, until no
 * order falls short any more. The incremental, cached pegger must answer exactly the same.
 */
function pegFromScratch(model: Model, unschedulable: ReadonlySet<number>, forbidden: readonly DemandSupplyPair[]): Pegging {
  const durations = shortestDurations(model);
  const tail = tailWork(model, durations);
  const short = new Map<number, Problem[]>();
  const blocked = new Set(forbidden.map((p) => `${p.demand}:${p.supply}`));
  model.demands.forEach((demand, d) => {
    model.supplies.forEach((supply, s) => {
      if (supply.producer === demand.order) blocked.add(`${d}:${s}`);
    });
  });
  for (;;) {
    const out = (o: number): boolean => unschedulable.has(o) || short.has(o);
    const supplies = model.supplies.map((s) => (s.producer !== null && out(s.producer) ? { ...s, quantity: 0 } : s));
    const demands: DemandInput[] = [];
    model.demands.forEach((demand, d) => {
      if (out(demand.order)) return;
      const order = model.orders[demand.order]!;
      const head = order.operations.slice(0, order.operations.indexOf(demand.operation)).reduce((sum, op) => sum + durations[op]!, 0);
      demands.push({ demand: d, item: demand.item, quantity: demand.quantity, weight: order.weight, needBy: order.due - tail[demand.operation]!, earliestStart: order.release + head });
    });
    const result = allocateMaterials(supplies, demands, { forbidden: blocked });
    const arrival = new Map<number, number>();
    for (const { demand, supply, quantity } of result.allocations) {
      const s = supplies[supply]!;
      if (quantity > 0 && s.producer === null) arrival.set(demand, Math.max(arrival.get(demand) ?? 0, s.availableAt));
    }
    const beyond = [...arrival].filter(([, at]) => at >= model.horizon).map(([demand, at]) => ({ demand, missing: model.demands[demand]!.quantity, earliestCoverAt: at }));
    const shortages = [...result.shortages, ...beyond];
    if (shortages.length === 0) {
      const plan: MaterialPlan = {
        readyAt: model.demands.map(() => 0), readySource: model.demands.map(() => null),
        producers: model.demands.map(() => []), sources: model.demands.map(() => []), quantities: model.demands.map(() => []),
      };
      for (const { demand, supply, quantity } of result.allocations) {
        if (quantity <= 0) continue;
        (plan.sources[demand] as number[]).push(supply);
        (plan.quantities[demand] as number[]).push(quantity);
        const s = supplies[supply]!;
        if (s.producer !== null) {
          if (!plan.producers[demand]!.includes(s.producer)) (plan.producers[demand] as number[]).push(s.producer);
        } else if (s.availableAt >= plan.readyAt[demand]!) {
          (plan.readyAt as number[])[demand] = s.availableAt;
          (plan.readySource as (string | null)[])[demand] = s.id;
        }
      }
      return { plan, short };
    }
    for (const shortage of shortages) {
      const demand = model.demands[shortage.demand]!;
      const list = short.get(demand.order) ?? [];
      list.push({
        type: 'shortage', workOrder: model.orders[demand.order]!.id, operation: model.operations[demand.operation]!.id,
        item: demand.item, missingQuantity: shortage.missing,
        earliestCoverAt: shortage.earliestCoverAt === null ? null : toIso(model, shortage.earliestCoverAt),
      });
      short.set(demand.order, list);
    }
  }
}

function generatedModel(targetOperations: number, seed: number): { model: Model; unschedulable: Set<number> } {
  const problem = generatePlant({ targetOperations, seed });
  const compiled = compileProblem(problem, Date.parse(problem.now!));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  const { model } = compiled.compiled;
  const unschedulable = new Set(model.orders.flatMap((order, o) => (order.heldBy.length > 0 || order.completed ? [o] : [])));
  return { model, unschedulable };
}

/** Some pegged lot and receipt pairs of the first answer, to rule out as an expiry would. */
function somePeggedPairs(model: Model, pegging: Pegging, every: number): DemandSupplyPair[] {
  const pairs: DemandSupplyPair[] = [];
  pegging.plan.sources.forEach((sources, demand) => {
    for (const supply of sources) if (model.supplies[supply]!.producer === null && (demand + supply) % every === 0) pairs.push({ demand, supply });
  });
  return pairs;
}

describe('MaterialPegger', () => {
  for (const seed of [1, 2, 3]) {
    it(`answers like re-allocating every item every round (generated plant, seed ${seed})`, () => {
      const { model, unschedulable } = generatedModel(600, seed);
      const pegger = new MaterialPegger(model, unschedulable);
      const first = pegger.peg([]);
      const reference = pegFromScratch(model, unschedulable, []);
      expect(first.plan).toEqual(reference.plan);
      expect([...first.short]).toEqual([...reference.short]);
      expect(first.short.size).toBeGreaterThan(0);

      // Later calls on the same pegger (as after a lot expiry) reuse cached items: still exact.
      const forbidden = somePeggedPairs(model, first, 3);
      expect(forbidden.length).toBeGreaterThan(0);
      for (const pairs of [forbidden.slice(0, 1), forbidden, []]) {
        const again = pegger.peg(pairs);
        const fresh = pegFromScratch(model, unschedulable, pairs);
        expect(again.plan).toEqual(fresh.plan);
        expect([...again.short]).toEqual([...fresh.short]);
      }
    });
  }

  it('forbids a pair so that the demand draws on other supply or falls short', () => {
    const { model, unschedulable } = generatedModel(600, 1);
    const pegger = new MaterialPegger(model, unschedulable);
    const [pair] = somePeggedPairs(model, pegger.peg([]), 1);
    const after = pegger.peg([pair!]);
    expect(after.plan.sources[pair!.demand]).not.toContain(pair!.supply);
  });

  it('keeps pegMaterials (string pairs) equal to the pegger', () => {
    const { model, unschedulable } = generatedModel(300, 2);
    const pegger = new MaterialPegger(model, unschedulable);
    const pairs = somePeggedPairs(model, pegger.peg([]), 2).slice(0, 3);
    const viaStrings = pegMaterials(model, unschedulable, new Set(pairs.map((p) => `${p.demand}:${p.supply}`)));
    const viaPegger = pegger.peg(pairs);
    expect(viaStrings.plan).toEqual(viaPegger.plan);
    expect([...viaStrings.short]).toEqual([...viaPegger.short]);
  });
});
