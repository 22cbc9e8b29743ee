/**
 * The database: PostgreSQL through `pg` when a URL is given, else PGlite (Postgres in WASM)
 * persisted in `dataDir` (`:memory:` or `memory://` keeps it in memory, for tests). Both return
 * int8 as a JS number so that versions and counts read the same on either.
 */
import { mkdir } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import { KyselyPGlite } from 'kysely-pglite';
import pg from 'pg';
import type { Database } from './database.ts';
import { serializeDialect } from './serialized-driver.ts';

export interface DatabaseConfig {
  readonly databaseUrl?: string;
  readonly dataDir: string;
  /** Pool size for PostgreSQL (default 10). */
  readonly poolSize?: number;
}

const INT8_OID = 20;
const parseInt8 = (value: string): number => Number(value);

export async function openDatabase(config: DatabaseConfig): Promise<Kysely<Database>> {
  if (config.databaseUrl !== undefined && config.databaseUrl !== '') {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const inMemory = config.dataDir === ':memory:' || config.dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(config.dataDir, { recursive: true });
  const { dialect } = await KyselyPGlite.create(inMemory ? 'memory://' : config.dataDir, {
    parsers: { [INT8_OID]: parseInt8 },
  });
  return new Kysely<Database>({ dialect: serializeDialect(dialect) });
}
