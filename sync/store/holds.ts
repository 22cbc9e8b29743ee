import type { HoldSpec } from '../../scheduler/problem.ts';
import type { Db } from './database.ts';

export async function placeHold(db: Db, plant: string, hold: HoldSpec, placedAt: string): Promise<void> {
  const row = {
    target_kind: hold.target.kind,
    target_id: hold.target.id,
    reason: hold.reason ?? null,
    active: true,
    placed_at: placedAt,
    released_at: null,
  };
  await db.insertInto('holds').values({ plant, id: hold.id, ...row })
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet(row))
    .execute();
}

/** False when the plant has no such hold. */
export async function releaseHold(db: Db, plant: string, id: string, releasedAt: string): Promise<boolean> {
  const result = await db.updateTable('holds').set({ active: false, released_at: releasedAt })
    .where('plant', '=', plant).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listActiveHolds(db: Db, plant: string): Promise<readonly HoldSpec[]> {
  const rows = await db.selectFrom('holds').selectAll()
    .where('plant', '=', plant).where('active', '=', true).orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    target: { kind: row.target_kind, id: row.target_id },
    ...(row.reason !== null && { reason: row.reason }),
  }));
}
