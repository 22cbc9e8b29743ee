/**
 * One plan run per plant, refused at once: a run claims its plant before it reads or solves, so a
 * second run (a planner's click, a queued job, another worker) learns `busy` in milliseconds
 * instead of after a whole solve. The commit-time check in run-plan.ts stays the guarantee; the
 * claim only spares the wasted solve.
 *
 * In one process a set of plants is enough (PGlite is always one process). Across processes on
 * PostgreSQL the claim is a session-level advisory lock on a connection the process keeps: a
 * process that dies loses its connection and with it its claims, so a restarted worker never
 * waits out a lease.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/database.ts';
import { plantLockKey } from './advisory-lock.ts';

export interface PlanClaim {
  release(): Promise<void>;
}

export interface PlanGuard {
  /** The plant for one run, or null while another run holds it. */
  claim(plant: string): Promise<PlanClaim | null>;
  /** Gives back what the guard holds (the PostgreSQL guard's connection); before the database closes. */
  close(): Promise<void>;
}

/** 'tkrn' as an int4: apart from the commit's transaction lock, which the claim must not block. */
const RUN_NAMESPACE = 0x746b726e;

export function localPlanGuard(): PlanGuard {
  const running = new Set<string>();
  return {
    async claim(plant) {
      if (running.has(plant)) return null;
      running.add(plant);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          running.delete(plant);
        },
      };
    },
    close: async () => undefined,
  };
}

/**
 * The local guard first (no lock asked for a run this process already has), then an advisory
 * lock on one session of this process's own, which holds the locks of all its runs: one pooled
 * connection whatever the number of plants being planned (a connection per run could take the
 * whole pool and leave the runs none to read with). Only for PostgreSQL: on PGlite's single
 * session a held connection stops every other query.
 */
export function postgresPlanGuard(db: Db): PlanGuard {
  const local = localPlanGuard();
  const session = new LockSession(db);
  return {
    async claim(plant) {
      const localClaim = await local.claim(plant);
      if (localClaim === null) return null;
      const key = plantLockKey(plant);
      try {
        if (!(await session.query<{ locked: boolean }>(sql`select pg_try_advisory_lock(${RUN_NAMESPACE}::int4, ${key}::int4) as locked`))[0]?.locked) {
          await localClaim.release();
          return null;
        }
      } catch (error) {
        await localClaim.release();
        throw error;
      }
      return {
        async release() {
          // A lost session has dropped the lock already.
          await session.query(sql`select pg_advisory_unlock(${RUN_NAMESPACE}::int4, ${key}::int4)`).catch(() => undefined);
          await localClaim.release();
        },
      };
    },
    close: () => session.close(),
  };
}

/**
 * One connection kept from the pool, its statements one at a time. A failed statement ends the
 * session (its locks die with it on the server); the next statement opens a new one.
 */
class LockSession {
  private open: Promise<{ readonly connection: Db; readonly end: () => void; readonly ended: Promise<void> }> | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Db) {}

  query<R>(statement: RawBuilder<unknown>): Promise<R[]> {
    const run = this.tail.then(async () => {
      const { connection, end } = await this.connect();
      try {
        return (await statement.execute(connection)).rows as R[];
      } catch (error) {
        this.open = null;
        end();
        throw error;
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.tail;
    const open = this.open;
    this.open = null;
    if (open === null) return;
    const session = await open.catch(() => null);
    session?.end();
    await session?.ended;
  }

  private connect(): Promise<{ readonly connection: Db; readonly end: () => void; readonly ended: Promise<void> }> {
    this.open ??= new Promise((resolve, reject) => {
      let end!: () => void;
      const released = new Promise<void>((r) => { end = r; });
      const ended = this.db.connection().execute(async (connection) => {
        resolve({ connection, end, ended });
        await released;
      });
      ended.catch((error: unknown) => {
        this.open = null;
        reject(error);
      });
    });
    return this.open;
  }
}
