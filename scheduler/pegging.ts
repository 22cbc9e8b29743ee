/**
 * Material pegging for one solve: every demand is tied to the lots, receipts or order outputs
 * that cover it (allocated by priority and due date), which the dispatcher turns into start
 * constraints. Orders that cannot be covered are short; their own output then disappears from
 * supply, so the allocation repeats until nothing more falls away.
 *
 * Items never share supply, so each item is allocated alone, and only again when its input
 * changes: a round re-allocates just the items that a newly short order demanded or produced.
 * A `MaterialPegger` also keeps each item's answers across calls (keyed by everything the
 * answer depends on), so a call with forbidden demand–supply pairs redoes only the items the
 * newly forbidden pairs touch. The answer is the same as re-allocating everything every round.
 */
import type { MaterialPlan } from './dispatch/placement.ts';
import { shortestDurations, tailWork } from './dispatch/urgency.ts';
import { allocateItemProblem, mipLimits, type DemandInput, type ItemOutcome, type Shortage } from './materials/allocate.ts';
import { buildItemProblem, TOLERANCE, type ForbiddenPair } from './materials/item-problem.ts';
import type { MipLimits } from './materials/mip.ts';
import type { Model } from './model.ts';
import { toIso } from './model.ts';
import type { Problem } from './result.ts';

export interface Pegging {
  readonly plan: MaterialPlan;
  /** Order index → its shortage problems. */
  readonly short: ReadonlyMap<number, readonly Problem[]>;
}

/** A demand and the supply it may not use, as numbers (the solve's lot-expiry findings). */
export interface DemandSupplyPair {
  readonly demand: number;
  readonly supply: number;
}

export function pegMaterials(model: Model, unschedulable: ReadonlySet<number>, forbidden: ReadonlySet<string>): Pegging {
  const pairs = [...forbidden].map((key) => {
    const [demand, supply] = key.split(':').map(Number);
    return { demand: demand!, supply: supply! };
  });
  return new MaterialPegger(model, unschedulable).peg(pairs);
}

interface ItemInput {
  readonly item: string;
  /** Model demand indexes, ascending. */
  readonly demands: readonly number[];
  /** Model supply indexes with quantity, ascending. */
  readonly supplies: readonly number[];
}

/** One item's answer with the demands it must report beyond the horizon. */
interface ItemAnswer {
  readonly outcome: ItemOutcome;
  readonly beyondHorizon: readonly Shortage[];
}

export class MaterialPegger {
  private readonly inputs: DemandInput[];
  private readonly items: readonly ItemInput[];
  private readonly itemsOfOrder: readonly (readonly number[])[];
  private readonly limits: MipLimits = mipLimits({});
  /** Per item: signature of its input → answer. */
  private readonly cache: Map<string, ItemAnswer>[];

  constructor(
    private readonly model: Model,
    private readonly unschedulable: ReadonlySet<number>,
  ) {
    const durations = shortestDurations(model);
    const tail = tailWork(model, durations);
    const headWork = new Float64Array(model.operations.length);
    for (const order of model.orders) {
      let sum = 0;
      for (const op of order.operations) {
        headWork[op] = sum;
        sum += durations[op]!;
      }
    }
    this.inputs = model.demands.map((demand, d): DemandInput => {
      const order = model.orders[demand.order]!;
      return {
        demand: d, item: demand.item, quantity: demand.quantity, weight: order.weight,
        needBy: order.due - tail[demand.operation]!,
        earliestStart: order.release + headWork[demand.operation]!,
      };
    });

    const indexOf = new Map<string, number>();
    const items: { item: string; demands: number[]; supplies: number[] }[] = [];
    const entry = (item: string): { item: string; demands: number[]; supplies: number[] } => {
      let i = indexOf.get(item);
      if (i === undefined) {
        i = items.length;
        indexOf.set(item, i);
        items.push({ item, demands: [], supplies: [] });
      }
      return items[i]!;
    };
    model.demands.forEach((demand, d) => entry(demand.item).demands.push(d));
    model.supplies.forEach((supply, s) => {
      if (supply.quantity > TOLERANCE && indexOf.has(supply.item)) entry(supply.item).supplies.push(s);
    });
    this.items = items;
    const itemsOfOrder: number[][] = model.orders.map(() => []);
    const touch = (order: number, item: number): void => {
      const list = itemsOfOrder[order]!;
      if (!list.includes(item)) list.push(item);
    };
    model.demands.forEach((demand) => touch(demand.order, indexOf.get(demand.item)!));
    model.supplies.forEach((supply) => {
      const item = indexOf.get(supply.item);
      if (supply.producer !== null && item !== undefined) touch(supply.producer, item);
    });
    this.itemsOfOrder = itemsOfOrder;
    this.cache = items.map(() => new Map());
  }

