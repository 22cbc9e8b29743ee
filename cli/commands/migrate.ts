/** `takt migrate`: applies the database migrations and says which. */
import { migrateToLatest } from '../../sync/store/migrate.ts';
import { openDatabase } from '../../sync/store/open-database.ts';
import { readConfig } from '../config.ts';

export async function migrateCommand(_argv: readonly string[], print: (line: string) => void): Promise<number> {
  const config = readConfig(process.env);
  const db = await openDatabase({ ...(config.databaseUrl !== undefined && { databaseUrl: config.databaseUrl }), dataDir: config.dataDir });
  try {
    const outcome = await migrateToLatest(db);
    if (!outcome.ok) {
      print(`migration ${outcome.failed} failed: ${outcome.message}`);
      return 1;
    }
    print(outcome.applied.length === 0 ? 'the database is up to date' : `applied ${outcome.applied.join(', ')}`);
    return 0;
  } finally {
    await db.destroy();
  }
}
