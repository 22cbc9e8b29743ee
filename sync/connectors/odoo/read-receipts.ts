/**
 * Expected receipts: incoming `stock.move`s (operation type code `incoming`, into an internal
 * location) changed since the cursor. A confirmed purchase order creates exactly these moves,
 * and receipts that come from elsewhere are moves too, so moves are the one source (an RFQ's
 * `purchase.order.line` is no commitment yet). Moves deleted in Odoo leave no trace: the linked
 * receipts whose move no longer exists are cancelled.
 */
import type { ErpRecord } from '../connector.ts';
import { itemKey } from './keys.ts';
import { mapReceipt, RECEIPT_MOVE_FIELDS } from './map-stock.ts';
import { need, type ReadSession } from './read-session.ts';
import { m2oId } from './values.ts';

export async function readReceipts(s: ReadSession): Promise<readonly ErpRecord[]> {
  const moves = await s.page('stock.move.incoming', 'stock.move', [
    ...s.company, ['picking_type_id.code', '=', 'incoming'], ['location_dest_id.usage', '=', 'internal'],
  ], RECEIPT_MOVE_FIELDS);
  const products = await s.productsById(moves.flatMap((m) => { const id = m2oId(m.product_id); return id === null ? [] : [id]; }));
  const records: ErpRecord[] = [];
  for (const move of moves) {
    const product = products.get(m2oId(move.product_id) ?? -1);
    if (product === undefined) continue;
    const receipt = mapReceipt(move, itemKey(product));
    if (receipt.kind === 'expected') {
      records.push({ type: 'receipt.upserted', data: receipt.data, ref: receipt.ref, stamp: receipt.stamp, changedAt: receipt.changedAt });
    } else if (s.links.get('receipt', receipt.id) !== undefined) {
      records.push({ type: 'receipt.cancelled', data: { id: receipt.id, reason: receipt.reason }, ref: { move: move.id }, stamp: null, changedAt: receipt.changedAt });
    }
  }
  return [...records, ...await deletedReceipts(s, new Set(records.map((r) => String(r.data.id))))];
}

async function deletedReceipts(s: ReadSession, handled: ReadonlySet<string>): Promise<readonly ErpRecord[]> {
  const linked = s.links.keys('receipt').flatMap((key) => {
    const move = (s.links.get('receipt', key)?.ref as { move?: unknown } | null | undefined)?.move;
    return typeof move === 'number' && !handled.has(key) ? [{ key, move }] : [];
  });
  if (linked.length === 0) return [];
  const existing = new Set(need(await s.client.search('stock.move', [['id', 'in', linked.map((l) => l.move)], ...s.company])));
  return linked.filter((l) => !existing.has(l.move)).map((l) => ({
    type: 'receipt.cancelled', data: { id: l.key, reason: 'deleted in Odoo' }, ref: { move: l.move }, stamp: null, changedAt: s.now,
  }) satisfies ErpRecord);
}
