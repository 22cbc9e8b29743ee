/**
 * The material plan as the dispatcher keeps it while it places operations. When an operation
 * cannot start before a lot pegged to it expires, only that operation's demands are re-pegged:
 * they give back the lots that expire too early and take supply nobody else is pegged to (the
 * free quantity). Orders that fail give their material back to the free quantity. So the cost
 * of an expiry is proportional to the demands it hits, never a re-run of the whole plant.
 */
import { TOLERANCE } from '../materials/item-problem.ts';
import type { Model } from '../model.ts';
import type { MaterialPlan } from './placement.ts';

/** A demand that no free supply covers once its expiring lots are given back. */
export interface Uncovered {
  readonly demand: number;
  /** The lot that expired first (the one whose expiry made the demand look for other supply). */
  readonly lot: number;
}

export class PeggedMaterial {
  private readonly readyAt: number[];
  private readonly readySource: (string | null)[];
  private readonly producers: (readonly number[])[];
  private readonly sources: (readonly number[])[];
  private readonly quantities: (readonly number[])[];
  /** Supply not pegged to any demand, per supply. */
  private readonly free: Float64Array;
  /** Per demand: the earliest expiry among its lots (+∞ when none expires). */
  private readonly expiry: Float64Array;
  /** Per item: its supplies (built on the first re-peg only). */
  private suppliesOfItem: Map<string, number[]> | null = null;
  /** The current plan; its arrays are this object's, so it follows every re-peg. */
  readonly plan: MaterialPlan;

  constructor(private readonly model: Model, plan: MaterialPlan) {
    this.readyAt = plan.readyAt.slice();
    this.readySource = plan.readySource.slice();
    this.producers = plan.producers.slice();
    this.sources = plan.sources.slice();
    this.quantities = plan.quantities.slice();
    this.free = Float64Array.from(model.supplies, (s) => s.quantity);
    this.expiry = new Float64Array(model.demands.length).fill(Number.POSITIVE_INFINITY);
    this.quantities.forEach((list, d) => {
      list.forEach((q, k) => {
        this.free[this.sources[d]![k]!]! -= q;
      });
      this.expiry[d] = earliestExpiry(model, this.sources[d]!);
    });
    this.plan = {
      readyAt: this.readyAt, readySource: this.readySource, producers: this.producers, sources: this.sources, quantities: this.quantities,
    };
  }

  /** Earliest expiry among the lots pegged to the operation's demands; +∞ when none expires. */
  expiryOf(op: number): number {
    let expiry = Number.POSITIVE_INFINITY;
    for (const d of this.model.operations[op]!.demands) expiry = Math.min(expiry, this.expiry[d]!);
    return expiry;
  }

  /**
   * Re-pegs the operation's demands for a start no earlier than `start`: each gives back the
   * lots that expire at or before it and covers the rest from free supply usable then — lots
   * and receipts, and the output of orders already placed in full (`outputReadyAt` says when;
   * null for any other order) — earliest available first, then first to expire. A demand that
   * cannot be covered in full keeps nothing and is returned; the others are re-pegged.
   */
  repeg(op: number, start: number, outputReadyAt: (order: number) => number | null): Uncovered | null {
    const { model } = this;
    const spec = model.operations[op]!;
    for (const d of spec.demands) {
      let firstExpired = -1;
      for (const s of this.sources[d]!) {
        const at = model.supplies[s]!.expiresAt;
        if (at !== null && at <= start && (firstExpired < 0 || at < model.supplies[firstExpired]!.expiresAt!)) firstExpired = s;
      }
      if (firstExpired < 0) continue;
      const kept = new Map<number, number>();
      this.sources[d]!.forEach((s, k) => {
        const q = this.quantities[d]![k]!;
        const at = model.supplies[s]!.expiresAt;
        if (at !== null && at <= start) this.free[s]! += q;
        else kept.set(s, q);
      });
      let missing = model.demands[d]!.quantity;
      for (const q of kept.values()) missing -= q;
      for (const { supply } of this.candidates(d, start, outputReadyAt)) {
        if (missing <= TOLERANCE) break;
        const take = Math.min(missing, this.free[supply]!);
        this.free[supply]! -= take;
        kept.set(supply, (kept.get(supply) ?? 0) + take);
        missing -= take;
      }
      if (missing > TOLERANCE) {
        for (const [s, q] of kept) this.free[s]! += q;
        this.assign(d, new Map());
        return { demand: d, lot: firstExpired };
      }
      this.assign(d, kept);
    }
    return null;
  }

  /** Gives the material of the order's demands back (the order will not run). */
  releaseOrder(order: number): void {
    for (const op of this.model.orders[order]!.operations) {
      for (const d of this.model.operations[op]!.demands) {
        this.sources[d]!.forEach((s, k) => {
          this.free[s]! += this.quantities[d]![k]!;
        });
        this.assign(d, new Map());
      }
    }
  }

  /** Free supply of the demand's item it may use from `start` on, in the order it is drawn. */
  private candidates(d: number, start: number, outputReadyAt: (order: number) => number | null): { supply: number; at: number; expires: number }[] {
    const { model } = this;
    const demand = model.demands[d]!;
    const out: { supply: number; at: number; expires: number }[] = [];
    for (const s of this.supplies(demand.item)) {
      if (this.free[s]! <= TOLERANCE) continue;
      const supply = model.supplies[s]!;
      if (supply.expiresAt !== null && supply.expiresAt <= start) continue;
      let at = supply.availableAt;
      if (supply.producer !== null) {
        const ready = supply.producer === demand.order ? null : outputReadyAt(supply.producer);
        if (ready === null) continue;
        at = ready;
      }
      out.push({ supply: s, at, expires: supply.expiresAt ?? Number.POSITIVE_INFINITY });
    }
    return out.sort((a, b) => a.at - b.at || a.expires - b.expires || a.supply - b.supply);
  }

  private supplies(item: string): readonly number[] {
    if (this.suppliesOfItem === null) {
      const byItem = new Map<string, number[]>();
      this.model.supplies.forEach((supply, s) => {
        const list = byItem.get(supply.item);
        if (list) list.push(s);
        else byItem.set(supply.item, [s]);
      });
      this.suppliesOfItem = byItem;
    }
    return this.suppliesOfItem.get(item) ?? [];
  }

  /** Sets the demand's sources (ascending supply index, as the pegging lists them) and its readiness. */
  private assign(d: number, allocation: ReadonlyMap<number, number>): void {
    const { model } = this;
    const sources = [...allocation.keys()].filter((s) => allocation.get(s)! > 0).sort((a, b) => a - b);
    const producers: number[] = [];
    let readyAt = 0;
    let readySource: string | null = null;
    for (const s of sources) {
      const supply = model.supplies[s]!;
      if (supply.producer !== null) {
        if (!producers.includes(supply.producer)) producers.push(supply.producer);
      } else if (supply.availableAt >= readyAt) {
        readyAt = supply.availableAt;
        readySource = supply.id;
      }
    }
    this.sources[d] = sources;
    this.quantities[d] = sources.map((s) => allocation.get(s)!);
    this.producers[d] = producers;
    this.readyAt[d] = readyAt;
    this.readySource[d] = readySource;
    this.expiry[d] = earliestExpiry(model, sources);
  }
}

function earliestExpiry(model: Model, sources: readonly number[]): number {
  let expiry = Number.POSITIVE_INFINITY;
  for (const s of sources) {
    const at = model.supplies[s]!.expiresAt;
    if (at !== null && at < expiry) expiry = at;
  }
  return expiry;
}
