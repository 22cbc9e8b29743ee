/**
 * A planner's pin never breaks an order's routing. Started and frozen work is reality and stays
 * where it is (a conflict is reported); a pin is a wish: when the operation before it cannot be
 * done (plus its wait) by the pinned start, the pin is released, the operation is scheduled after
 * its predecessor like any other, and a `pin-conflict` says so, naming both. Each round releases
 * at least one pin, so the rounds end.
 */
import { toIso, type Model } from '../model.ts';
import type { Problem } from '../result.ts';
import type { Placement } from './placement.ts';

/** Pinned operations whose routing predecessor is done only after the pinned start. */
export function contradictedPins(model: Model, placement: Placement): readonly number[] {
  const ops: number[] = [];
  for (const order of model.orders) {
    order.operations.forEach((op, k) => {
      if (k === 0 || model.operations[op]!.fixed?.by !== 'pinned' || placement.resource[op]! < 0) return;
      const before = order.operations[k - 1]!;
      if (placement.resource[before]! >= 0 && readyAfter(model, placement, before) > placement.start[op]!) ops.push(op);
    });
  }
  return ops;
}

/** The model with these operations' pins taken away. */
export function withoutPins(model: Model, ops: readonly number[]): Model {
  const released = new Set(ops);
  return { ...model, operations: model.operations.map((spec, op) => (released.has(op) ? { ...spec, fixed: null } : spec)) };
}

/** One `pin-conflict` per released pin (`pins`: operation → its pinned start), told from the final schedule. */
export function releasedPinProblems(model: Model, placement: Placement, pins: ReadonlyMap<number, number>): Problem[] {
  return [...pins].map(([op, pinnedStart]): Problem => {
    const spec = model.operations[op]!;
    const order = model.orders[spec.order]!;
    const before = order.operations[order.operations.indexOf(op) - 1]!;
    const ready = placement.resource[before]! >= 0 ? readyAfter(model, placement, before) : null;
    const pinned = toIso(model, pinnedStart);
    const done = ready !== null && ready > pinnedStart
      ? `before operation ${model.operations[before]!.id} can be done (${toIso(model, ready)})`
      : `where operation ${model.operations[before]!.id} could not be done before it`;
    return { type: 'pin-conflict', workOrder: order.id, operation: spec.id, message: `pinned to start ${pinned}, ${done}; scheduled after it instead` };
  });
}

const readyAfter = (model: Model, placement: Placement, op: number): number => placement.end[op]! + model.operations[op]!.waitAfter;
