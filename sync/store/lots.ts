import type { LotSpec } from '../../scheduler/problem.ts';
import { toIso, type Db } from './database.ts';

export async function upsertLot(db: Db, plant: string, lot: LotSpec, receipt: string | null = null): Promise<void> {
  const row = { item: lot.item, quantity: lot.quantity, status: lot.status, expires_at: lot.expiresAt ?? null };
  await db
    .insertInto('lots')
    .values({ plant, id: lot.id, receipt, ...row })
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

/** Lots with stock left (a lot at zero is consumed); the engine decides what status and expiry allow. */
export async function listLots(db: Db, plant: string): Promise<readonly LotSpec[]> {
  const rows = await db.selectFrom('lots').selectAll()
    .where('plant', '=', plant).where('quantity', '>', 0).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    item: row.item,
    quantity: row.quantity,
    status: row.status,
    ...(row.expires_at !== null && { expiresAt: toIso(row.expires_at) }),
  }));
}
