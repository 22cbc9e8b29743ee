/** ERP work orders: the full order (routing and materials) replaces the stored one. */
import { setWorkOrderStatus, upsertWorkOrder } from '../../store/work-orders.ts';
import { requireKnown, unknownReference, type EventHandler } from './handler.ts';

export const workOrderUpserted: EventHandler<'work_order.upserted'> = {
  object: (d) => ({ kind: 'work_order', key: d.id }),
  async apply({ db, plant }, d) {
    const items = [
      { key: d.item, field: 'data.item' },
      ...(d.materials ?? []).map((m, i) => ({ key: m.item, field: `data.materials[${i}].item` })),
    ];
    const centers = d.operations.flatMap((op, i) =>
      op.modes.map((mode, k) => ({ key: mode.workCenter, field: `data.operations[${i}].modes[${k}].workCenter` })));
    const missing = (await requireKnown(db, plant, 'items', items)) ?? (await requireKnown(db, plant, 'work_centers', centers));
    if (missing) return missing;
    await upsertWorkOrder(db, plant, d);
    return null;
  },
};

export const workOrderCancelled: EventHandler<'work_order.cancelled'> = {
  object: (d) => ({ kind: 'work_order', key: d.id }),
  async apply({ db, plant }, d) {
    const found = await setWorkOrderStatus(db, plant, d.id, 'cancelled');
    return found ? null : unknownReference('work order', d.id, 'data.id');
  },
};
