/**
 * Webhook deliveries in the store: the outbox the dispatchers share.
 *
 * A claim is a lease taken in one statement: the due rows are picked `FOR UPDATE SKIP LOCKED`
 * (a second dispatcher skips what the first is claiming rather than waiting for it) and pushed
 * ahead by the lease, with the attempt counted, so that once the claim commits no one else sees
 * them as due. Outcomes are written only by the holder of the attempt (`attempts` unchanged): a
 * dispatcher whose lease ran out (it stalled, the row went again elsewhere) cannot overwrite the
 * newer attempt's state. A delivery is a fact though: `delivered` is recorded whoever sent it.
 */
import { randomUUID } from 'node:crypto';
import { toIso, toJson, type Db } from '../store/database.ts';
import { dueCutoff } from '../store/due-cutoff.ts';
import type { DeliveryQuery, DeliveryStatus, DeliveryView } from './port.ts';

/** The kind of the dead letters of webhook deliveries (the `dead_letters` table is shared). */
export const WEBHOOK_DEAD_LETTER_KIND = 'webhook';

export interface ClaimedDelivery {
  readonly id: string;
  readonly subscription: string;
  readonly eventId: string;
  readonly type: string;
  readonly plant: string;
  readonly payload: unknown;
  /** This attempt's number (1 = the first). */
  readonly attempts: number;
  readonly retryWindowFrom: Date;
  readonly url: string;
  readonly secret: string;
  readonly previousSecret: string | null;
  readonly previousSecretUntil: Date | null;
}

/** Claims up to `limit` due rows of active subscriptions for `leaseMs`. */
export async function claimDueDeliveries(db: Db, now: Date, leaseMs: number, limit: number): Promise<readonly ClaimedDelivery[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  const due = dueCutoff(now.getTime());
  const claimed = await db
    // Picked once, in a materialized CTE: as `id in (subquery)` the planner may re-run the
    // LIMIT … SKIP LOCKED subquery for every outer row and claim far more than `limit` rows.
    .with((cte) => cte('due').materialized(), (qb) => qb.selectFrom('webhook_deliveries as d')
      .select('d.id')
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<', due)
      .where(({ exists, selectFrom }) => exists(
        selectFrom('webhook_subscriptions as s').select('s.id').whereRef('s.id', '=', 'd.subscription').where('s.active', '=', true),
      ))
      .orderBy('d.next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked())
    .updateTable('webhook_deliveries')
    .from('due')
    .set((eb) => ({ attempts: eb('webhook_deliveries.attempts', '+', 1), next_attempt_at: leaseEnd, in_flight_until: leaseEnd }))
    .whereRef('webhook_deliveries.id', '=', 'due.id')
    // Checked again on the row as it is now (PGlite has no row locks to skip; pg re-checks anyway).
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_at', '<', due)
    .returning([
      'webhook_deliveries.id', 'webhook_deliveries.subscription', 'webhook_deliveries.event_id', 'webhook_deliveries.type',
      'webhook_deliveries.plant', 'webhook_deliveries.payload', 'webhook_deliveries.attempts', 'webhook_deliveries.retry_window_from',
    ])
    .execute();
  if (claimed.length === 0) return [];
  const subscriptions = new Map(
    (await db.selectFrom('webhook_subscriptions')
      .select(['id', 'url', 'secret', 'previous_secret', 'previous_secret_until'])
      .where('id', 'in', [...new Set(claimed.map((c) => c.subscription))])
      .execute()).map((s) => [s.id, s]),
  );
  return claimed.flatMap((row) => {
    const s = subscriptions.get(row.subscription);
    // Deleted since the claim: its rows went with it (cascade).
    if (s === undefined) return [];
    return [{
      id: row.id,
      subscription: row.subscription,
      eventId: row.event_id,
      type: row.type,
      plant: row.plant,
      payload: row.payload,
      attempts: row.attempts,
      retryWindowFrom: new Date(row.retry_window_from),
      url: s.url,
      secret: s.secret,
      previousSecret: s.previous_secret,
      previousSecretUntil: s.previous_secret_until === null ? null : new Date(s.previous_secret_until),
    }];
  });
}

export async function markDelivered(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('webhook_deliveries')
    .set({ status: 'delivered', delivered_at: at, in_flight_until: null, last_error: null })
    .where('id', '=', id).where('status', '=', 'pending')
    .execute();
}

/** Back to waiting until `at`; a no-op if the attempt is no longer this one's. */
export async function scheduleRetry(db: Db, row: ClaimedDelivery, at: Date, error: string): Promise<void> {
  await db.updateTable('webhook_deliveries')
    .set({ next_attempt_at: at, in_flight_until: null, last_error: error })
    .where('id', '=', row.id).where('status', '=', 'pending').where('attempts', '=', row.attempts)
    .execute();
}

/** Dead, with a dead letter that the replay route can put back; false if the attempt was no longer this one's. */
export async function deadLetterDelivery(db: Db, row: ClaimedDelivery, error: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('webhook_deliveries')
      .set({ status: 'dead', in_flight_until: null, last_error: error })
      .where('id', '=', row.id).where('status', '=', 'pending').where('attempts', '=', row.attempts)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return false;
    await trx.insertInto('dead_letters').values({
      id: randomUUID(),
      kind: WEBHOOK_DEAD_LETTER_KIND,
      plant: row.plant,
      key: row.eventId,
      error,
      attempts: row.attempts,
      payload: toJson({ deliveryId: row.id, subscription: row.subscription, url: row.url, event: row.payload }),
    }).execute();
    return true;
  });
}

export async function listDeliveries(db: Db, query: DeliveryQuery): Promise<readonly DeliveryView[]> {
  let select = db.selectFrom('webhook_deliveries').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(query.limit ?? 100);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.subscription !== undefined) select = select.where('subscription', '=', query.subscription);
  const rows = await select.execute();
  return rows.map((r) => ({
    id: r.id,
    subscription: r.subscription,
    eventId: r.event_id,
    type: r.type,
    plant: r.plant,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    nextAttemptAt: toIso(r.next_attempt_at),
    lastError: r.last_error,
    createdAt: toIso(r.created_at),
    deliveredAt: r.delivered_at === null ? null : toIso(r.delivered_at),
    event: r.payload,
  }));
}
