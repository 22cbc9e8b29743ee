import type { CalendarSpec } from '../../scheduler/problem.ts';
import { toJson, type Db } from './database.ts';

export async function upsertCalendar(db: Db, plant: string, calendar: CalendarSpec): Promise<void> {
  const row = {
    shifts: toJson(calendar.shifts),
    exceptions: toJson(calendar.exceptions ?? []),
    always_open: calendar.alwaysOpen ?? false,
  };
  await db
    .insertInto('calendars')
    .values({ plant, id: calendar.id, ...row })
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

export async function listCalendars(db: Db, plant: string): Promise<readonly CalendarSpec[]> {
  const rows = await db.selectFrom('calendars').selectAll().where('plant', '=', plant).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    shifts: row.shifts,
    ...(row.exceptions.length > 0 && { exceptions: row.exceptions }),
    ...(row.always_open && { alwaysOpen: true }),
  }));
}
