/** Committed schedules, one numbered version per plan run. */
import type { Kpis, SolveResult } from '../../scheduler/result.ts';
import { toIso, toJson, type Db } from './database.ts';

export interface NewScheduleVersion {
  readonly plant: string;
  readonly now: string;
  readonly reason: string;
  readonly status: string;
  readonly kpis: Kpis;
  readonly result: SolveResult;
}

export interface StoredScheduleVersion extends NewScheduleVersion {
  readonly version: number;
  readonly createdAt: string;
}

/** Inserts the next version number for the plant (serialise runs per plant: advisory lock). */
export async function insertScheduleVersion(db: Db, version: NewScheduleVersion): Promise<number> {
  const last = await db.selectFrom('schedule_versions')
    .select((eb) => eb.fn.max('version').as('v')).where('plant', '=', version.plant).executeTakeFirst();
  const next = Number(last?.v ?? 0) + 1;
  await db.insertInto('schedule_versions').values({
    plant: version.plant,
    version: next,
    now: version.now,
    reason: version.reason,
    status: version.status,
    kpis: toJson(version.kpis),
    result: toJson(version.result),
  }).execute();
  return next;
}

/** The plant's newest version number, null before its first plan run. */
export async function latestVersionNumber(db: Db, plant: string): Promise<number | null> {
  const row = await db.selectFrom('schedule_versions').select((eb) => eb.fn.max('version').as('v')).where('plant', '=', plant).executeTakeFirst();
  return row?.v === null || row?.v === undefined ? null : Number(row.v);
}

export async function latestScheduleVersion(db: Db, plant: string): Promise<StoredScheduleVersion | null> {
  const row = await db.selectFrom('schedule_versions').selectAll()
    .where('plant', '=', plant).orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (row === undefined) return null;
  return {
    plant: row.plant,
    version: row.version,
    createdAt: toIso(row.created_at),
    now: toIso(row.now),
    reason: row.reason,
    status: row.status,
    kpis: row.kpis as Kpis,
    result: row.result as SolveResult,
  };
}
