/**
 * Stock and expected supply:
 * - `stock.quant` of the company's internal locations, summed per product and lot →
 *   `lot.upserted` (source `wms`, status available). `quantity` is on hand in the product's
 *   unit (reservations are Odoo's own allocation; takt allocates itself). Expiry is
 *   `stock.lot.expiration_date`, a field of the product_expiry module: without it, no expiry.
 *   Stock without lot tracking is one lot per product.
 * - open incoming `stock.move` (receipt operation type) → `receipt.upserted`: the quantity still
 *   to come (`product_qty`, already in the product's unit) at the scheduled `date`. A move that
 *   is done or cancelled is no longer expected supply: what arrived is counted from the quants.
 */
import { lotKey, receiptKey } from './keys.ts';
import { laterOf, num, odooDatetime, odooMs, odooToIso, text, type OdooRecord } from './values.ts';

export const QUANT_FIELDS = ['product_id', 'lot_id', 'location_id', 'quantity', 'company_id', 'write_date'] as const;
export const RECEIPT_MOVE_FIELDS = ['reference', 'product_id', 'product_qty', 'date', 'state', 'company_id', 'write_date'] as const;

export interface LotRef {
  readonly product: number;
  readonly lot: number | null;
}

export interface LotInput {
  readonly item: string;
  readonly productId: number;
  /** The `stock.lot` record; null for untracked stock. */
  readonly lot: OdooRecord | null;
  /** The pair's quants in internal locations of the company. */
  readonly quants: readonly OdooRecord[];
  /** Whether `stock.lot` has `expiration_date` (product_expiry installed). */
  readonly expiry: boolean;
  /** The latest change seen that touched this stock (a quant, a done move line, the lot). */
  readonly touched: string | null;
}

export function mapLot(input: LotInput) {
  const quantity = input.quants.reduce((sum, q) => sum + num(q.quantity), 0);
  const expiresAt = input.expiry && input.lot !== null ? odooToIso(input.lot.expiration_date) : null;
  const stamp = [...input.quants.map((q) => odooDatetime(q.write_date)), input.lot === null ? null : odooDatetime(input.lot.write_date), input.touched]
    .reduce<string | null>(laterOf, null);
  const lotName = input.lot === null ? null : text(input.lot.name) ?? `lot-${String(input.lot.id)}`;
  return {
    data: {
      id: lotKey(input.item, lotName),
      item: input.item,
      // Odoo allows negative quants (sold before received); there is no negative stock to plan with.
      quantity: Math.max(0, Number(quantity.toFixed(6))),
      status: 'available' as const,
      ...(expiresAt !== null && { expiresAt }),
    },
    ref: { product: input.productId, lot: input.lot === null ? null : num(input.lot.id) } satisfies LotRef,
    stamp,
    changedAt: odooMs(stamp) ?? 0,
  };
}

export type MappedReceipt =
  | {
    readonly kind: 'expected';
    readonly data: { readonly id: string; readonly item: string; readonly quantity: number; readonly expectedAt: string };
    readonly ref: { readonly move: number };
    readonly stamp: string | null;
    readonly changedAt: number;
  }
  | { readonly kind: 'gone'; readonly id: string; readonly reason: string; readonly changedAt: number };

const GONE: Readonly<Record<string, string>> = {
  done: 'received in Odoo (now counted as stock)',
  cancel: 'cancelled in Odoo',
  draft: 'back in draft in Odoo',
};

export function mapReceipt(move: OdooRecord, item: string): MappedReceipt {
  const id = receiptKey(move);
  const stamp = odooDatetime(move.write_date);
  const changedAt = odooMs(stamp) ?? 0;
  const gone = GONE[text(move.state) ?? 'draft'];
  const expectedAt = odooToIso(move.date);
  if (gone !== undefined) return { kind: 'gone', id, reason: gone, changedAt };
  if (expectedAt === null) return { kind: 'gone', id, reason: 'no scheduled date in Odoo', changedAt };
  return {
    kind: 'expected',
    data: { id, item, quantity: Math.max(0, Number(num(move.product_qty).toFixed(6))), expectedAt },
    ref: { move: num(move.id) },
    stamp,
    changedAt,
  };
}
