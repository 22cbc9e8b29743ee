/**
 * The write-back job: claim the outbox row, deliver it through the adapter, record the outcome.
 * A claim is a lease (`next_attempt_at` pushed ahead, attempts counted) taken by a conditional
 * UPDATE, so two copies of one job — a sweeper re-enqueue, a second worker — never deliver the
 * same row at once; a row is marked delivered exactly once (`where status = 'pending'`). If a
 * worker dies mid-delivery the lease runs out and the row goes again under the same
 * idempotency key, which the ERP de-duplicates. Retry state lives in the row, not the queue.
 * While an ERP is down its write-backs wait with capped backoff behind a circuit breaker shared
 * by every worker (one probe at a time, circuit-breaker.ts); a row is dead-lettered only when
 * the ERP refuses it, or when it has waited longer than the outage window (default 24 h).
 */
import { randomUUID } from 'node:crypto';
import { backoffDelay, type RetryPolicy } from '../queue/backoff.ts';
import { RetryLaterError } from '../queue/errors.ts';
import type { ErpLink, ErpOutbound, WriteOutcome } from '../connectors/connector.ts';
import { toJson, type Db, type Row } from '../store/database.ts';
import { clearPending, getLink, invalidateDigest, recordPending, recordWritten } from '../store/erp-links.ts';
import { dueCutoff } from '../store/due-cutoff.ts';
import { hasNewerWriteback } from '../store/outbox.ts';
import { markPlantsDirty } from '../store/plant-state.ts';
import { runGated, type CallGate } from './call-gate.ts';
import { admit, defaultBreakerPolicy, recordAnswer, recordFailure, type BreakerPolicy } from './circuit-breaker.ts';
import { isClosedForWriteback } from './closed-orders.ts';
import type { WritebackPayload } from './payload.ts';

/** Backoff between deliveries of one row (its attempts are not counted against it: the window is). */
export const defaultWritebackRetry: RetryPolicy = { attempts: Infinity, baseDelayMs: 2_000, maxDelayMs: 5 * 60_000 };
export const DEFAULT_OUTAGE_WINDOW_MS = 24 * 60 * 60_000;

/** Where a plant's write-backs go: an ERP connector's outbound half, or the generic adapter. */
export interface WritebackRoute {
  readonly outbound: ErpOutbound;
  /** The connection whose links hold the ERP's ids and stamps (null: the generic adapter). */
  readonly connection: string | null;
  /** Reads the connection's changes now (after a conflict, to re-plan on the ERP's state). */
  wake?(): void;
  /** The ERP's quota, shared by every worker. */
  readonly gate?: CallGate | null;
}

export interface WritebackWorkerOptions {
  readonly db: Db;
  /** The outbound of every plant without a route of its own. */
  readonly adapter?: ErpOutbound;
  readonly route?: (plant: string) => WritebackRoute | null;
  /** Backoff between deliveries of a row. */
  readonly retry?: RetryPolicy;
  /** How long a row may wait for an ERP that does not answer before it is dead-lettered (default 24 h). */
  readonly windowMs?: number;
  readonly breaker?: BreakerPolicy;
  /** How long a claim keeps others off the row; longer than the adapter's timeouts. */
  readonly leaseMs?: number;
  readonly clock?: () => number;
  readonly random?: () => number;
  /** Told what each run did with its row (logs follow `correlationId` from the event to the ERP). */
  readonly onResult?: (result: WritebackResult, row: { readonly id: string; readonly plant: string; readonly workOrder: string; readonly version: number; readonly correlationId: string | null }) => void;
}

/** What a job run did with its row (returned for tests and metrics; the queue ignores it). */
export type WritebackResult =
  | 'delivered' | 'dead' | 'retry' | 'circuit-open' | 'skipped-closed' | 'skipped-superseded' | 'conflict' | 'no-route' | 'not-pending' | 'not-due';

