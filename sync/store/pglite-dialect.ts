/**
 * Kysely on PGlite (PostgreSQL in WASM). PGlite is one session, so this driver hands it to one
 * holder at a time, a query or a whole transaction: two transactions sharing the session would
 * interleave their statements (one's ROLLBACK lost in the other's COMMIT). Code inside a
 * transaction must use the transaction handle, never `db`.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type QueryResult, type TransactionSettings,
} from 'kysely';

/** A queue of holders: `acquire` resolves, once the lock is ours, to the function that releases it. */
class Lock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

class PGliteDriver implements Driver {
  private readonly lock = new Lock();
  private readonly releases = new Map<DatabaseConnection, () => void>();

  constructor(private readonly client: PGlite, private readonly onClosed: () => Promise<void>) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.lock.acquire();
    // A fresh connection object per holder: the map key must be unique while held.
    const connection: DatabaseConnection = {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const result = await this.client.query<R>(query.sql, [...query.parameters]);
        // PGlite counts `affectedRows`; Kysely reads `numAffectedRows` (without it every update reports 0).
        return result.affectedRows === undefined ? { rows: result.rows } : { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) };
      },
      streamQuery: () => { throw new Error('PGlite does not stream query results'); },
    };
    this.releases.set(connection, release);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const level = settings.isolationLevel === undefined ? '' : ` isolation level ${settings.isolationLevel}`;
    await connection.executeQuery(CompiledQuery.raw(`begin${level}`));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.releases.get(connection);
    this.releases.delete(connection);
    release?.();
  }

  async destroy(): Promise<void> {
    try {
      await this.client.close();
    } finally {
      await this.onClosed();
    }
  }
}

/** `onClosed` runs once the database is closed (the data directory's lock is released). */
export function pgliteDialect(client: PGlite, onClosed: () => Promise<void> = async () => undefined): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PGliteDriver(client, onClosed),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
