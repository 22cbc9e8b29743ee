/** ERP master data: plant settings, calendars, work centers, items. */
import { upsertCalendar } from '../../store/calendars.ts';
import { upsertItem } from '../../store/items.ts';
import { upsertPlant } from '../../store/plants.ts';
import { upsertWorkCenter } from '../../store/work-centers.ts';
import { requireKnown, type EventHandler } from './handler.ts';

export const plantUpserted: EventHandler<'plant.upserted'> = {
  object: (d) => ({ kind: 'plant', key: d.id }),
  async apply({ db }, d) {
    await upsertPlant(db, d);
    return null;
  },
};

export const calendarUpserted: EventHandler<'calendar.upserted'> = {
  object: (d) => ({ kind: 'calendar', key: d.id }),
  async apply({ db, plant }, d) {
    await upsertCalendar(db, plant, d);
    return null;
  },
};

export const workCenterUpserted: EventHandler<'work_center.upserted'> = {
  object: (d) => ({ kind: 'work_center', key: d.id }),
  async apply({ db, plant }, d) {
    const missing = await requireKnown(db, plant, 'calendars', [{ key: d.calendar, field: 'data.calendar' }]);
    if (missing) return missing;
    await upsertWorkCenter(db, plant, d);
    return null;
  },
};

export const itemUpserted: EventHandler<'item.upserted'> = {
  object: (d) => ({ kind: 'item', key: d.id }),
  async apply({ db, plant }, d) {
    await upsertItem(db, plant, d);
    return null;
  },
};
