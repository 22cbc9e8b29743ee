/**
 * takt's own policy per plant: whether a new schedule version is published at once (`auto`) or
 * proposed for a planner's approval (`approve`), what change of an order is worth writing
 * to the ERP, and what shop-floor reports it believes. Plants without a stored policy have the
 * defaults.
 */
import { toJson, type Db } from './database.ts';

export type Publishing = 'auto' | 'approve';

export interface WritebackPolicy {
  /** A planned start or end of an order that moved at least this much is written (minutes). */
  readonly orderMoveMinutes: number;
  /** The same for each operation (its start, end or work center). */
  readonly operationMoveMinutes: number;
  /**
   * Upper ranks of the dispatch-priority buckets: a rank change is written only when it crosses
   * one (e.g. the ERP's priority levels); empty: rank changes alone are never written.
   */
  readonly priorityBoundaries: readonly number[];
}

export interface ShopFloorPolicy {
  /**
   * How far an operation's reported good plus scrap quantity may exceed the order quantity, in
   * percent (shops start extra to cover scrap, as ERPs allow); beyond it the report is refused.
   */
  readonly overProductionPercent: number;
}

export interface PlantPolicy {
  readonly publishing: Publishing;
  readonly writeback: WritebackPolicy;
  readonly shopFloor: ShopFloorPolicy;
}

export const DEFAULT_POLICY: PlantPolicy = {
  publishing: 'auto',
  writeback: { orderMoveMinutes: 15, operationMoveMinutes: 15, priorityBoundaries: [10, 50, 200] },
  shopFloor: { overProductionPercent: 10 },
};

export async function getPlantPolicy(db: Db, plant: string): Promise<PlantPolicy> {
  const row = await db.selectFrom('plant_policies').select('policy').where('plant', '=', plant).executeTakeFirst();
  const stored = (row?.policy ?? {}) as Partial<PlantPolicy>;
  return {
    publishing: stored.publishing ?? DEFAULT_POLICY.publishing,
    writeback: { ...DEFAULT_POLICY.writeback, ...stored.writeback },
    shopFloor: { ...DEFAULT_POLICY.shopFloor, ...stored.shopFloor },
  };
}

/** A policy without `shopFloor` keeps the stored one (clients written before it existed). */
export async function setPlantPolicy(db: Db, plant: string, given: Omit<PlantPolicy, 'shopFloor'> & Partial<Pick<PlantPolicy, 'shopFloor'>>, by: string | null): Promise<void> {
  const policy: PlantPolicy = { ...given, shopFloor: given.shopFloor ?? (await getPlantPolicy(db, plant)).shopFloor };
  await db.insertInto('plant_policies').values({ plant, policy: toJson(policy), updated_by: by })
    .onConflict((oc) => oc.column('plant').doUpdateSet({ policy: toJson(policy), updated_by: by, updated_at: new Date() }))
    .execute();
}
