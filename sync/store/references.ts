/** Which of the given keys a plant does not have: the answer to "unknown reference". */
import type { Db } from './database.ts';

export type ReferenceTable = 'calendars' | 'work_centers' | 'items' | 'work_orders' | 'lots' | 'receipts' | 'holds' | 'downtimes';

export async function missingKeys(db: Db, table: ReferenceTable, plant: string, keys: readonly string[]): Promise<readonly string[]> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return [];
  const rows = await db.selectFrom(table).select('id').where('plant', '=', plant).where('id', 'in', wanted).execute();
  const found = new Set(rows.map((r) => r.id));
  return wanted.filter((k) => !found.has(k));
}
