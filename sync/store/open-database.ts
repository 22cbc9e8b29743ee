/**
 * The database: PostgreSQL through `pg` when a URL is given, else PGlite (Postgres in WASM)
 * persisted in `dataDir` (`:memory:` or `memory://` keeps it in memory, for tests). Both return
 * int8 as a JS number so that versions and counts read the same on either. A data directory is
 * opened by one process at a time (data-dir-lock.ts).
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import parseDate from 'postgres-date';
import type { Database } from './database.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { pgliteDialect } from './pglite-dialect.ts';

export interface DatabaseConfig {
  readonly databaseUrl?: string;
  readonly dataDir: string;
  /** Pool size for PostgreSQL (default 10). */
  readonly poolSize?: number;
}

const INT8_OID = 20;
const TIMESTAMPTZ_OID = 1184;
const parseInt8 = (value: string): number => Number(value);
// PGlite reads timestamptz with `new Date(text)`, which takes years 0-99 for 1900-1999; pg reads
// it with postgres-date, which does not. Both stores read with postgres-date: one event, one plan.
const pgliteOptions = { parsers: { [INT8_OID]: parseInt8, [TIMESTAMPTZ_OID]: parseDate } };

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
    // A connection that breaks (PostgreSQL restarted, a session terminated) fails its queries and
    // leaves the pool; unheard, its 'error' event (idle or checked out) would end the process.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const inMemory = config.dataDir === ':memory:' || config.dataDir.startsWith('memory://');
  if (inMemory) return new Kysely<Database>({ dialect: pgliteDialect(await PGlite.create('memory://', pgliteOptions)) });
  await mkdir(config.dataDir, { recursive: true });
  const lock = await lockDataDir(config.dataDir);
  try {
    const client = await PGlite.create(config.dataDir, pgliteOptions);
    const db = new Kysely<Database>({ dialect: pgliteDialect(client, lock.release) });
    // Kysely starts its driver on the first query and `destroy()` closes only a started one:
    // start it now, so that closing always closes PGlite and frees the directory.
    await sql`select 1`.execute(db);
    return db;
  } catch (error) {
    await lock.release();
    throw error;
  }
}
