/**
 * API_MATERIAL_STOCK_SRV `A_MatlStkInAcctMod` (own stock of the plant: no special stock type)
 * and API_BATCH_SRV `Batch` (shelf-life expiration) → `lot.upserted`, source `wms`.
 *
 * One lot per material, batch and status, summed over storage locations: `MAT/BATCH` for the
 * usable quantity, `MAT/BATCH/held` and `MAT/BATCH/blocked` for the rest (a takt lot has one
 * status, an SAP batch may be split over stock types). Stock of materials not handled in batches
 * has no batch and is the lot `MAT`. A batch expires at the start of its shelf-life expiration
 * date, plant-local: takt should not plan to use it on that day. Lots read before and missing
 * from a complete snapshot were used up: they come back with quantity 0.
 */
import type { LotStatus } from '../../../scheduler/problem.ts';
import type { ErpRecord, LinkIndex } from '../connector.ts';
import type { ResolvedSapConfig } from './config.ts';
import { decimal, edmCalendarDate, text, type Entity } from './odata-values.ts';
import { fromWallClock, isoOf } from '../wall-clock.ts';

export interface SapLotRef {
  readonly material: string;
  readonly batch: string;
  readonly status: LotStatus;
}

export function lotId(material: string, batch: string, status: LotStatus): string {
  const base = batch === '' ? material : `${material}/${batch}`;
  return status === 'available' ? base : `${base}/${status}`;
}

/** Material + batch → shelf-life expiration date (`YYYY-MM-DD`), from API_BATCH_SRV. */
export function expiries(batches: readonly Entity[], productionPlant: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const batch of batches) {
    // Batches are unique per material (identifying plant empty) or per plant.
    const plant = text(batch, 'BatchIdentifyingPlant');
    if (plant !== '' && plant !== productionPlant) continue;
    const date = edmCalendarDate(batch.ShelfLifeExpirationDate);
    if (date !== null) map.set(`${text(batch, 'Material')}/${text(batch, 'Batch')}`, date);
  }
  return map;
}

export interface MappedStock {
  readonly records: readonly ErpRecord[];
  readonly materials: ReadonlyMap<string, string | null>;
}

type StockConfig = Pick<ResolvedSapConfig, 'stockTypes' | 'timeZone'>;

export function mapStock(
  rows: readonly Entity[], expiry: ReadonlyMap<string, string>, links: LinkIndex, complete: boolean, now: number, config: StockConfig,
): MappedStock {
  const lots = new Map<string, { ref: SapLotRef; quantity: number }>();
  const materials = new Map<string, string | null>();
  for (const row of rows) {
    const status = config.stockTypes[text(row, 'InventoryStockType')];
    if (status === undefined || text(row, 'InventorySpecialStockType') !== '') continue;
    const material = text(row, 'Material');
    const batch = text(row, 'Batch');
    materials.set(material, text(row, 'MaterialBaseUnit') || null);
    const id = lotId(material, batch, status);
    const lot = lots.get(id) ?? { ref: { material, batch, status }, quantity: 0 };
    lot.quantity += decimal(row, 'MatlWrhsStkQtyInMatlBaseUnit') ?? 0;
    lots.set(id, lot);
  }
  const records: ErpRecord[] = [...lots].map(([id, lot]) => {
    const date = expiry.get(`${lot.ref.material}/${lot.ref.batch}`);
    return {
      type: 'lot.upserted',
      source: 'wms',
      data: {
        id, item: lot.ref.material, quantity: Math.max(0, Math.round(lot.quantity * 1000) / 1000), status: lot.ref.status,
        ...(date !== undefined && { expiresAt: isoOf(fromWallClock(date, 0, config.timeZone)) }),
      },
      ref: lot.ref,
      changedAt: now,
    };
  });
  // Only a complete snapshot says what is gone.
  if (complete) {
    for (const id of links.keys('lot')) {
      const ref = links.get('lot', id)?.ref as SapLotRef | undefined;
      if (lots.has(id) || ref?.material === undefined) continue;
      records.push({ type: 'lot.upserted', source: 'wms', data: { id, item: ref.material, quantity: 0, status: ref.status }, ref, changedAt: now });
    }
  }
  return { records, materials };
}
