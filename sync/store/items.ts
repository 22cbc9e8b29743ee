import type { ItemSpec } from '../../scheduler/problem.ts';
import type { Db } from './database.ts';

export async function upsertItem(db: Db, plant: string, item: ItemSpec): Promise<void> {
  const row = { name: item.name ?? null, uom: item.uom ?? null };
  await db
    .insertInto('items')
    .values({ plant, id: item.id, ...row })
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

export async function listItems(db: Db, plant: string): Promise<readonly ItemSpec[]> {
  const rows = await db.selectFrom('items').selectAll().where('plant', '=', plant).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    ...(row.name !== null && { name: row.name }),
    ...(row.uom !== null && { uom: row.uom }),
  }));
}
