import type { ItemSpec } from '../../scheduler/problem.ts';
import type { Db } from './database.ts';

export async function upsertItem(db: Db, plant: string, item: ItemSpec): Promise<void> {
  await upsertItems(db, [{ plant, item }]);
}

/** One statement for many items (distinct (plant, id)). */
export async function upsertItems(db: Db, rows: readonly { readonly plant: string; readonly item: ItemSpec }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('items')
    .values(rows.map(({ plant, item }) => ({ plant, id: item.id, name: item.name ?? null, uom: item.uom ?? null })))
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet((eb) => ({
      name: eb.ref('excluded.name'), uom: eb.ref('excluded.uom'), updated_at: new Date(),
    })))
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
