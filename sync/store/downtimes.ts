/** Breakdowns reported by the MES: open with an expected end until the MES reports the end. */
import { toIso, type Db } from './database.ts';

export interface Breakdown {
  readonly id: string;
  readonly workCenter: string;
  readonly unit?: number;
  readonly start: string;
  /** Expected end while open, actual end once closed. */
  readonly end: string;
  readonly reason?: string;
  readonly open: boolean;
}

export async function startDowntime(db: Db, plant: string, downtime: Omit<Breakdown, 'open'>): Promise<void> {
  const row = {
    work_center: downtime.workCenter,
    unit: downtime.unit ?? null,
    start_at: downtime.start,
    end_at: downtime.end,
    reason: downtime.reason ?? null,
    open: true,
  };
  await db.insertInto('downtimes').values({ plant, id: downtime.id, ...row })
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
}

/** The start of each of these downtimes the plant has, by id. */
export async function getDowntimeStarts(db: Db, plant: string, ids: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('downtimes').select(['id', 'start_at']).where('plant', '=', plant).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, toIso(r.start_at)]));
}

/** False when the plant has no such downtime. */
export async function endDowntime(db: Db, plant: string, id: string, end: string): Promise<boolean> {
  const result = await db.updateTable('downtimes').set({ open: false, end_at: end, updated_at: new Date() })
    .where('plant', '=', plant).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Open breakdowns, and closed ones that end after `after`. */
export async function listRelevantDowntimes(db: Db, plant: string, after: string): Promise<readonly Breakdown[]> {
  const rows = await db.selectFrom('downtimes').selectAll()
    .where('plant', '=', plant)
    .where((eb) => eb.or([eb('open', '=', true), eb('end_at', '>', new Date(after))]))
    .orderBy('work_center').orderBy('start_at').orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    workCenter: row.work_center,
    ...(row.unit !== null && { unit: row.unit }),
    start: toIso(row.start_at),
    end: toIso(row.end_at),
    ...(row.reason !== null && { reason: row.reason }),
    open: row.open,
  }));
}
