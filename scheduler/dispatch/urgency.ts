/**
 * Static urgency of each operation (lower = dispatch first). For due dates: the order's slack
 * (latest on-time start of this operation minus nothing), weighted by priority. For makespan:
 * most work remaining first (MWKR), the classic job-shop rule.
 */
import type { Model } from '../model.ts';

/** Shortest working minutes of each operation over its modes. */
export function shortestDurations(model: Model): Float64Array {
  return Float64Array.from(model.operations, (op) => Math.min(...op.modes.map((m) => m.duration)));
}

/** Work from each operation to the end of its order, itself included. */
export function tailWork(model: Model, durations: Float64Array = shortestDurations(model)): Float64Array {
  const tail = new Float64Array(model.operations.length);
  for (const order of model.orders) {
    let sum = 0;
    for (let k = order.operations.length - 1; k >= 0; k--) {
      const op = order.operations[k]!;
      sum += durations[op]! + (k < order.operations.length - 1 ? model.operations[op]!.waitAfter : 0);
      tail[op] = sum;
    }
  }
  return tail;
}

export function operationRanks(model: Model): Float64Array {
  const tail = tailWork(model);
  if (model.objective === 'makespan') return tail.map((t) => -t);
  return Float64Array.from(model.operations, (op, i) => {
    const order = model.orders[op.order]!;
    const slack = order.due - tail[i]!;
    // Positive slack shrinks with weight, negative slack grows: heavier orders always rank earlier.
    return slack >= 0 ? slack / order.weight : slack * order.weight;
  });
}

/**
 * Operations in dispatch order: by rank, then index. The ready queue holds positions in it, so
 * comparing two ready operations is comparing two integers. Memoised per model (the solve
 * dispatches the same model again after a lot expiry).
 */
export interface DispatchOrder {
  /** Operation at each position. */
  readonly operations: Int32Array;
  /** Position of each operation. */
  readonly position: Int32Array;
}

const dispatchOrders = new WeakMap<Model, DispatchOrder>();

export function dispatchOrder(model: Model): DispatchOrder {
  const known = dispatchOrders.get(model);
  if (known !== undefined) return known;
  const ranks = operationRanks(model);
  const operations = Int32Array.from(ranks.keys()).sort((a, b) => (ranks[a]! < ranks[b]! ? -1 : ranks[a]! > ranks[b]! ? 1 : a - b));
  const position = new Int32Array(operations.length);
  operations.forEach((op, i) => {
    position[op] = i;
  });
  const order = { operations, position };
  dispatchOrders.set(model, order);
  return order;
}
