import type { LotSpec } from '../../scheduler/problem.ts';
import { toIso, type Db } from './database.ts';

export interface LotRow {
  readonly plant: string;
  readonly lot: LotSpec;
  /** The receipt the lot came from; kept from the first write (an update leaves it). */
  readonly receipt: string | null;
}

export async function upsertLot(db: Db, plant: string, lot: LotSpec, receipt: string | null = null): Promise<void> {
  await upsertLots(db, [{ plant, lot, receipt }]);
}

/** One statement for many lots (distinct (plant, id)). */
export async function upsertLots(db: Db, rows: readonly LotRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('lots')
    .values(rows.map(({ plant, lot, receipt }) => ({
      plant, id: lot.id, receipt, item: lot.item, quantity: lot.quantity, status: lot.status, expires_at: lot.expiresAt ?? null,
    })))
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet((eb) => ({
      item: eb.ref('excluded.item'),
      quantity: eb.ref('excluded.quantity'),
      status: eb.ref('excluded.status'),
      expires_at: eb.ref('excluded.expires_at'),
      updated_at: new Date(),
    })))
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
