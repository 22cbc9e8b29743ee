/**
 * API_PURCHASEORDER_PROCESS_SRV: open purchase order items of the plant (`A_PurchaseOrderItem`
 * with `to_ScheduleLine` expanded) → `receipt.upserted` per schedule line, id
 * `PO/ITEM/LINE`, expected at `ScheduleLineDeliveryDate` + `ScheduleLineDeliveryTime`
 * (plant-local), quantity the open one (`ScheduleLineOrderQuantity − RoughGoodsReceiptQty`),
 * in the material's base unit when the item gives the conversion
 * (`OrderItemQtyToBaseQtyNmrtr/Dnmntr`) or API_PRODUCT_SRV does.
 *
 * Read as a snapshot, not as a delta: a goods receipt does not change the purchase order's
 * `LastChangeDateTime`, so a delta would keep delivered quantities expected for ever. Lines
 * fully received, items deleted or completed, and linked receipts missing from a complete
 * snapshot → `receipt.cancelled` (the material is no longer on its way; what arrived is stock).
 */
import type { ErpRecord, LinkIndex } from '../connector.ts';
import type { ResolvedSapConfig } from './config.ts';
import { decimal, edmCalendarDate, edmTimeSeconds, flag, results, text, type Entity } from './odata-values.ts';
import { fromWallClock, isoOf } from '../wall-clock.ts';
import { toBaseUnit, type UnitTable } from './units.ts';

export function receiptId(item: Entity, line: Entity): string {
  return `${text(item, 'PurchaseOrder')}/${text(item, 'PurchaseOrderItem')}/${text(line, 'ScheduleLine')}`;
}

function baseQuantity(item: Entity, quantity: number, units: UnitTable): number {
  const numerator = decimal(item, 'OrderItemQtyToBaseQtyNmrtr');
  const denominator = decimal(item, 'OrderItemQtyToBaseQtyDnmntr');
  if (numerator !== null && denominator !== null && denominator !== 0) return Math.round((quantity * numerator / denominator) * 1000) / 1000;
  return toBaseUnit(quantity, text(item, 'PurchaseOrderQuantityUnit'), text(item, 'Material'), units).quantity;
}

export interface MappedReceipts {
  readonly records: readonly ErpRecord[];
  readonly materials: ReadonlyMap<string, string | null>;
}

export function mapReceipts(
  items: readonly Entity[], units: UnitTable, links: LinkIndex, complete: boolean, now: number, config: Pick<ResolvedSapConfig, 'timeZone'>,
): MappedReceipts {
  const records: ErpRecord[] = [];
  const seen = new Set<string>();
  const materials = new Map<string, string | null>();
  for (const item of items) {
    const material = text(item, 'Material');
    if (material === '' || flag(item, 'IsReturnsItem')) continue;
    const closed = flag(item, 'IsCompletelyDelivered') || text(item, 'PurchasingDocumentDeletionCode') !== '';
    materials.set(material, text(item, 'BaseUnit') || null);
    for (const line of results(item.to_ScheduleLine)) {
      const id = receiptId(item, line);
      seen.add(id);
      const open = (decimal(line, 'ScheduleLineOrderQuantity') ?? 0) - (decimal(line, 'RoughGoodsReceiptQty') ?? 0);
      const date = edmCalendarDate(line.ScheduleLineDeliveryDate);
      const ref = { purchaseOrder: text(item, 'PurchaseOrder'), item: text(item, 'PurchaseOrderItem'), scheduleLine: text(line, 'ScheduleLine') };
      if (closed || open <= 0 || date === null) {
        if (links.get('receipt', id) !== undefined) records.push({ type: 'receipt.cancelled', data: { id, reason: closed ? 'closed in SAP' : 'received in full' }, ref, changedAt: now });
        continue;
      }
      const expectedAt = isoOf(fromWallClock(date, edmTimeSeconds(line.ScheduleLineDeliveryTime) ?? 0, config.timeZone));
      records.push({ type: 'receipt.upserted', data: { id, item: material, quantity: baseQuantity(item, open, units), expectedAt }, ref, changedAt: now });
    }
  }
  if (complete) {
    for (const id of links.keys('receipt')) {
      if (!seen.has(id)) records.push({ type: 'receipt.cancelled', data: { id, reason: 'no longer open in SAP' }, changedAt: now });
    }
  }
  return { records, materials };
}
