/** What the bench reads from the service's database to know when work has settled. */
import { sql } from 'kysely';
import type { Db } from '../../sync/store/database.ts';

export interface PlantProgress {
  readonly dirty: boolean;
  readonly lastVersion: number | null;
}

export async function plantProgress(db: Db, plant: string): Promise<PlantProgress> {
  const row = await db.selectFrom('plant_state').select(['dirty', 'last_version']).where('plant', '=', plant).executeTakeFirst();
  return { dirty: row?.dirty ?? true, lastVersion: row?.last_version ?? null };
}

export async function pendingWritebacks(db: Db, plant: string): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('plant', '=', plant).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Write-backs a version queued for the ERP (pending or delivered; skipped and dead ones never arrive). */
export async function deliverableWritebacks(db: Db, plant: string, version: number): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('plant', '=', plant).where('schedule_version', '=', version).where('status', 'in', ['pending', 'delivered'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface VersionRun {
  readonly version: number;
  readonly createdAt: Date;
  /** Solver wall time (constructive + improvement). */
  readonly solveMs: number;
  readonly writebacks: number;
}

/** Schedule versions whose run started in [from, to) (created_at is the run's transaction start). */
export async function versionsBetween(db: Db, plant: string, from: Date, to: Date): Promise<readonly VersionRun[]> {
  const rows = await db.selectFrom('schedule_versions as v')
    .select([
      'v.version', 'v.created_at',
      sql<number>`(v.result->'stats'->>'constructiveMs')::float8 + (v.result->'stats'->>'improvementMs')::float8`.as('solve_ms'),
      sql<number>`(select count(*) from outbox o where o.plant = v.plant and o.schedule_version = v.version)`.as('writebacks'),
    ])
    .where('v.plant', '=', plant).where('v.created_at', '>=', from).where('v.created_at', '<', to)
    .orderBy('v.version').execute();
  return rows.map((r) => ({ version: r.version, createdAt: new Date(r.created_at), solveMs: Number(r.solve_ms), writebacks: Number(r.writebacks) }));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds; false when the time runs out (the caller reports it). */
export async function pollUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 10): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

/** The plant has no change waiting for a run and no write-back waiting for the ERP. */
export function settled(db: Db, plant: string, minVersion = 1): () => Promise<boolean> {
  return async () => {
    const progress = await plantProgress(db, plant);
    if (progress.dirty || (progress.lastVersion ?? 0) < minVersion) return false;
    return (await pendingWritebacks(db, plant)) === 0;
  };
}

/** Solver wall time of one version (constructive + improvement), from its stored stats. */
export async function versionSolveMs(db: Db, plant: string, version: number): Promise<number | null> {
  const row = await db.selectFrom('schedule_versions')
    .select(sql<number>`(result->'stats'->>'constructiveMs')::float8 + (result->'stats'->>'improvementMs')::float8`.as('solve_ms'))
    .where('plant', '=', plant).where('version', '=', version).executeTakeFirst();
  return row === undefined ? null : Number(row.solve_ms);
}
