/** QMS holds on a lot, an item (all its lots) or a work order. */
import type { ReferenceTable } from '../../store/references.ts';
import { placeHold, releaseHold } from '../../store/holds.ts';
import { requireKnown, unknownReference, type EventHandler } from './handler.ts';

const targetTable: Readonly<Record<'lot' | 'item' | 'work_order', ReferenceTable>> = {
  lot: 'lots',
  item: 'items',
  work_order: 'work_orders',
};

export const holdPlaced: EventHandler<'hold.placed'> = {
  object: (d) => ({ kind: 'hold', key: d.id }),
  async apply({ db, plant, event }, d) {
    const missing = await requireKnown(db, plant, targetTable[d.target.kind], [{ key: d.target.id, field: 'data.target.id' }]);
    if (missing) return missing;
    await placeHold(db, plant, d, event.occurredAt);
    return null;
  },
};

export const holdReleased: EventHandler<'hold.released'> = {
  object: (d) => ({ kind: 'hold', key: d.id }),
  async apply({ db, plant, event }, d) {
    const found = await releaseHold(db, plant, d.id, event.occurredAt);
    return found ? null : unknownReference('hold', d.id, 'data.id');
  },
};
