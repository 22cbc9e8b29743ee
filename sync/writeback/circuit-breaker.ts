/**
 * A circuit breaker per ERP connection, shared by every worker through the `erp_health` row:
 * after `failureThreshold` failures in a row (timeouts, 5xx, 429, the network) the circuit
 * opens and no worker calls the ERP; at `next_probe_at` one worker (who wins the row) sends one
 * write-back as a probe: an answer closes the circuit, a failure opens it again for longer
 * (capped). Any answer from the ERP, a refusal included, proves it is up.
 */
import type { ConnectionHealthView } from '../ports.ts';
import type { Db } from '../store/database.ts';
import { backoffDelay } from '../queue/backoff.ts';

export interface BreakerPolicy {
  readonly failureThreshold: number;
  /** Open before the first probe; doubles with each failed probe up to `maxOpenMs`. */
  readonly openMs: number;
  readonly maxOpenMs: number;
  /** A probe that has not reported in this long is taken over. */
  readonly probeTimeoutMs: number;
}

export const defaultBreakerPolicy: BreakerPolicy = { failureThreshold: 5, openMs: 5_000, maxOpenMs: 5 * 60_000, probeTimeoutMs: 2 * 60_000 };

/** How often a write-back waiting on a probe looks whether it answered. */
const HALF_OPEN_RECHECK_MS = 5_000;

export type Admission = { readonly admitted: true; readonly probe: boolean } | { readonly admitted: false; readonly retryAt: Date };

async function ensureRow(db: Db, connection: string): Promise<void> {
  await db.insertInto('erp_health').values({ connection }).onConflict((oc) => oc.column('connection').doNothing()).execute();
}

/** Whether `owner` may call the ERP now, and whether as the probe of an open circuit. */
export async function admit(db: Db, connection: string, owner: string, now: Date, policy: BreakerPolicy = defaultBreakerPolicy): Promise<Admission> {
  await ensureRow(db, connection);
  const row = await db.selectFrom('erp_health').selectAll().where('connection', '=', connection).executeTakeFirstOrThrow();
  if (row.state === 'closed') return { admitted: true, probe: false };
  const probeDue = row.state === 'open'
    ? row.next_probe_at === null || row.next_probe_at <= now
    : row.updated_at.getTime() + policy.probeTimeoutMs <= now.getTime();
  if (!probeDue) {
    // Open: until the probe is due. Half-open: look again in a while (the probe may answer any
    // moment), at the latest when a silent probe is taken over.
    const retryAt = row.state === 'open'
      ? row.next_probe_at!
      : new Date(Math.min(row.updated_at.getTime() + policy.probeTimeoutMs, now.getTime() + HALF_OPEN_RECHECK_MS));
    return { admitted: false, retryAt };
  }
  const won = await db.updateTable('erp_health')
    .set({ state: 'half-open', probe_owner: owner, updated_at: now })
    .where('connection', '=', connection).where('state', '=', row.state).where('updated_at', '=', row.updated_at)
    .executeTakeFirst();
  return Number(won.numUpdatedRows) > 0 ? { admitted: true, probe: true } : { admitted: false, retryAt: new Date(now.getTime() + 1_000) };
}

/** The ERP answered (whatever it said): the circuit closes. */
export async function recordAnswer(db: Db, connection: string, now: Date): Promise<void> {
  await db.updateTable('erp_health')
    .set({ state: 'closed', failures: 0, failing_since: null, next_probe_at: null, probe_owner: null, last_error: null, updated_at: now })
    .where('connection', '=', connection).where((eb) => eb.or([eb('state', '!=', 'closed'), eb('failures', '>', 0)]))
    .execute();
}

/** The ERP did not answer usefully: count it; open the circuit at the threshold, or again after a failed probe. */
export async function recordFailure(db: Db, connection: string, error: string, now: Date, policy: BreakerPolicy = defaultBreakerPolicy): Promise<void> {
  await ensureRow(db, connection);
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('erp_health').selectAll().where('connection', '=', connection).forUpdate().executeTakeFirstOrThrow();
    const failures = row.failures + 1;
    const opens = row.state !== 'closed' || failures >= policy.failureThreshold;
    // Failures past the threshold stretch the wait (capped, with jitter so workers do not probe in step).
    const openFor = backoffDelay(Math.max(1, failures - policy.failureThreshold + 1), { attempts: Infinity, baseDelayMs: policy.openMs, maxDelayMs: policy.maxOpenMs });
    await trx.updateTable('erp_health').set({
      failures,
      failing_since: row.failing_since ?? now,
      last_error: error.slice(0, 500),
      updated_at: now,
      ...(opens && { state: 'open', next_probe_at: new Date(now.getTime() + openFor), probe_owner: null }),
    }).where('connection', '=', connection).execute();
  });
}

export async function listConnectionHealth(db: Db): Promise<readonly ConnectionHealthView[]> {
  const rows = await db.selectFrom('erp_health').selectAll().orderBy('connection').execute();
  return rows.map((r) => ({
    connection: r.connection, state: r.state, failures: r.failures,
    failingSince: r.failing_since?.toISOString() ?? null, nextProbeAt: r.next_probe_at?.toISOString() ?? null, lastError: r.last_error,
  }));
}
