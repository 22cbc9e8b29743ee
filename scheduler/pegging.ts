/**
 * Material pegging for one solve: every demand is tied to the lots, receipts or order outputs
 * that cover it (allocated by priority and due date), which the dispatcher turns into start
 * constraints. Orders that cannot be covered are short; their own output then disappears from
 * supply, so the allocation repeats until nothing more falls away.
 */
import type { MaterialPlan } from './dispatch/placement.ts';
import { shortestDurations, tailWork } from './dispatch/urgency.ts';
import { allocateMaterials, type Allocation, type DemandInput, type Shortage } from './materials/allocate.ts';
import type { Model } from './model.ts';
import { toIso } from './model.ts';
import type { Problem } from './result.ts';

export interface Pegging {
  readonly plan: MaterialPlan;
  /** Order index → its shortage problems. */
  readonly short: ReadonlyMap<number, readonly Problem[]>;
}

export function pegMaterials(model: Model, unschedulable: ReadonlySet<number>, forbidden: ReadonlySet<string>): Pegging {
  const durations = shortestDurations(model);
  const tail = tailWork(model, durations);
  const short = new Map<number, Problem[]>();
  const ownOutput = new Set<string>();
  const outputOf = new Map<number, number>();
  model.supplies.forEach((supply, s) => {
    if (supply.producer !== null) outputOf.set(supply.producer, s);
  });
  model.demands.forEach((demand, d) => {
    const own = outputOf.get(demand.order);
    if (own !== undefined) ownOutput.add(`${d}:${own}`);
  });
  const blocked = new Set<string>([...forbidden, ...ownOutput]);

  for (;;) {
    const out = (o: number): boolean => unschedulable.has(o) || short.has(o);
    const supplies = model.supplies.map((s) => (s.producer !== null && out(s.producer) ? { ...s, quantity: 0 } : s));
    const demands: DemandInput[] = [];
    model.demands.forEach((demand, d) => {
      if (out(demand.order)) return;
      const order = model.orders[demand.order]!;
      const headWork = order.operations.slice(0, order.operations.indexOf(demand.operation)).reduce((sum, op) => sum + durations[op]!, 0);
      demands.push({
        demand: d, item: demand.item, quantity: demand.quantity, weight: order.weight,
        needBy: order.due - tail[demand.operation]!,
        earliestStart: order.release + headWork,
      });
    });
    const result = allocateMaterials(supplies, demands, { forbidden: blocked });
    const shortages = [...result.shortages, ...beyondHorizon(model, result.allocations, supplies)];
    if (shortages.length === 0 || shortages.every((s) => short.has(model.demands[s.demand]!.order))) {
      return { plan: toPlan(model, result.allocations, supplies), short };
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

/**
 * Demands served by a lot or receipt that arrives at or after the horizon's end cannot be
 * scheduled: they are shortages, covered at the earliest when that supply arrives.
 */
function beyondHorizon(model: Model, allocations: readonly Allocation[], supplies: Model['supplies']): Shortage[] {
  const arrival = new Map<number, number>();
  for (const { demand, supply, quantity } of allocations) {
    const s = supplies[supply]!;
    if (quantity > 0 && s.producer === null) arrival.set(demand, Math.max(arrival.get(demand) ?? 0, s.availableAt));
  }
  return [...arrival]
    .filter(([, at]) => at >= model.horizon)
    .map(([demand, at]) => ({ demand, missing: model.demands[demand]!.quantity, earliestCoverAt: at }));
}

function toPlan(model: Model, allocations: readonly { demand: number; supply: number; quantity: number }[], supplies: Model['supplies']): MaterialPlan {
  const readyAt = model.demands.map(() => 0);
  const readySource: (string | null)[] = model.demands.map(() => null);
  const producers: number[][] = model.demands.map(() => []);
  const sources: number[][] = model.demands.map(() => []);
  for (const { demand, supply, quantity } of allocations) {
    if (quantity <= 0) continue;
    sources[demand]!.push(supply);
    const s = supplies[supply]!;
    if (s.producer !== null) {
      if (!producers[demand]!.includes(s.producer)) producers[demand]!.push(s.producer);
    } else if (s.availableAt >= readyAt[demand]!) {
      readyAt[demand] = s.availableAt;
      readySource[demand] = s.id;
    }
  }
  return { readyAt, readySource, producers, sources };
}
