/** Supply: expected receipts (ERP), lots and arrivals (WMS). */
import { needKeys, requireKnown, unknownReference, type EventHandler } from './handler.ts';

const itemOf = (d: { readonly item: string }) => [{ key: d.item, field: 'data.item' }];

export const receiptUpserted: EventHandler<'receipt.upserted'> = {
  object: (d) => ({ kind: 'receipt', key: d.id }),
  needs: (d, needs) => needKeys(needs, 'items', itemOf(d)),
  plan({ view, plant }, d) {
    return requireKnown(view, 'items', itemOf(d)) ?? [{ kind: 'receipt', plant, receipt: d }];
  },
};

export const receiptCancelled: EventHandler<'receipt.cancelled'> = {
  object: (d) => ({ kind: 'receipt', key: d.id }),
  needs: (d, needs) => needs.receipt(d.id),
  plan({ view, plant }, d) {
    if (view.receipt(d.id) === null) return unknownReference('receipt', d.id, 'data.id');
    return [{ kind: 'receipt-status', plant, id: d.id, status: 'cancelled', arrivedAt: null }];
  },
};

export const lotUpserted: EventHandler<'lot.upserted'> = {
  object: (d) => ({ kind: 'lot', key: d.id }),
  needs: (d, needs) => needKeys(needs, 'items', itemOf(d)),
  plan({ view, plant }, d) {
    return requireKnown(view, 'items', itemOf(d)) ?? [{ kind: 'lot', plant, lot: d, receipt: null }];
  },
};

/** The receipt is no longer expected supply: it is an available lot. */
export const receiptArrived: EventHandler<'receipt.arrived'> = {
  object: (d) => ({ kind: 'receipt', key: d.receipt }),
  needs: (d, needs) => needs.receipt(d.receipt),
  plan({ view, plant, event }, d) {
    const receipt = view.receipt(d.receipt);
    if (receipt === null) return unknownReference('receipt', d.receipt, 'data.receipt');
    return [
      {
        kind: 'lot',
        plant,
        lot: {
          id: d.lot ?? d.receipt,
          item: receipt.item,
          quantity: d.quantity ?? receipt.quantity,
          status: 'available',
          ...(d.expiresAt !== undefined && { expiresAt: d.expiresAt }),
        },
        receipt: d.receipt,
      },
      { kind: 'receipt-status', plant, id: d.receipt, status: 'arrived', arrivedAt: d.arrivedAt ?? event.occurredAt },
    ];
  },
};
