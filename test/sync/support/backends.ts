/**
 * The two databases every store test runs against: PGlite in memory and a fresh PostgreSQL
 * database (dropped afterwards). Each opened and migrated once per test file.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from '../../../sync/store/database.ts';
import { openDatabase } from '../../../sync/store/open-database.ts';
import { migrateToLatest } from '../../../sync/store/migrate.ts';

export const ADMIN_URL = process.env.TAKT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestBackend {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<Kysely<Database>>;
  close(): Promise<void>;
}

/** The admin URL pointed at another database of the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function pgliteBackend(): TestBackend {
  let db: Kysely<Database> | undefined;
  return {
    name: 'pglite',
    async open() {
      db = await openDatabase({ dataDir: ':memory:' });
      const migrated = await migrateToLatest(db);
      if (!migrated.ok) throw new Error(`migration failed: ${migrated.message}`);
      return db;
    },
    async close() {
      await db?.destroy();
    },
  };
}

export function postgresBackend(): TestBackend {
  const database = `takt_test_${randomBytes(6).toString('hex')}`;
  let db: Kysely<Database> | undefined;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try { await client.query(statement); } finally { await client.end(); }
  };
  return {
    name: 'postgres',
    async open() {
      await admin(`create database ${database}`);
      db = await openDatabase({ databaseUrl: withDatabase(ADMIN_URL, database), dataDir: ':memory:', poolSize: 4 });
      const migrated = await migrateToLatest(db);
      if (!migrated.ok) throw new Error(`migration failed: ${migrated.message}`);
      return db;
    },
    async close() {
      await db?.destroy();
      // The pool's sockets close a moment after `destroy`; forcing the drop before that would
      // terminate them mid-close, an error no listener catches. Wait for them, then force.
      for (let attempt = 0; attempt < 40; attempt++) {
        try {
          await admin(`drop database if exists ${database}`);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      await admin(`drop database if exists ${database} with (force)`);
    },
  };
}

export const backends: readonly (() => TestBackend)[] = [pgliteBackend, postgresBackend];
