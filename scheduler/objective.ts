/**
 * The objective, lexicographic and lower-is-better: weighted tardiness, then makespan and
 * flow time, then stability (operations moved from the previous schedule), then setup time.
 * For classic job-shop instances (`makespan` objective) it is makespan alone.
 */
import type { Placement } from './dispatch/placement.ts';
import type { Model } from './model.ts';

export type ObjectiveVector = readonly number[];

export interface OrderTimes {
  /** Planned end per order; NaN when the order is not (fully) placed. */
  readonly end: Float64Array;
  readonly start: Float64Array;
}

export function orderTimes(model: Model, placement: Placement): OrderTimes {
  const end = new Float64Array(model.orders.length).fill(Number.NaN);
  const start = new Float64Array(model.orders.length).fill(Number.NaN);
  model.orders.forEach((order, o) => {
    if (order.operations.length === 0 || order.operations.some((op) => placement.resource[op]! < 0)) return;
    let s = Infinity;
    let e = -Infinity;
    for (const op of order.operations) {
      s = Math.min(s, placement.start[op]!);
      e = Math.max(e, placement.end[op]!);
    }
    start[o] = s;
    end[o] = e;
  });
  return { start, end };
}

export function makespanOf(placement: Placement): number {
  let makespan = 0;
  for (let op = 0; op < placement.end.length; op++) if (placement.resource[op]! >= 0) makespan = Math.max(makespan, placement.end[op]!);
  return makespan;
}

/** One order's weighted tardiness when it ends at `end` (0 when it is not placed in full: NaN). */
export function orderTardiness(order: { readonly weight: number; readonly due: number }, end: number): number {
  return Number.isNaN(end) ? 0 : order.weight * Math.max(0, end - order.due);
}

export function weightedTardiness(model: Model, times: OrderTimes): number {
  let sum = 0;
  model.orders.forEach((order, o) => { sum += orderTardiness(order, times.end[o]!); });
  return sum;
}

export function movedOperations(model: Model, placement: Placement): number {
  let moved = 0;
  for (const [op, prev] of model.previous) {
    if (placement.resource[op]! >= 0 && (placement.resource[op] !== prev.resource || placement.start[op] !== prev.start)) moved++;
  }
  return moved;
}

export function evaluate(model: Model, placement: Placement): ObjectiveVector {
  const makespan = makespanOf(placement);
  if (model.objective === 'makespan') return [makespan];
  const times = orderTimes(model, placement);
  let flow = 0;
  model.orders.forEach((order, o) => {
    const end = times.end[o]!;
    if (!Number.isNaN(end)) flow += end - order.release;
  });
  let setup = 0;
  for (let op = 0; op < placement.resource.length; op++) {
    if (placement.resource[op]! >= 0) setup += model.operations[op]!.modes[placement.mode[op]!]!.setup;
  }
  return [weightedTardiness(model, times), makespan + flow, movedOperations(model, placement), setup];
}

export function isBetter(a: ObjectiveVector, b: ObjectiveVector): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]! - 1e-9) return true;
    if (a[i]! > b[i]! + 1e-9) return false;
  }
  return false;
}