export function createWritebackHandler(options: WritebackWorkerOptions): (outboxId: string) => Promise<WritebackResult> {
  const { db } = options;
  const routeOf = (plant: string): WritebackRoute | null =>
    options.route?.(plant) ?? (options.adapter === undefined ? null : { outbound: options.adapter, connection: null });
  const retry = options.retry ?? defaultWritebackRetry;
  const windowMs = options.windowMs ?? DEFAULT_OUTAGE_WINDOW_MS;
  const breaker = options.breaker ?? defaultBreakerPolicy;
  const leaseMs = options.leaseMs ?? 120_000;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;

  return async function writeback(outboxId: string): Promise<WritebackResult> {
    const now = clock();
    // Claim the row unless an older write-back of the same order is being delivered: the ERP
    // must see an order's versions in order, so this one waits for that delivery to finish.
    const claimed = await db
      .updateTable('outbox')
      .set((eb) => ({ next_attempt_at: new Date(now + leaseMs), in_flight_until: new Date(now + leaseMs), attempts: eb('attempts', '+', 1) }))
      .where('id', '=', outboxId)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<', dueCutoff(now))
      .where(({ not, exists, selectFrom }) => not(exists(
        selectFrom('outbox as older').select('older.id')
          .whereRef('older.plant', '=', 'outbox.plant')
          .whereRef('older.work_order', '=', 'outbox.work_order')
          .whereRef('older.schedule_version', '<', 'outbox.schedule_version')
          .where('older.status', '=', 'pending')
          .where('older.in_flight_until', '>', new Date(now)),
      )))
      .returningAll()
      .executeTakeFirst();
    if (claimed === undefined) {
      const row = await db.selectFrom('outbox').select(['status', 'next_attempt_at']).where('id', '=', outboxId).executeTakeFirst();
      if (row === undefined || row.status !== 'pending') return 'not-pending';
      // Not due (a backoff, another worker's lease, an older delivery of the order): come back later.
      throw new RetryLaterError(Math.max(10, Math.min(leaseMs, new Date(row.next_attempt_at).getTime() - now)));
    }
    const report = (result: WritebackResult): WritebackResult => {
      options.onResult?.(result, {
        id: claimed.id, plant: claimed.plant, workOrder: claimed.work_order, version: claimed.schedule_version, correlationId: claimed.correlation_id,
      });
      return result;
    };
    const finish = (set: { status?: 'delivered' | 'skipped' | 'conflict'; delivered_at?: Date; last_error?: string | null; next_attempt_at?: Date }) =>
      db.updateTable('outbox').set({ ...set, in_flight_until: null }).where('id', '=', outboxId).where('status', '=', 'pending').execute();

    const superseded = () => hasNewerWriteback(db, claimed.plant, claimed.work_order, claimed.schedule_version);
    const windowFrom = new Date(claimed.retry_window_from ?? claimed.created_at).getTime();
    if (await superseded()) {
      await finish({ status: 'skipped', last_error: 'a newer schedule version of the order is written instead' });
      return report('skipped-superseded');
    }
    const order = await db.selectFrom('work_orders').select('status')
      .where('plant', '=', claimed.plant).where('id', '=', claimed.work_order).executeTakeFirst();
    if (order === undefined || isClosedForWriteback(order.status)) {
      await finish({ status: 'skipped', last_error: order === undefined ? 'order no longer exists' : `order is ${order.status}` });
      return report('skipped-closed');
    }

    const route = routeOf(claimed.plant);
    if (route === null) {
      // No outbound for this plant (configuration changed): leave it pending for a later worker.
      await finish({ next_attempt_at: new Date(now + leaseMs), last_error: 'no write-back configured for this plant' });
      return report('no-route');
    }
    const circuit = route.connection ?? 'generic';
    const admission = await admit(db, circuit, outboxId, new Date(now), breaker);
    if (!admission.admitted) {
      // The ERP is down: no call; come back when the circuit lets a probe through, unless the
      // row has waited out the outage window already.
      if (now - windowFrom >= windowMs) {
        await deadLetter(db, claimed, `gave up after ${Math.round((now - windowFrom) / 60_000)} min: ERP ${circuit} not answering`);
        return report('dead');
      }
      const wait = Math.max(10, admission.retryAt.getTime() - now);
      await finish({ next_attempt_at: admission.retryAt, last_error: `ERP ${circuit} not answering: waiting for the circuit to probe` });
      report('circuit-open');
      throw new RetryLaterError(wait, 'circuit open');
    }
    const basis = route.connection === null ? null : await currentBasis(db, route.connection, (claimed.erp_basis ?? null) as ErpLink | null);
    const payload = claimed.payload as WritebackPayload;
    const link = route.connection !== null && basis !== null ? { connection: route.connection, kind: basis.kind, key: basis.key } : null;
    if (link !== null) await recordPending(db, link.connection, link.kind, link.key, route.outbound.project(payload, basis!));
    let outcome: WriteOutcome;
    let answered = false;
    let starved = false;
    try {
      // Waiting for the quota past half the lease would let the lease run out mid-call.
      ({ value: outcome, answered, starved } = await runGated(route.gate ?? null, () => route.outbound.write({ payload, basis }), now + leaseMs / 2));
    } catch (error) {
      outcome = { kind: 'retry', reason: `adapter failed: ${error instanceof Error ? error.message : String(error)}`, status: null, retryAfterMs: null };
    }
    const done = clock();
    // Only the ERP's own answers move the circuit: not a write that made no call, nor a wait for the quota.
    if (outcome.kind === 'retry' && !(starved && !answered)) await recordFailure(db, circuit, outcome.reason, new Date(done), breaker);
    else if (outcome.kind !== 'retry' && answered) await recordAnswer(db, circuit, new Date(done));

    if (outcome.kind === 'written') {
      await finish({ status: 'delivered', delivered_at: new Date(done), last_error: null });
      if (link !== null) await recordWritten(db, link.connection, link.kind, link.key, basis!.stamp, { held: outcome.held, stamp: outcome.stamp });
      return report('delivered');
    }
    // Nothing of this write is on its way any more: reading the order back is not takt's echo.
    if (outcome.kind !== 'retry' && link !== null) await clearPending(db, link.connection, link.kind, link.key);
    if (outcome.kind === 'closed') {
      await finish({ status: 'skipped', last_error: `not written: ${outcome.reason}` });
      return report('skipped-closed');
    }
    if (outcome.kind === 'conflict') {
      await finish({ status: 'conflict', last_error: outcome.reason });
      await replanAfterConflict(db, route, claimed.plant, basis);
      return report('conflict');
    }
    // A failed older version is not retried once a newer one exists: it would land after it.
    if (outcome.kind === 'retry' && await superseded()) {
      await finish({ status: 'skipped', last_error: `superseded after: ${outcome.reason}` });
      return report('skipped-superseded');
    }
    const waited = done - windowFrom;
    if (outcome.kind === 'rejected' || waited >= windowMs || claimed.attempts >= retry.attempts) {
      const reason = outcome.kind === 'rejected'
        ? outcome.reason
        : `gave up after ${Math.round(waited / 60_000)} min and ${claimed.attempts} attempts: ${outcome.reason}`;
      await deadLetter(db, claimed, reason);
      return report('dead');
    }
    const delay = Math.max(outcome.retryAfterMs ?? 0, backoffDelay(claimed.attempts, retry, random));
    await finish({ next_attempt_at: new Date(done + delay), last_error: outcome.reason });
    report('retry');
    throw new RetryLaterError(delay, outcome.reason);
  };
}

