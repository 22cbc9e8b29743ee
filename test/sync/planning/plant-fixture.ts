/** A small plant in the store: one always-open work center, three one-operation orders. */
import type { WorkOrderSpec } from '../../../scheduler/problem.ts';
import type { Db } from '../../../sync/store/database.ts';
import { upsertCalendar } from '../../../sync/store/calendars.ts';
import { upsertItem } from '../../../sync/store/items.ts';
import { upsertPlant } from '../../../sync/store/plants.ts';
import { upsertWorkCenter } from '../../../sync/store/work-centers.ts';
import { upsertWorkOrder } from '../../../sync/store/work-orders.ts';

export const NOW = new Date('2026-11-23T06:00:00Z');

export function order(id: string, minutes: number, priority = 1, status?: WorkOrderSpec['status']): WorkOrderSpec {
  return {
    id, item: 'FG', quantity: 1, due: '2026-11-30T00:00:00Z', priority,
    ...(status !== undefined && { status }),
    operations: [{ id: '10', modes: [{ workCenter: 'CNC', runMinutesPerUnit: minutes }] }],
  };
}

export async function seedPlant(db: Db, plant = 'P1', orders: readonly WorkOrderSpec[] = [order('WO-1', 60, 3), order('WO-2', 90, 2), order('WO-3', 30, 1)]): Promise<void> {
  await upsertPlant(db, { id: plant, timeZone: 'UTC', horizonDays: 30 });
  await upsertCalendar(db, plant, { id: '24x7', shifts: [], alwaysOpen: true });
  await upsertWorkCenter(db, plant, { id: 'CNC', units: 1, calendar: '24x7' });
  await upsertItem(db, plant, { id: 'FG' });
  for (const o of orders) await upsertWorkOrder(db, plant, o);
}
