/**
 * Stock per lot. A lot's quantity is the sum of its quants in the company's internal
 * locations, so a change anywhere means summing that product and lot again. What changed is
 * found three ways, because Odoo deletes quants that drop to zero (they leave no trace):
 * quants changed since the cursor, done move lines (every stock change is one), and lots whose
 * record changed (an expiry date).
 */
import type { ErpRecord } from '../connector.ts';
import { itemKey } from './keys.ts';
import { mapLot, QUANT_FIELDS } from './map-stock.ts';
import { need, type ReadSession } from './read-session.ts';
import { laterOf, m2oId, odooDatetime, type OdooRecord } from './values.ts';

/** What a connection learns once about the database it reads. */
export interface ReadMemory {
  /** `stock.lot.expiration_date` exists (product_expiry installed). */
  expiry?: boolean;
}

const INTERNAL = ['location_id.usage', '=', 'internal'];

export async function readStock(s: ReadSession, memory: ReadMemory): Promise<readonly ErpRecord[]> {
  const touched = new Map<string, { product: number; lot: number | null; at: string | null }>();
  const touch = (r: OdooRecord, product: number | null, lot: number | null) => {
    if (product === null) return;
    const key = `${product}:${lot ?? ''}`;
    touched.set(key, { product, lot, at: laterOf(touched.get(key)?.at ?? null, odooDatetime(r.write_date)) });
  };
  for (const q of await s.page('stock.quant', 'stock.quant', [...s.company, INTERNAL], ['product_id', 'lot_id'])) touch(q, m2oId(q.product_id), m2oId(q.lot_id));
  for (const l of await s.page('stock.move.line', 'stock.move.line', [...s.company, ['state', '=', 'done']], ['product_id', 'lot_id'])) touch(l, m2oId(l.product_id), m2oId(l.lot_id));
  for (const l of await s.page('stock.lot', 'stock.lot', s.companyOrShared, ['product_id'])) touch(l, m2oId(l.product_id), l.id as number);
  if (touched.size === 0) return [];

  if (memory.expiry === undefined) memory.expiry = 'expiration_date' in need(await s.client.fieldsGet('stock.lot', ['expiration_date']));
  const productIds = [...new Set([...touched.values()].map((t) => t.product))].sort((a, b) => a - b);
  const quants = await s.all('stock.quant', [...s.company, INTERNAL, ['product_id', 'in', productIds]], QUANT_FIELDS, 'id');
  const lotIds = [...new Set([...touched.values()].flatMap((t) => (t.lot === null ? [] : [t.lot])))].sort((a, b) => a - b);
  const lotFields = ['name', 'product_id', 'write_date', ...(memory.expiry ? ['expiration_date'] : [])];
  const lots = new Map((lotIds.length === 0 ? [] : need(await s.client.read('stock.lot', lotIds, lotFields))).map((l) => [l.id as number, l]));
  const products = await s.productsById(productIds);

  const records: ErpRecord[] = [];
  for (const { product, lot, at } of [...touched.values()].sort((a, b) => a.product - b.product || (a.lot ?? 0) - (b.lot ?? 0))) {
    const productRecord = products.get(product);
    if (productRecord === undefined) continue;
    const item = itemKey(productRecord);
    const lotRecord = lot === null ? null : lots.get(lot) ?? null;
    if (lot !== null && lotRecord === null) continue;
    const mapped = mapLot({
      item,
      productId: product,
      lot: lotRecord,
      quants: quants.filter((q) => m2oId(q.product_id) === product && m2oId(q.lot_id) === lot),
      expiry: memory.expiry,
      touched: at,
    });
    // Stock that was never there and still is not: nothing to tell.
    if (mapped.data.quantity === 0 && s.links.get('lot', mapped.data.id) === undefined) continue;
    records.push({ type: 'lot.upserted', source: 'wms', data: mapped.data, ref: mapped.ref, stamp: mapped.stamp, changedAt: mapped.changedAt });
  }
  return records;
}
