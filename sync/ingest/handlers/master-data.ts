/** ERP master data: plant settings, calendars, work centers, items. */
import { operationTimeKey } from '../../store/operation-times.ts';
import { invalidData, needKeys, requireKnown, type EventHandler } from './handler.ts';

export const plantUpserted: EventHandler<'plant.upserted'> = {
  object: (d) => ({ kind: 'plant', key: d.id }),
  needs() {},
  plan: ({ plant }, d) => [{ kind: 'plant', plant, settings: d }],
};

export const calendarUpserted: EventHandler<'calendar.upserted'> = {
  object: (d) => ({ kind: 'calendar', key: d.id }),
  needs() {},
  plan: ({ plant }, d) => [{ kind: 'calendar', plant, calendar: d }],
};

const calendarOf = (d: { readonly calendar: string }) => [{ key: d.calendar, field: 'data.calendar' }];

export const workCenterUpserted: EventHandler<'work_center.upserted'> = {
  object: (d) => ({ kind: 'work_center', key: d.id }),
  needs: (d, needs) => needKeys(needs, 'calendars', calendarOf(d)),
  plan({ view, plant }, d) {
    return requireKnown(view, 'calendars', calendarOf(d)) ?? [{ kind: 'work-center', plant, workCenter: d }];
  },
};

export const itemUpserted: EventHandler<'item.upserted'> = {
  object: (d) => ({ kind: 'item', key: d.id }),
  needs() {},
  plan: ({ plant }, d) => [{ kind: 'item', plant, item: d }],
};

export const operationTimeUpserted: EventHandler<'operation_time.upserted'> = {
  object: (d) => ({ kind: 'operation_time', key: operationTimeKey(d) }),
  needs() {},
  plan({ plant }, d) {
    if (d.workCenter !== undefined && d.category !== undefined) return invalidData('data.category', 'give a work center or a category, not both');
    return [{ kind: 'operation-time', plant, time: d }];
  },
};
