/** Which of the given keys a plant has or lacks: the answer to "unknown reference". */
import type { Db } from './database.ts';

export type ReferenceTable = 'calendars' | 'work_centers' | 'items' | 'work_orders' | 'lots' | 'receipts' | 'holds' | 'downtimes';

export async function existingKeys(db: Db, table: ReferenceTable, plant: string, keys: Iterable<string>): Promise<ReadonlySet<string>> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return new Set();
  const rows = await db.selectFrom(table).select('id').where('plant', '=', plant).where('id', 'in', wanted).execute();
  return new Set(rows.map((r) => r.id));
}

export async function missingKeys(db: Db, table: ReferenceTable, plant: string, keys: readonly string[]): Promise<readonly string[]> {
  const found = await existingKeys(db, table, plant, keys);
  return [...new Set(keys)].filter((k) => !found.has(k));
}
