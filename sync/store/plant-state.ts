/**
 * Per-plant sync state. `generation` is bumped on every marking so that a plan run clears
 * `dirty` only when nothing arrived after the snapshot it solved.
 */
import { sql } from 'kysely';
import { toIso, type Db } from './database.ts';

/** `causes`: per plant, the event id that changed it (kept as the next plan run's correlation id). */
export async function markPlantsDirty(
  db: Db, plants: readonly string[], at: Date = new Date(), causes: ReadonlyMap<string, string> = new Map(),
): Promise<void> {
  for (const plant of [...new Set(plants)].sort()) {
    const cause = causes.get(plant) ?? null;
    await db.insertInto('plant_state')
      .values({ plant, dirty: true, dirty_since: at, last_event_at: at, generation: 1, cause_event: cause })
      .onConflict((oc) => oc.column('plant').doUpdateSet({
        dirty: true,
        dirty_since: sql`coalesce(plant_state.dirty_since, excluded.dirty_since)`,
        last_event_at: at,
        generation: sql`plant_state.generation + 1`,
        cause_event: sql`coalesce(excluded.cause_event, plant_state.cause_event)`,
      }))
      .execute();
  }
}

export interface PlantState {
  readonly plant: string;
  readonly dirty: boolean;
  readonly dirtySince: string | null;
  readonly lastEventAt: string | null;
  readonly generation: number;
  readonly lastVersion: number | null;
  readonly lastVersionAt: string | null;
  /** The event behind the plant's latest change. */
  readonly causeEvent: string | null;
}

export async function getPlantState(db: Db, plant: string): Promise<PlantState | null> {
  const row = await db.selectFrom('plant_state').selectAll().where('plant', '=', plant).executeTakeFirst();
  return row === undefined ? null : toState(row);
}

export async function listPlantStates(db: Db): Promise<readonly PlantState[]> {
  const rows = await db.selectFrom('plant_state').selectAll().orderBy('plant').execute();
  return rows.map(toState);
}

export async function listDirtyPlants(db: Db): Promise<readonly string[]> {
  const rows = await db.selectFrom('plant_state').select('plant').where('dirty', '=', true).orderBy('dirty_since').execute();
  return rows.map((r) => r.plant);
}

/** Clears `dirty` if the generation is still the one the run read; false if newer changes came in. */
export async function markPlantClean(db: Db, plant: string, generation: number): Promise<boolean> {
  const result = await db.updateTable('plant_state').set({ dirty: false, dirty_since: null })
    .where('plant', '=', plant).where('generation', '=', generation).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function recordScheduleVersion(db: Db, plant: string, version: number, at: Date = new Date()): Promise<void> {
  await db.insertInto('plant_state')
    .values({ plant, dirty: false, last_version: version, last_version_at: at })
    .onConflict((oc) => oc.column('plant').doUpdateSet({ last_version: version, last_version_at: at }))
    .execute();
}

function toState(row: {
  plant: string; dirty: boolean; dirty_since: Date | null; last_event_at: Date | null; generation: number;
  last_version: number | null; last_version_at: Date | null; cause_event: string | null;
}): PlantState {
  return {
    plant: row.plant,
    dirty: row.dirty,
    dirtySince: row.dirty_since === null ? null : toIso(row.dirty_since),
    lastEventAt: row.last_event_at === null ? null : toIso(row.last_event_at),
    generation: Number(row.generation),
    lastVersion: row.last_version,
    lastVersionAt: row.last_version_at === null ? null : toIso(row.last_version_at),
    causeEvent: row.cause_event,
  };
}
