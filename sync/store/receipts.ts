/** Expected supply from the ERP; the WMS reports its arrival, after which it is a lot. */
import type { ReceiptSpec } from '../../scheduler/problem.ts';
import { toIso, type Db, type ReceiptStatus } from './database.ts';

export interface ReceiptRow {
  readonly plant: string;
  readonly receipt: ReceiptSpec;
}

export async function upsertReceipt(db: Db, plant: string, receipt: ReceiptSpec): Promise<void> {
  await upsertReceipts(db, [{ plant, receipt }]);
}

/** One statement for many receipts (distinct (plant, id)). */
export async function upsertReceipts(db: Db, rows: readonly ReceiptRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('receipts')
    .values(rows.map(({ plant, receipt }) => ({
      plant, id: receipt.id, status: 'expected' as ReceiptStatus, item: receipt.item, quantity: receipt.quantity, expected_at: receipt.expectedAt,
    })))
    // An arrived receipt stays arrived; an ERP update of a cancelled one re-opens it.
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet((eb) => ({
      item: eb.ref('excluded.item'),
      quantity: eb.ref('excluded.quantity'),
      expected_at: eb.ref('excluded.expected_at'),
      status: eb.case().when('receipts.status', '=', 'arrived').then('arrived' as ReceiptStatus).else('expected' as ReceiptStatus).end(),
      updated_at: new Date(),
    })))
    .execute();
}

export interface StoredReceipt extends ReceiptSpec {
  readonly status: ReceiptStatus;
}

/** The receipts of a plant among `ids`, by id. */
export async function getReceipts(db: Db, plant: string, ids: Iterable<string>): Promise<Map<string, StoredReceipt>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('receipts').selectAll().where('plant', '=', plant).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, { id: row.id, item: row.item, quantity: row.quantity, expectedAt: toIso(row.expected_at), status: row.status }]));
}

export async function getReceipt(db: Db, plant: string, id: string): Promise<StoredReceipt | null> {
  const row = await db.selectFrom('receipts').selectAll().where('plant', '=', plant).where('id', '=', id).executeTakeFirst();
  if (row === undefined) return null;
  return { id: row.id, item: row.item, quantity: row.quantity, expectedAt: toIso(row.expected_at), status: row.status };
}

export async function setReceiptStatus(db: Db, plant: string, id: string, status: ReceiptStatus, arrivedAt: string | null = null): Promise<boolean> {
  const result = await db.updateTable('receipts').set({ status, arrived_at: arrivedAt, updated_at: new Date() })
    .where('plant', '=', plant).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listExpectedReceipts(db: Db, plant: string): Promise<readonly ReceiptSpec[]> {
  const rows = await db.selectFrom('receipts').selectAll()
    .where('plant', '=', plant).where('status', '=', 'expected').orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, item: row.item, quantity: row.quantity, expectedAt: toIso(row.expected_at) }));
}
