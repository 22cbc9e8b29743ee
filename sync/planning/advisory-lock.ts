/**
 * One plan run per plant across every worker: a transaction-scoped Postgres advisory lock
 * (PGlite has them too), keyed by a fixed namespace and a 32-bit hash of the plant id. The
 * `try` form never waits: a busy plant is reported, and the job comes back later.
 */
import { sql } from 'kysely';
import type { Db } from '../store/database.ts';

/** 'takt' as an int4: keeps our keys apart from other users of advisory locks. */
const NAMESPACE = 0x74616b74;

/** FNV-1a, 32 bits, as a signed int4. */
export function plantLockKey(plant: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(plant)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** Must run inside a transaction; the lock is released when it ends. */
export async function tryLockPlant(trx: Db, plant: string): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${NAMESPACE}::int4, ${plantLockKey(plant)}::int4) as locked`.execute(trx);
  return rows[0]?.locked === true;
}
