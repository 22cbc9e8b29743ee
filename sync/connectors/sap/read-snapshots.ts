/**
 * Fetching what is read as a whole rather than as a delta: the plant's work centers with their
 * capacities and shifts, its own stock with the batches' shelf life, its open purchase order
 * items with their schedule lines, and the units of measure of the materials named.
 */
import type { ResolvedSapConfig } from './config.ts';
import type { ODataFailure, ODataSession } from './odata-client.ts';
import { quote, text, type Entity } from './odata-values.ts';
import { readKeyset, readSkipping, type PageBudget } from './paging.ts';
import { unitsOfProduct, type UnitsOfMaterial } from './units.ts';

export type Snapshot =
  | { readonly ok: true; readonly entities: readonly Entity[]; readonly complete: boolean }
  | { readonly ok: false; readonly failure: ODataFailure };

export function readWorkCenters(session: ODataSession, config: ResolvedSapConfig, root: string, budget: PageBudget): Promise<Snapshot> {
  return readSkipping(session, root, 'A_WorkCenters', {
    // Type A: work centers (other CIM resource types are not scheduled here).
    $filter: `Plant eq ${quote(config.productionPlant)} and WorkCenterTypeCode eq 'A'`,
    $expand: 'to_Capacity/to_CapacityInterval/to_CapacityShift',
  }, config.pageSize, budget);
}

export function readStock(session: ODataSession, config: ResolvedSapConfig, root: string, budget: PageBudget): Promise<Snapshot> {
  return readSkipping(session, root, 'A_MatlStkInAcctMod', {
    // Own stock only: consignment, sales order and project stock are not free to plan with.
    $filter: `Plant eq ${quote(config.productionPlant)} and InventorySpecialStockType eq ''`,
    $select: 'Material,Plant,StorageLocation,Batch,InventoryStockType,InventorySpecialStockType,MaterialBaseUnit,MatlWrhsStkQtyInMatlBaseUnit',
  }, config.pageSize, budget);
}

const CHUNK = 10;

/** API_BATCH_SRV `Batch` entries of the given material/batch pairs, a few per request. */
export async function readBatches(
  session: ODataSession, root: string, pairs: readonly (readonly [string, string])[], budget: PageBudget,
): Promise<Snapshot> {
  const entities: Entity[] = [];
  for (let i = 0; i < pairs.length; i += CHUNK) {
    if (!budget.take()) return { ok: true, entities, complete: false };
    const chunk = pairs.slice(i, i + CHUNK);
    const answer = await session.page(session.url(root, 'Batch', {
      $filter: chunk.map(([material, batch]) => `(Material eq ${quote(material)} and Batch eq ${quote(batch)})`).join(' or '),
      $select: 'Material,BatchIdentifyingPlant,Batch,ShelfLifeExpirationDate',
    }));
    if (!answer.ok) return answer;
    entities.push(...answer.page.results);
  }
  return { ok: true, entities, complete: true };
}

export async function readOpenPurchaseItems(session: ODataSession, config: ResolvedSapConfig, root: string, budget: PageBudget): Promise<Snapshot> {
  const read = await readKeyset(session, {
    root,
    path: 'A_PurchaseOrderItem',
    filter: `Plant eq ${quote(config.productionPlant)} and IsCompletelyDelivered eq false and PurchasingDocumentDeletionCode eq ''`,
    order: ['PurchaseOrder', 'PurchaseOrderItem'],
    literal: (entity, field) => quote(text(entity, field)),
    options: { $expand: 'to_ScheduleLine' },
    pageSize: config.pageSize,
  }, null, budget);
  return read.ok ? { ok: true, entities: read.entities, complete: read.complete } : read;
}

export type UnitsRead =
  /** `asked`: the materials SAP was asked about (fewer than given when the budget ran out). */
  | { readonly ok: true; readonly units: ReadonlyMap<string, UnitsOfMaterial>; readonly asked: readonly string[] }
  | { readonly ok: false; readonly failure: ODataFailure };

/** API_PRODUCT_SRV: base unit and alternative units of each material. */
export async function readUnits(session: ODataSession, root: string, materials: readonly string[], budget: PageBudget): Promise<UnitsRead> {
  const units = new Map<string, UnitsOfMaterial>();
  const asked: string[] = [];
  for (let i = 0; i < materials.length; i += CHUNK * 2) {
    if (!budget.take()) break;
    const chunk = materials.slice(i, i + CHUNK * 2);
    asked.push(...chunk);
    const answer = await session.page(session.url(root, 'A_Product', {
      $filter: chunk.map((m) => `Product eq ${quote(m)}`).join(' or '),
      $select: 'Product,BaseUnit,to_ProductUnitsOfMeasure/AlternativeUnit,to_ProductUnitsOfMeasure/QuantityNumerator,to_ProductUnitsOfMeasure/QuantityDenominator',
      $expand: 'to_ProductUnitsOfMeasure',
    }));
    if (!answer.ok) return answer;
    for (const product of answer.page.results) units.set(text(product, 'Product'), unitsOfProduct(product));
  }
  return { ok: true, units, asked };
}
