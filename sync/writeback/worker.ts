/**
 * The write-back job: claim the outbox row, deliver it through the adapter, record the outcome.
 * A claim is a lease (`next_attempt_at` pushed ahead, attempts counted) taken by a conditional
 * UPDATE, so two copies of one job — a sweeper re-enqueue, a second worker — never deliver the
 * same row at once; a row is marked delivered exactly once (`where status = 'pending'`). If a
 * worker dies mid-delivery the lease runs out and the row goes again under the same
 * idempotency key, which the ERP de-duplicates. Retry state lives in the row, not the queue.
 */
import { randomUUID } from 'node:crypto';
import { backoffDelay, type RetryPolicy } from '../queue/backoff.ts';
import { RetryLaterError } from '../queue/errors.ts';
import { toJson, type Db, type Row } from '../store/database.ts';
import type { WritebackAdapter } from './adapter.ts';
import { isClosedForWriteback } from './closed-orders.ts';
import type { DeliveryOutcome } from './outcome.ts';
import type { WritebackPayload } from './payload.ts';

export const defaultWritebackRetry: RetryPolicy = { attempts: 10, baseDelayMs: 2_000, maxDelayMs: 10 * 60_000 };

export interface WritebackWorkerOptions {
  readonly db: Db;
  readonly adapter: WritebackAdapter;
  /** Deliveries per row before it goes to the dead letters. */
  readonly retry?: RetryPolicy;
  /** How long a claim keeps others off the row; longer than the adapter's timeouts. */
  readonly leaseMs?: number;
  readonly clock?: () => number;
  readonly random?: () => number;
}

/** What a job run did with its row (returned for tests and metrics; the queue ignores it). */
export type WritebackResult =
  | 'delivered' | 'dead' | 'retry' | 'skipped-closed' | 'not-pending' | 'not-due';

export function createWritebackHandler(options: WritebackWorkerOptions): (outboxId: string) => Promise<WritebackResult> {
  const { db, adapter } = options;
  const retry = options.retry ?? defaultWritebackRetry;
  const leaseMs = options.leaseMs ?? 120_000;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;

  return async function writeback(outboxId: string): Promise<WritebackResult> {
    const now = clock();
    const claimed = await db
      .updateTable('outbox')
      .set((eb) => ({ next_attempt_at: new Date(now + leaseMs), attempts: eb('attempts', '+', 1) }))
      .where('id', '=', outboxId)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', new Date(now))
      .returningAll()
      .executeTakeFirst();
    if (claimed === undefined) {
      const row = await db.selectFrom('outbox').select(['status', 'next_attempt_at']).where('id', '=', outboxId).executeTakeFirst();
      if (row === undefined || row.status !== 'pending') return 'not-pending';
      // Not due (a backoff, or another worker's lease): come back when it is.
      throw new RetryLaterError(Math.max(10, new Date(row.next_attempt_at).getTime() - now));
    }

    const order = await db.selectFrom('work_orders').select('status')
      .where('plant', '=', claimed.plant).where('id', '=', claimed.work_order).executeTakeFirst();
    if (order === undefined || isClosedForWriteback(order.status)) {
      await db.updateTable('outbox')
        .set({ status: 'skipped', last_error: order === undefined ? 'order no longer exists' : `order is ${order.status}` })
        .where('id', '=', outboxId).where('status', '=', 'pending').execute();
      return 'skipped-closed';
    }

    let outcome: DeliveryOutcome;
    try {
      outcome = await adapter.deliver(claimed.payload as WritebackPayload);
    } catch (error) {
      outcome = { kind: 'retry', reason: `adapter failed: ${error instanceof Error ? error.message : String(error)}`, status: null, retryAfterMs: null };
    }
    const done = clock();

    if (outcome.kind === 'delivered') {
      await db.updateTable('outbox')
        .set({ status: 'delivered', delivered_at: new Date(done), last_error: null })
        .where('id', '=', outboxId).where('status', '=', 'pending').execute();
      return 'delivered';
    }
    if (outcome.kind === 'rejected' || claimed.attempts >= retry.attempts) {
      const reason = outcome.kind === 'rejected'
        ? outcome.reason
        : `gave up after ${claimed.attempts} attempts: ${outcome.reason}`;
      await deadLetter(db, claimed, reason);
      return 'dead';
    }
    const delay = Math.max(outcome.retryAfterMs ?? 0, backoffDelay(claimed.attempts, retry, random));
    await db.updateTable('outbox')
      .set({ next_attempt_at: new Date(done + delay), last_error: outcome.reason })
      .where('id', '=', outboxId).where('status', '=', 'pending').execute();
    throw new RetryLaterError(delay, outcome.reason);
  };
}

async function deadLetter(db: Db, row: Row<'outbox'>, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('outbox')
      .set({ status: 'dead', last_error: reason })
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
