/**
 * Committed schedules, one numbered version per plan run. A version is `published` (written
 * back, served to the MES) or, under a plant's `approve` policy, `proposed` until a planner
 * publishes or discards it; a newer proposal supersedes an older one.
 */
import type { Kpis, SolveResult } from '../../scheduler/result.ts';
import { toIso, toJson, type Db, type Row, type ScheduleState } from './database.ts';

export interface NewScheduleVersion {
  readonly plant: string;
  readonly now: string;
  readonly reason: string;
  readonly status: string;
  readonly kpis: Kpis;
  readonly result: SolveResult;
  /** Default `published`. */
  readonly state?: ScheduleState;
  /** The plant's generation the run read. */
  readonly generation?: number | null;
}

export interface StoredScheduleVersion extends NewScheduleVersion {
  readonly version: number;
  readonly createdAt: string;
  readonly state: ScheduleState;
  readonly generation: number | null;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
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
    state: version.state ?? 'published',
    generation: version.generation ?? null,
  }).execute();
  return next;
}

/** The plant's newest version number, null before its first plan run. */
export async function latestVersionNumber(db: Db, plant: string): Promise<number | null> {
  const row = await db.selectFrom('schedule_versions').select((eb) => eb.fn.max('version').as('v')).where('plant', '=', plant).executeTakeFirst();
  return row?.v === null || row?.v === undefined ? null : Number(row.v);
}

function fromRow(row: Row<'schedule_versions'>): StoredScheduleVersion {
  return {
    plant: row.plant,
    version: row.version,
    createdAt: toIso(row.created_at),
    now: toIso(row.now),
    reason: row.reason,
    status: row.status,
    kpis: row.kpis as Kpis,
    result: row.result as SolveResult,
    state: row.state,
    generation: row.generation,
    decidedAt: row.decided_at === null ? null : toIso(row.decided_at),
    decidedBy: row.decided_by,
  };
}

/** The plant's newest version in `state` (default: the published one, what the ERP and the MES see). */
export async function latestScheduleVersion(db: Db, plant: string, state: ScheduleState = 'published'): Promise<StoredScheduleVersion | null> {
  const row = await db.selectFrom('schedule_versions').selectAll()
    .where('plant', '=', plant).where('state', '=', state).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? null : fromRow(row);
}

export async function getScheduleVersion(db: Db, plant: string, version: number): Promise<StoredScheduleVersion | null> {
  const row = await db.selectFrom('schedule_versions').selectAll().where('plant', '=', plant).where('version', '=', version).executeTakeFirst();
  return row === undefined ? null : fromRow(row);
}

/** A planner's decision (or a newer proposal) on a proposed version; false if it was no longer proposed. */
export async function decideScheduleVersion(db: Db, plant: string, version: number, state: ScheduleState, by: string | null, at: Date): Promise<boolean> {
  const result = await db.updateTable('schedule_versions').set({ state, decided_by: by, decided_at: at })
    .where('plant', '=', plant).where('version', '=', version).where('state', '=', 'proposed').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Older proposals of the plant give way to a newer one. */
export async function supersedeProposals(db: Db, plant: string, before: number, at: Date): Promise<void> {
  await db.updateTable('schedule_versions').set({ state: 'superseded', decided_at: at })
    .where('plant', '=', plant).where('state', '=', 'proposed').where('version', '<', before).execute();
}
