/** Expected supply from the ERP; the WMS reports its arrival, after which it is a lot. */
import type { ReceiptSpec } from '../../scheduler/problem.ts';
import { toIso, type Db, type ReceiptStatus } from './database.ts';

export async function upsertReceipt(db: Db, plant: string, receipt: ReceiptSpec): Promise<void> {
  const row = { item: receipt.item, quantity: receipt.quantity, expected_at: receipt.expectedAt };
  await db
    .insertInto('receipts')
    .values({ plant, id: receipt.id, status: 'expected', ...row })
    // An arrived receipt stays arrived; an ERP update of a cancelled one re-opens it.
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet((eb) => ({
      ...row,
      status: eb.case().when('receipts.status', '=', 'arrived').then('arrived' as ReceiptStatus).else('expected' as ReceiptStatus).end(),
      updated_at: new Date(),
    })))
    .execute();
}

export interface StoredReceipt extends ReceiptSpec {
  readonly status: ReceiptStatus;
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
