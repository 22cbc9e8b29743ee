/** ERP work orders: the full order (routing and materials) replaces the stored one. */
import type { EventData } from '../schemas.ts';
import type { OperationSpec, WorkOrderSpec } from '../../../scheduler/problem.ts';
import { invalidData, needKeys, requireKnown, unknownReference, type EventHandler } from './handler.ts';

type Order = EventData<'work_order.upserted'>;

const itemsOf = (d: Order) => [
  { key: d.item, field: 'data.item' },
  ...(d.materials ?? []).map((m, i) => ({ key: m.item, field: `data.materials[${i}].item` })),
];

// A standard's candidates are checked when planning: the plant may load their capacity later.
const workCentersOf = (d: Order) => d.operations.flatMap((op, i) =>
  (op.modes ?? []).map((mode, k) => ({ key: mode.workCenter, field: `data.operations[${i}].modes[${k}].workCenter` })));

function withoutTimes(d: Order) {
  const index = d.operations.findIndex((op) => op.modes === undefined && op.standard === undefined);
  return index === -1 ? null : invalidData(`data.operations[${index}].modes`, 'an operation needs modes or a standard');
}

/** The stored order: an operation with a standard has no modes of its own. */
const asOrder = (d: Order): WorkOrderSpec => ({
  ...d,
  operations: d.operations.map((op): OperationSpec => ({ ...op, modes: op.modes ?? [] })),
});

export const workOrderUpserted: EventHandler<'work_order.upserted'> = {
  object: (d) => ({ kind: 'work_order', key: d.id }),
  needs(d, needs) {
    needKeys(needs, 'items', itemsOf(d));
    needKeys(needs, 'work_centers', workCentersOf(d));
  },
  plan({ view, plant }, d) {
    return withoutTimes(d) ?? requireKnown(view, 'items', itemsOf(d)) ?? requireKnown(view, 'work_centers', workCentersOf(d))
      ?? [{ kind: 'work-order', plant, order: asOrder(d) }];
  },
};

export const workOrderCancelled: EventHandler<'work_order.cancelled'> = {
  object: (d) => ({ kind: 'work_order', key: d.id }),
  needs: (d, needs) => needs.key('work_orders', d.id),
  plan({ view, plant }, d) {
    if (!view.has('work_orders', d.id)) return unknownReference('work order', d.id, 'data.id');
    return [{ kind: 'work-order-status', plant, id: d.id, status: 'cancelled' }];
  },
};
