/** QMS holds on a lot, an item (all its lots) or a work order. */
import type { KeyTable } from '../batch/needs.ts';
import type { EventData } from '../schemas.ts';
import { needKeys, requireKnown, unknownReference, type EventHandler } from './handler.ts';

const targetTable: Readonly<Record<'lot' | 'item' | 'work_order', KeyTable>> = {
  lot: 'lots',
  item: 'items',
  work_order: 'work_orders',
};

const targetOf = (d: EventData<'hold.placed'>) => [{ key: d.target.id, field: 'data.target.id' }];

export const holdPlaced: EventHandler<'hold.placed'> = {
  object: (d) => ({ kind: 'hold', key: d.id }),
  needs: (d, needs) => needKeys(needs, targetTable[d.target.kind], targetOf(d)),
  plan({ view, plant, event }, d) {
    return requireKnown(view, targetTable[d.target.kind], targetOf(d)) ?? [{ kind: 'hold', plant, hold: d, placedAt: event.occurredAt }];
  },
};

export const holdReleased: EventHandler<'hold.released'> = {
  object: (d) => ({ kind: 'hold', key: d.id }),
  needs: (d, needs) => needs.key('holds', d.id),
  plan({ view, plant, event }, d) {
    if (!view.has('holds', d.id)) return unknownReference('hold', d.id, 'data.id');
    return [{ kind: 'hold-release', plant, id: d.id, releasedAt: event.occurredAt }];
  },
};
