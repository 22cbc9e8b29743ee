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
