/**
 * What the search treats as given: which operations it may move, the fixed work that stays
 * put (as obstacles per machine), routing and pegged-producer links, the latest start that
 * keeps every pegged lot unexpired, and the latest end that keeps fixed work's predecessors in time.
 */
import type { MaterialPlan, Placement } from '../dispatch/placement.ts';
import type { Model } from '../model.ts';

export interface FixedIntervals {
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly op: Int32Array;
}

export interface SearchContext {
  readonly model: Model;
  readonly materials: MaterialPlan;
  /** The constructive schedule: source of fixed slots and of unplaced operations. */
  readonly base: Placement;
  /** Placed operations the search may move, ascending. */
  readonly movable: Int32Array;
  readonly isMovable: Uint8Array;
  /** Routing predecessor / successor per operation (-1 when none). */
  readonly routePred: Int32Array;
  readonly routeSucc: Int32Array;
  /** Last operations of the orders pegged to supply this operation's material (placed ones). */
  readonly producers: readonly (readonly number[])[];
  /** Inverse of `producers`. */
  readonly consumers: readonly (readonly number[])[];
  /** Fixed work per resource, sorted by start: movable work must not overlap it. */
  readonly fixed: readonly FixedIntervals[];
  /** An operation must start before this (lots of its material expire then). */
  readonly latestStart: Float64Array;
  /** An operation must end by this (fixed work after it on its routing, or taking its order's output, starts then). */
  readonly latestEnd: Float64Array;
  /** Every (resource, mode) an operation may run on. */
  readonly options: readonly (readonly { readonly resource: number; readonly mode: number }[])[];
}

export function buildSearchContext(model: Model, base: Placement, materials: MaterialPlan, excluded: ReadonlySet<number> = new Set()): SearchContext {
  const n = model.operations.length;
  const isMovable = new Uint8Array(n);
  const movableList: number[] = [];
  for (let op = 0; op < n; op++) {
    if (base.resource[op]! >= 0 && base.cause[op]?.kind !== 'fixed' && !excluded.has(model.operations[op]!.order)) {
      isMovable[op] = 1;
      movableList.push(op);
    }
  }
  const routePred = new Int32Array(n).fill(-1);
  const routeSucc = new Int32Array(n).fill(-1);
  for (const order of model.orders) {
    for (let k = 1; k < order.operations.length; k++) {
      routePred[order.operations[k]!] = order.operations[k - 1]!;
      routeSucc[order.operations[k - 1]!] = order.operations[k]!;
    }
  }
  const consumers: number[][] = model.operations.map(() => []);
  const producers = model.operations.map((spec, op) => {
    const list: number[] = [];
    for (const d of spec.demands) {
      // Every operation of the producing order: fixed work can end after the routing's last one.
      for (const producer of materials.producers[d]!) {
        for (const p of model.orders[producer]!.operations) {
          if (base.resource[p]! >= 0 && !list.includes(p)) list.push(p);
        }
      }
    }
    for (const p of list) consumers[p]!.push(op);
    return list;
  });

  const fixedLists = model.resources.map(() => [] as { start: number; end: number; op: number }[]);
  for (let op = 0; op < n; op++) {
    const r = base.resource[op]!;
    if (r >= 0 && !isMovable[op] && base.end[op]! > base.start[op]!) fixedLists[r]!.push({ start: base.start[op]!, end: base.end[op]!, op });
  }
  const fixed = fixedLists.map((list) => {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    return {
      start: Float64Array.from(list, (f) => f.start),
      end: Float64Array.from(list, (f) => f.end),
      op: Int32Array.from(list, (f) => f.op),
    };
  });

  // A pegged lot must still be good when the operation starts (unless the constructive
  // schedule already had to use it late, which is reported as a problem).
  const latestStart = new Float64Array(n).fill(Infinity);
  for (const op of movableList) {
    for (const d of model.operations[op]!.demands) {
      for (const s of materials.sources[d] ?? []) {
        const expiresAt = model.supplies[s]!.expiresAt;
        if (expiresAt !== null && expiresAt > base.start[op]!) latestStart[op] = Math.min(latestStart[op]!, expiresAt);
      }
    }
  }

  // Movable work that fixed work waits for stays in time for it (unless the constructive schedule
  // could not manage that either, which is reported as a problem).
  const latestEnd = new Float64Array(n).fill(Infinity);
  for (let f = 0; f < n; f++) {
    if (base.resource[f]! < 0 || isMovable[f]) continue;
    const before = routePred[f]!;
    const keepBefore = (op: number, wait: number): void => {
      const by = base.start[f]! - wait;
      if (isMovable[op] && base.end[op]! <= by) latestEnd[op] = Math.min(latestEnd[op]!, by);
    };
    if (before >= 0) keepBefore(before, model.operations[before]!.waitAfter);
    for (const p of producers[f]!) keepBefore(p, 0);
  }

  const options = model.operations.map((spec) =>
    spec.modes.flatMap((mode, m) => model.workCenters[mode.workCenter]!.resources.map((resource) => ({ resource, mode: m }))));

  return {
    model, materials, base, movable: Int32Array.from(movableList), isMovable, routePred, routeSucc,
    producers, consumers, fixed, latestStart, latestEnd, options,
  };
}
