import type { PlantSettings } from '../../scheduler/problem.ts';
import { toJson, type Db } from './database.ts';

export async function upsertPlant(db: Db, plant: PlantSettings): Promise<void> {
  const row = {
    name: plant.name ?? null,
    time_zone: plant.timeZone,
    frozen_window_minutes: plant.frozenWindowMinutes ?? null,
    settings: toJson({
      ...(plant.horizonDays !== undefined && { horizonDays: plant.horizonDays }),
      ...(plant.objective !== undefined && { objective: plant.objective }),
    }),
  };
  await db
    .insertInto('plants')
    .values({ id: plant.id, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

export async function getPlant(db: Db, id: string): Promise<PlantSettings | null> {
  const row = await db.selectFrom('plants').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return null;
  return {
    id: row.id,
    ...(row.name !== null && { name: row.name }),
    timeZone: row.time_zone,
    ...(row.frozen_window_minutes !== null && { frozenWindowMinutes: row.frozen_window_minutes }),
    ...row.settings,
  };
}

export async function plantExists(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('plants').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export async function listPlantIds(db: Db): Promise<readonly string[]> {
  const rows = await db.selectFrom('plants').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}