/**
 * The order's link as the write should be guarded by. The basis is the link as of the snapshot
 * planned from; if the only change to the ERP's record since is takt's own earlier write (the
 * link's stamp is the one that write left, over the basis's stamp), writing over it is no
 * conflict: guard with the stamp and values takt's write left instead.
 */
async function currentBasis(db: Db, connection: string, basis: ErpLink | null): Promise<ErpLink | null> {
  if (basis === null) return null;
  const current = await getLink(db, connection, basis.kind, basis.key);
  if (current === undefined || current.stamp === basis.stamp) return basis;
  const ownWrite = current.writtenStamp !== null && current.stamp === current.writtenStamp && current.writtenFrom === basis.stamp;
  return ownWrite ? { ...basis, stamp: current.stamp, held: current.writtenHeld, ref: current.ref } : basis;
}

/**
 * The ERP changed the order after the snapshot takt planned from. If takt has read that change
 * already (the link's stamp moved on), plan again now; if not, make its next read count even
 * if the canonical content is the same, and read now: that read marks the plant for a re-plan.
 */
async function replanAfterConflict(db: Db, route: WritebackRoute, plant: string, basis: ErpLink | null): Promise<void> {
  const current = route.connection === null || basis === null ? undefined : await getLink(db, route.connection, basis.kind, basis.key);
  if (current === undefined || current.stamp !== basis?.stamp) {
    await markPlantsDirty(db, [plant]);
    return;
  }
  await invalidateDigest(db, route.connection!, basis.kind, basis.key);
  route.wake?.();
}

async function deadLetter(db: Db, row: Row<'outbox'>, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('outbox')
      .set({ status: 'dead', last_error: reason, in_flight_until: null })
      .where('id', '=', row.id).where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return;
    await trx.insertInto('dead_letters').values({
      id: randomUUID(),
      kind: 'writeback',
      plant: row.plant,
      key: row.idempotency_key,
      error: reason,
      attempts: row.attempts,
      payload: toJson({ outboxId: row.id, payload: row.payload }),
    }).execute();
  });
}
