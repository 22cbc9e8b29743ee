/**
 * PGlite is one session. kysely-pglite's driver hands that same session to every caller, so two
 * concurrent transactions interleave their statements (one's ROLLBACK is lost in the other's
 * COMMIT). This wrapper hands the session to one holder at a time: a query or a whole
 * transaction. Code inside a transaction must use the transaction handle, never `db`.
 */
import type { DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';

/**
 * kysely-pglite passes PGlite's result through, whose count is `affectedRows`; Kysely reads
 * `numAffectedRows` (bigint), so without this every update would report 0 rows.
 */
function withAffectedRows<R>(result: QueryResult<R>): QueryResult<R> {
  const affected = (result as { affectedRows?: unknown }).affectedRows;
  if (result.numAffectedRows !== undefined || typeof affected !== 'number') return result;
  return { ...result, numAffectedRows: BigInt(affected) };
}

class Lock {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves, once the lock is ours, to the function that releases it. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

class SerializedDriver implements Driver {
  private readonly lock = new Lock();
  private readonly releases = new Map<DatabaseConnection, () => void>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> { return this.inner.init(); }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.lock.acquire();
    try {
      const connection = await this.inner.acquireConnection();
      // A fresh wrapper per holder: the map key must be unique while held.
      const held: DatabaseConnection = {
        executeQuery: async (query) => withAffectedRows(await connection.executeQuery(query)),
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      };
      this.releases.set(held, release);
      return held;
    } catch (error) {
      release();
      throw error;
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.releases.get(connection);
    this.releases.delete(connection);
    release?.();
  }

  destroy(): Promise<void> { return this.inner.destroy(); }
}

export function serializeDialect(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new SerializedDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
