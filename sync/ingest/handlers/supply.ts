/** Supply: expected receipts (ERP), lots and arrivals (WMS). */
import { upsertLot } from '../../store/lots.ts';
import { getReceipt, setReceiptStatus, upsertReceipt } from '../../store/receipts.ts';
import { requireKnown, unknownReference, type EventHandler } from './handler.ts';

export const receiptUpserted: EventHandler<'receipt.upserted'> = {
  object: (d) => ({ kind: 'receipt', key: d.id }),
  async apply({ db, plant }, d) {
    const missing = await requireKnown(db, plant, 'items', [{ key: d.item, field: 'data.item' }]);
    if (missing) return missing;
    await upsertReceipt(db, plant, d);
    return null;
  },
};

export const receiptCancelled: EventHandler<'receipt.cancelled'> = {
  object: (d) => ({ kind: 'receipt', key: d.id }),
  async apply({ db, plant }, d) {
    const found = await setReceiptStatus(db, plant, d.id, 'cancelled');
    return found ? null : unknownReference('receipt', d.id, 'data.id');
  },
};

export const lotUpserted: EventHandler<'lot.upserted'> = {
  object: (d) => ({ kind: 'lot', key: d.id }),
  async apply({ db, plant }, d) {
    const missing = await requireKnown(db, plant, 'items', [{ key: d.item, field: 'data.item' }]);
    if (missing) return missing;
    await upsertLot(db, plant, d);
    return null;
  },
};

/** The receipt is no longer expected supply: it is an available lot. */
export const receiptArrived: EventHandler<'receipt.arrived'> = {
  object: (d) => ({ kind: 'receipt', key: d.receipt }),
  async apply({ db, plant, event }, d) {
    const receipt = await getReceipt(db, plant, d.receipt);
    if (receipt === null) return unknownReference('receipt', d.receipt, 'data.receipt');
    await upsertLot(db, plant, {
      id: d.lot ?? receipt.id,
      item: receipt.item,
      quantity: d.quantity ?? receipt.quantity,
      status: 'available',
      ...(d.expiresAt !== undefined && { expiresAt: d.expiresAt }),
    }, receipt.id);
    await setReceiptStatus(db, plant, receipt.id, 'arrived', d.arrivedAt ?? event.occurredAt);
    return null;
  },
};