  /** Pegs material with the given demand–supply pairs ruled out. */
  peg(forbidden: readonly DemandSupplyPair[]): Pegging {
    const { model, items } = this;
    const forbiddenOf = new Map<number, number[]>();
    for (const { demand, supply } of forbidden) {
      const list = forbiddenOf.get(demand);
      if (list) {
        if (!list.includes(supply)) list.push(supply);
      } else forbiddenOf.set(demand, [supply]);
    }
    for (const list of forbiddenOf.values()) list.sort((a, b) => a - b);

    const short = new Map<number, Problem[]>();
    const out = (o: number): boolean => this.unschedulable.has(o) || short.has(o);
    const answers: (ItemAnswer | null)[] = items.map(() => null);
    let dirty: number[] = items.map((_, i) => i);
    for (;;) {
      const shortages: Shortage[] = [];
      const beyond: Shortage[] = [];
      for (const i of dirty) {
        const answer = this.answer(i, out, forbiddenOf);
        answers[i] = answer;
        if (answer === null) continue;
        shortages.push(...answer.outcome.shortages);
        beyond.push(...answer.beyondHorizon);
      }
      if (shortages.length === 0 && beyond.length === 0) break;
      shortages.sort((a, b) => a.demand - b.demand);
      beyond.sort((a, b) => a.demand - b.demand);
      const touched = new Set<number>();
      for (const shortage of [...shortages, ...beyond]) {
        const demand = model.demands[shortage.demand]!;
        const list = short.get(demand.order) ?? [];
        list.push({
          type: 'shortage', workOrder: model.orders[demand.order]!.id, operation: model.operations[demand.operation]!.id,
          item: demand.item, missingQuantity: shortage.missing,
          earliestCoverAt: shortage.earliestCoverAt === null ? null : toIso(model, shortage.earliestCoverAt),
        });
        short.set(demand.order, list);
        for (const item of this.itemsOfOrder[demand.order]!) touched.add(item);
      }
      dirty = [...touched].sort((a, b) => a - b);
    }
    return { plan: toPlan(model, answers), short };
  }

  /** The item's answer for the current input, from the cache when it was seen before; null when no demand is left. */
  private answer(i: number, out: (order: number) => boolean, forbiddenOf: ReadonlyMap<number, readonly number[]>): ItemAnswer | null {
    const { model } = this;
    const input = this.items[i]!;
    const positions: number[] = [];
    let signature = '';
    for (const d of input.demands) {
      if (out(model.demands[d]!.order)) continue;
      positions.push(d);
      signature += `${d},`;
      const banned = forbiddenOf.get(d);
      if (banned !== undefined) signature += `!${banned.join('!')},`;
    }
    if (positions.length === 0) return null;
    const candidates: number[] = [];
    signature += '|';
    for (const s of input.supplies) {
      const producer = model.supplies[s]!.producer;
      if (producer !== null && out(producer)) continue;
      candidates.push(s);
      signature += `${s},`;
    }
    const cached = this.cache[i]!.get(signature);
    if (cached !== undefined) return cached;

    const demandOrder = (d: number): number => model.demands[d]!.order;
    const isForbidden: ForbiddenPair = (d, s) =>
      model.supplies[s]!.producer === demandOrder(d) || (forbiddenOf.get(d)?.includes(s) ?? false);
    const problem = buildItemProblem(input.item, model.supplies, candidates, this.inputs, positions, isForbidden);
    const outcome = allocateItemProblem(problem, this.limits);
    const answer = { outcome, beyondHorizon: beyondHorizon(model, outcome) };
    this.cache[i]!.set(signature, answer);
    return answer;
  }
}

/**
 * Demands served by a lot or receipt that arrives at or after the horizon's end cannot be
 * scheduled: they are shortages, covered at the earliest when that supply arrives.
 */
function beyondHorizon(model: Model, outcome: ItemOutcome): Shortage[] {
  const arrival = new Map<number, number>();
  for (const { demand, supply, quantity } of outcome.allocations) {
    const s = model.supplies[supply]!;
    if (quantity > 0 && s.producer === null) arrival.set(demand, Math.max(arrival.get(demand) ?? 0, s.availableAt));
  }
  return [...arrival]
    .filter(([, at]) => at >= model.horizon)
    .map(([demand, at]) => ({ demand, missing: model.demands[demand]!.quantity, earliestCoverAt: at }));
}

function toPlan(model: Model, answers: readonly (ItemAnswer | null)[]): MaterialPlan {
  const readyAt = model.demands.map(() => 0);
  const readySource: (string | null)[] = model.demands.map(() => null);
  const producers: number[][] = model.demands.map(() => []);
  const sources: number[][] = model.demands.map(() => []);
  const quantities: number[][] = model.demands.map(() => []);
  for (const answer of answers) {
    if (answer === null) continue;
    // Allocations come sorted by demand, then supply, within the item; each demand has one item.
    for (const { demand, supply, quantity } of answer.outcome.allocations) {
      if (quantity <= 0) continue;
      sources[demand]!.push(supply);
      quantities[demand]!.push(quantity);
      const s = model.supplies[supply]!;
      if (s.producer !== null) {
        if (!producers[demand]!.includes(s.producer)) producers[demand]!.push(s.producer);
      } else if (s.availableAt >= readyAt[demand]!) {
        readyAt[demand] = s.availableAt;
        readySource[demand] = s.id;
      }
    }
  }
  return { readyAt, readySource, producers, sources, quantities };
}
