/**
 * One plan run per plant, refused at once: a run claims its plant before it reads or solves, so a
 * second run (a planner's click, a queued job, another worker) learns `busy` in milliseconds
 * instead of after a whole solve. The commit-time check in run-plan.ts stays the guarantee; the
 * claim only spares the wasted solve.
 *
 * In one process a set of plants is enough (PGlite is always one process). Across processes on
 * PostgreSQL the claim is a session-level advisory lock held on its own connection for the run:
 * a process that dies loses its connection and with it the claim, so a restarted worker never
 * waits out a lease.
 */
import { sql } from 'kysely';
import type { Db } from '../store/database.ts';
import { plantLockKey } from './advisory-lock.ts';

export interface PlanClaim {
  release(): Promise<void>;
}

export interface PlanGuard {
  /** The plant for one run, or null while another run holds it. */
  claim(plant: string): Promise<PlanClaim | null>;
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
  };
}

/**
 * The local guard first (no connection spent on a run this process already has), then the
 * advisory lock. Only for PostgreSQL: on PGlite's single session a held connection stops every
 * other query.
 */
export function postgresPlanGuard(db: Db): PlanGuard {
  const local = localPlanGuard();
  return {
    async claim(plant) {
      const localClaim = await local.claim(plant);
      if (localClaim === null) return null;
      try {
        const held = await holdSessionLock(db, plant);
        if (held === null) await localClaim.release();
        return held === null ? null : {
          async release() {
            await held.release();
            await localClaim.release();
          },
        };
      } catch (error) {
        await localClaim.release();
        throw error;
      }
    },
  };
}

/** Keeps one pooled connection, holding the lock, until `release`; null when another session holds it. */
async function holdSessionLock(db: Db, plant: string): Promise<PlanClaim | null> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => { finish = resolve; });
  let answer!: (locked: boolean) => void;
  let fail!: (error: unknown) => void;
  const locked = new Promise<boolean>((resolve, reject) => { answer = resolve; fail = reject; });
  const key = plantLockKey(plant);
  const held = db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${RUN_NAMESPACE}::int4, ${key}::int4) as locked`.execute(connection);
    const ours = rows[0]?.locked === true;
    answer(ours);
    if (!ours) return;
    await finished;
    await sql`select pg_advisory_unlock(${RUN_NAMESPACE}::int4, ${key}::int4)`.execute(connection);
  });
  // A failure before the answer is the claim's; one at unlock is a lost connection, and the
  // server drops a lost session's locks.
  held.catch(fail);
  if (!(await locked)) return null;
  return {
    async release() {
      finish();
      await held.catch(() => undefined);
    },
  };
}
