/** Applies the in-code migrations; the outcome is data (`takt migrate` prints it). */
import { Migrator, type MigrationResult, type MigrationProvider, type Migration } from 'kysely';
import type { Db } from './database.ts';
import { migrations } from './migrations/index.ts';

const provider: MigrationProvider = {
  getMigrations: async (): Promise<Record<string, Migration>> => ({ ...migrations }),
};

export type MigrateOutcome =
  | { readonly ok: true; readonly applied: readonly string[] }
  | { readonly ok: false; readonly failed: string | null; readonly message: string };

export async function migrateToLatest(db: Db): Promise<MigrateOutcome> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error !== undefined) {
    const failed = (results ?? []).find((r: MigrationResult) => r.status === 'Error')?.migrationName ?? null;
    return { ok: false, failed, message: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, applied };
}
