/**
 * Tryton's stock → takt's supply (pure). Field map:
 * - `stock.lot` → lot `<item>/<number>`: quantity on hand in the warehouse (the lot's
 *   `quantity` read with the warehouse as location), in the product's unit; expiry from
 *   `expiration_date` or `shelf_life_expiration_date`, the earlier (stock_lot_sled: expired from
 *   the start of that day). Tryton has no lot
 *   status or quality hold: every lot is available; holds come from the QMS through takt.
 * - stock of a product outside any lot → lot `<item>/on-hand`.
 * - an incoming move from a supplier into the warehouse, not yet done → receipt
 *   `<purchase>/<move id>` expected at the start of its `planned_date`; received or
 *   cancelled → the receipt is cancelled (received stock comes in through the lots).
 */
import type { ErpRecord } from '../connector.ts';
import { startOfLocalDay } from './dates.ts';
import { productKey, type TrytonProduct } from './map.ts';

export interface TrytonLot {
  readonly id: number; readonly number: string; readonly product: number; readonly quantity: number;
  readonly expirationDate: string | null; readonly changedAt: string;
}

export interface TrytonIncoming {
  readonly id: number; readonly product: number; readonly quantity: number; readonly state: string;
  readonly plannedDate: string | null; readonly purchase: string | null; readonly changedAt: string;
}

export const lotKey = (item: string, number: string): string => `${item}/${number}`;
export const onHandKey = (item: string): string => `${item}/on-hand`;
export const receiptKey = (move: Pick<TrytonIncoming, 'id' | 'purchase'>): string => (move.purchase === null ? `move-${move.id}` : `${move.purchase}/${move.id}`);
export const OPEN_MOVE_STATES: ReadonlySet<string> = new Set(['staging', 'draft', 'assigned']);

const itemOf = (products: ReadonlyMap<number, TrytonProduct>, id: number): string => {
  const product = products.get(id);
  return product === undefined ? `product-${id}` : productKey(product);
};

export function mapLot(lot: TrytonLot, products: ReadonlyMap<number, TrytonProduct>, timeZone: string): ErpRecord {
  const item = itemOf(products, lot.product);
  return {
    type: 'lot.upserted', source: 'wms',
    data: {
      id: lotKey(item, lot.number), item, quantity: Math.max(0, lot.quantity), status: 'available',
      ...(lot.expirationDate !== null && { expiresAt: new Date(startOfLocalDay(lot.expirationDate, timeZone)).toISOString() }),
    },
    ref: { lot: lot.id, product: lot.product }, changedAt: Date.parse(lot.changedAt),
  };
}

/** Stock of a product that no lot accounts for. */
export function mapOnHand(product: TrytonProduct, quantity: number, changedAt: number): ErpRecord {
  const item = productKey(product);
  return { type: 'lot.upserted', source: 'wms', data: { id: onHandKey(item), item, quantity: Math.max(0, quantity), status: 'available' }, ref: { product: product.id }, changedAt };
}

export function mapIncoming(move: TrytonIncoming, products: ReadonlyMap<number, TrytonProduct>, timeZone: string, now: number): ErpRecord {
  const id = receiptKey(move);
  if (!OPEN_MOVE_STATES.has(move.state)) {
    return {
      type: 'receipt.cancelled', data: { id, reason: move.state === 'done' ? 'received in Tryton' : `${move.state} in Tryton` },
      ref: { move: move.id }, memo: { open: false }, changedAt: Date.parse(move.changedAt),
    };
  }
  return {
    type: 'receipt.upserted',
    data: {
      id, item: itemOf(products, move.product), quantity: Math.max(0, move.quantity),
      expectedAt: new Date(move.plannedDate === null ? now : startOfLocalDay(move.plannedDate, timeZone)).toISOString(),
    },
    ref: { move: move.id }, memo: { open: true }, changedAt: Date.parse(move.changedAt),
  };
}
