import type { WorkCenterSpec } from '../../scheduler/problem.ts';
import { toJson, type Db } from './database.ts';

export async function upsertWorkCenter(db: Db, plant: string, workCenter: WorkCenterSpec): Promise<void> {
  const row = {
    name: workCenter.name ?? null,
    units: workCenter.units,
    calendar: workCenter.calendar,
    planned_downtimes: toJson(workCenter.downtimes ?? []),
  };
  await db
    .insertInto('work_centers')
    .values({ plant, id: workCenter.id, ...row })
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

export async function getWorkCenterUnits(db: Db, plant: string, id: string): Promise<number | null> {
  const row = await db.selectFrom('work_centers').select('units')
    .where('plant', '=', plant).where('id', '=', id).executeTakeFirst();
  return row?.units ?? null;
}

/** The units of the plant's work centers among `ids`, by id (a missing id is an unknown work center). */
export async function getWorkCenterUnitsOf(db: Db, plant: string, ids: Iterable<string>): Promise<Map<string, number>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('work_centers').select(['id', 'units']).where('plant', '=', plant).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.units]));
}

/** Work centers with their planned downtimes only; breakdowns live in `downtimes`. */
export async function listWorkCenters(db: Db, plant: string): Promise<readonly WorkCenterSpec[]> {
  const rows = await db.selectFrom('work_centers').selectAll().where('plant', '=', plant).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    ...(row.name !== null && { name: row.name }),
    units: row.units,
    calendar: row.calendar,
    ...(row.planned_downtimes.length > 0 && { downtimes: row.planned_downtimes }),
  }));
}
