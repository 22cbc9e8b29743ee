/** ERP work orders: the full order (routing and materials) replaces the stored one. */
import type { EventData } from '../schemas.ts';
import { needKeys, requireKnown, unknownReference, type EventHandler } from './handler.ts';

type Order = EventData<'work_order.upserted'>;

const itemsOf = (d: Order) => [
  { key: d.item, field: 'data.item' },
  ...(d.materials ?? []).map((m, i) => ({ key: m.item, field: `data.materials[${i}].item` })),
];

const workCentersOf = (d: Order) => d.operations.flatMap((op, i) =>
  op.modes.map((mode, k) => ({ key: mode.workCenter, field: `data.operations[${i}].modes[${k}].workCenter` })));

export const workOrderUpserted: EventHandler<'work_order.upserted'> = {
  object: (d) => ({ kind: 'work_order', key: d.id }),
  needs(d, needs) {
    needKeys(needs, 'items', itemsOf(d));
    needKeys(needs, 'work_centers', workCentersOf(d));
  },
  plan({ view, plant }, d) {
    return requireKnown(view, 'items', itemsOf(d)) ?? requireKnown(view, 'work_centers', workCentersOf(d))
      ?? [{ kind: 'work-order', plant, order: d }];
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
