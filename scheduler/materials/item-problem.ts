/**
 * One item's allocation problem: its supplies in availability order, its demands in need order,
 * and which supply each demand may draw from. Items never share supply, so each is solved alone.
 */
import type { SupplyModel } from '../model.ts';

/** Quantities are fractional; anything within this of zero (or of a target) counts as equal. */
export const TOLERANCE = 1e-9;

/** The demand fields allocation reads (exported as `DemandInput` by allocate.ts). */
export interface DemandLike {
  readonly demand: number;
  readonly item: string;
  readonly quantity: number;
  readonly needBy: number;
  readonly earliestStart: number;
  readonly weight: number;
}

export interface ItemDemand {
  readonly input: DemandLike;
  /** Position in the caller's demand list (final tie-break). */
  readonly position: number;
  /** 0 = needed first: order by (needBy, −weight, demand, position). */
  readonly rank: number;
  /** Supply indexes this demand may use, in availability order. */
  readonly eligible: readonly number[];
}

export interface ItemProblem {
  readonly item: string;
  readonly supplies: readonly SupplyModel[];
  /** Indexes into `supplies` of this item's usable supply, in availability order. */
  readonly order: readonly number[];
  /** Demands sorted by rank. */
  readonly demands: readonly ItemDemand[];
}

export interface ItemPlan {
  /** Per served demand (by its position in `ItemProblem.demands`): supply index → quantity. */
  readonly served: ReadonlyMap<number, ReadonlyMap<number, number>>;
}

/** Availability order: earliest available first, then first to expire (FEFO), then index. */
export function compareSupply(supplies: readonly SupplyModel[], a: number, b: number): number {
  const sa = supplies[a]!;
  const sb = supplies[b]!;
  return (
    sa.availableAt - sb.availableAt ||
    (sa.expiresAt ?? Number.POSITIVE_INFINITY) - (sb.expiresAt ?? Number.POSITIVE_INFINITY) ||
    a - b
  );
}

export function compareNeed(a: DemandLike, pa: number, b: DemandLike, pb: number): number {
  return a.needBy - b.needBy || b.weight - a.weight || a.demand - b.demand || pa - pb;
}

/**
 * Pairs a caller rules out (a lot expiring before the operation's planned start, own output):
 * true means the demand (its `demand` index) may not draw from the supply (its index).
 */
export type ForbiddenPair = (demand: number, supply: number) => boolean;

/** The `${demand}:${supply}` set form of `ForbiddenPair`; null when nothing is forbidden. */
export function forbiddenPairs(set: ReadonlySet<string>): ForbiddenPair | null {
  return set.size === 0 ? null : (demand, supply) => set.has(`${demand}:${supply}`);
}

/**
 * A lot expiring at or before the moment the demand could first use it (its earliest start, or
 * the lot's own availability if later) is useless to it. Expiry against the operation's actual
 * start is the caller's business, through `forbidden`.
 */
export function mayUse(demand: DemandLike, supplyIndex: number, supply: SupplyModel, forbidden: ReadonlySet<string>): boolean {
  return usable(demand, supplyIndex, supply, forbiddenPairs(forbidden));
}

function usable(demand: DemandLike, supplyIndex: number, supply: SupplyModel, forbidden: ForbiddenPair | null): boolean {
  if (supply.item !== demand.item || !(supply.quantity > TOLERANCE)) return false;
  if (supply.expiresAt !== null && supply.expiresAt <= Math.max(demand.earliestStart, supply.availableAt)) return false;
  return forbidden === null || !forbidden(demand.demand, supplyIndex);
}

/** Splits the input by item; items come out in name order so the run is reproducible. */
export function buildItemProblems(
  supplies: readonly SupplyModel[],
  demands: readonly DemandLike[],
  forbidden: ReadonlySet<string>,
): ItemProblem[] {
  const demandsByItem = new Map<string, number[]>();
  demands.forEach((d, position) => {
    const list = demandsByItem.get(d.item);
    if (list) list.push(position);
    else demandsByItem.set(d.item, [position]);
  });
  const suppliesByItem = new Map<string, number[]>();
  supplies.forEach((s, index) => {
    if (!(s.quantity > TOLERANCE)) return;
    const list = suppliesByItem.get(s.item);
    if (list) list.push(index);
    else suppliesByItem.set(s.item, [index]);
  });
  const filter = forbiddenPairs(forbidden);
  const items = [...demandsByItem.keys()].sort();
  return items.map((item) => buildItemProblem(item, supplies, suppliesByItem.get(item) ?? [], demands, demandsByItem.get(item)!, filter));
}

/**
 * One item's problem.
 * @param candidates indexes into `supplies` of the item's supply with quantity left (any order).
 * @param positions indexes into `demands` of the item's demands (any order).
 */
export function buildItemProblem(
  item: string,
  supplies: readonly SupplyModel[],
  candidates: readonly number[],
  demands: readonly DemandLike[],
  positions: readonly number[],
  forbidden: ForbiddenPair | null,
): ItemProblem {
  const order = [...candidates].sort((a, b) => compareSupply(supplies, a, b));
  const ranked = [...positions].sort((a, b) => compareNeed(demands[a]!, a, demands[b]!, b));
  return {
    item,
    supplies,
    order,
    demands: ranked.map((position, rank) => {
      const input = demands[position]!;
      const eligible: number[] = [];
      for (const s of order) if (usable(input, s, supplies[s]!, forbidden)) eligible.push(s);
      return { input, position, rank, eligible };
    }),
  };
}

/** True when the supply this demand may use covers it, were it alone. */
export function servableAlone(problem: ItemProblem, demand: ItemDemand): boolean {
  let total = 0;
  for (const s of demand.eligible) total += problem.supplies[s]!.quantity;
  return total >= demand.input.quantity - TOLERANCE;
}
