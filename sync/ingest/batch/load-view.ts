/** Loads a batch's view: per plant, one query per table the batch's events look into. */
import type { Db } from '../../store/database.ts';
import { getDowntimeStarts } from '../../store/downtimes.ts';
import { listProgressOfOrders, type ProgressRecord } from '../../store/operation-progress.ts';
import { DEFAULT_POLICY, getPlantPolicy } from '../../store/plant-policies.ts';
import { existingKeys } from '../../store/references.ts';
import { getReceipts } from '../../store/receipts.ts';
import { getWorkCenterUnitsOf } from '../../store/work-centers.ts';
import { getRoutedOrders } from '../../store/work-orders.ts';
import type { BatchNeeds, KeyTable, PlantNeeds } from './needs.ts';
import { BatchView, PlantView, type PlantSnapshot, type ReceiptFacts } from './view.ts';

async function existingPlants(db: Db, plants: readonly string[]): Promise<Set<string>> {
  if (plants.length === 0) return new Set();
  const rows = await db.selectFrom('plants').select('id').where('id', 'in', plants).execute();
  return new Set(rows.map((r) => r.id));
}

/** Every wanted key, answered from what was found (`null`: the plant lacks it). */
function answer<V>(wanted: Iterable<string>, found: ReadonlyMap<string, V>): Map<string, V | null> {
  return new Map([...wanted].map((key) => [key, found.get(key) ?? null]));
}

const shopFloorOf = async (db: Db, plant: string) => (await getPlantPolicy(db, plant)).shopFloor;
const stored = { existingKeys, getRoutedOrders, getDowntimeStarts, getReceipts, listProgressOfOrders, getWorkCenterUnitsOf, shopFloorOf };

/** A plant not in the database has no rows: every wanted key is missing, no query needed. */
const nothingStored: typeof stored = {
  existingKeys: async () => new Set(),
  getRoutedOrders: async () => new Map(),
  getDowntimeStarts: async () => new Map(),
  shopFloorOf: async () => DEFAULT_POLICY.shopFloor,
  getReceipts: async () => new Map(),
  listProgressOfOrders: async () => [],
  getWorkCenterUnitsOf: async () => new Map(),
};

async function loadPlant(db: Db, plant: string, needs: PlantNeeds, exists: boolean): Promise<PlantSnapshot> {
  const store = exists ? stored : nothingStored;
  const keys = new Map<KeyTable, Map<string, boolean>>();
  for (const [table, wanted] of needs.keys) {
    const found = await store.existingKeys(db, table, plant, wanted);
    keys.set(table, new Map([...wanted].map((key) => [key, found.has(key)])));
  }
  const routed = await store.getRoutedOrders(db, plant, needs.routings);
  const routings = answer(needs.routings, new Map([...routed].map(([id, order]) => [id, order.steps])));
  const orders = answer(needs.routings, new Map([...routed].map(([id, order]) => [id, order.facts])));
  const downtimeIds = needs.keys.get('downtimes') ?? new Set<string>();
  const downtimeStarts = answer(downtimeIds, await store.getDowntimeStarts(db, plant, downtimeIds));
  // Only shop-floor reports read the policy.
  const shopFloor = needs.progressOf.size > 0 ? await store.shopFloorOf(db, plant) : DEFAULT_POLICY.shopFloor;
  const receipts = answer<ReceiptFacts>(needs.receipts, await store.getReceipts(db, plant, needs.receipts));
  const progress = new Map<string, Map<string, ProgressRecord>>([...needs.progressOf].map((wo) => [wo, new Map()]));
  const workCenters = new Set(needs.workCenters);
  for (const record of await store.listProgressOfOrders(db, plant, needs.progressOf)) {
    progress.get(record.workOrder)?.set(record.operation, record);
    // A progress report without a machine falls back to the stored one, whose units it checks.
    if (record.workCenter !== null) workCenters.add(record.workCenter);
  }
  const workCenterUnits = answer(workCenters, await store.getWorkCenterUnitsOf(db, plant, workCenters));
  return { keys, workCenterUnits, routings, orders, downtimeStarts, shopFloor, receipts, progress };
}

export async function loadBatchView(db: Db, needs: BatchNeeds): Promise<BatchView> {
  const plants = await existingPlants(db, [...needs.plants.keys()]);
  const views = new Map<string, PlantView>();
  for (const [plant, plantNeeds] of needs.plants) views.set(plant, new PlantView(await loadPlant(db, plant, plantNeeds, plants.has(plant))));
  return new BatchView(plants, views);
}
