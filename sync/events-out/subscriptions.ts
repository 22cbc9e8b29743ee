/**
 * Webhook subscriptions in the store. Views never carry a secret: only `insertSubscription` and
 * `rotateSubscriptionSecret` take one, and only the dispatcher reads them (deliveries.ts).
 */
import { sql } from 'kysely';
import { toIso, toJson, type Db, type Row } from '../store/database.ts';
import { isEventType } from './event.ts';
import type { SubscriptionView } from './port.ts';

export interface NewSubscription {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly plants: readonly string[] | null;
  readonly eventTypes: readonly string[] | null;
  readonly secret: string;
  readonly createdAt: Date;
}

const viewColumns = [
  'id', 'url', 'description', 'plants', 'event_types', 'active', 'created_at', 'secret_rotated_at', 'previous_secret', 'previous_secret_until',
] as const;

type ViewRow = Pick<Row<'webhook_subscriptions'>, (typeof viewColumns)[number]>;

function toView(row: ViewRow, nowMs: number): SubscriptionView {
  const until = row.previous_secret_until === null ? null : new Date(row.previous_secret_until);
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    plants: row.plants,
    eventTypes: row.event_types === null ? null : row.event_types.filter(isEventType),
    active: row.active,
    createdAt: toIso(row.created_at),
    secretRotatedAt: row.secret_rotated_at === null ? null : toIso(row.secret_rotated_at),
    // An overlap that has run out is no overlap: say so rather than show a past instant.
    previousSecretValidUntil: row.previous_secret !== null && until !== null && until.getTime() > nowMs ? until.toISOString() : null,
  };
}

export async function insertSubscription(db: Db, subscription: NewSubscription): Promise<SubscriptionView> {
  const row = await db.insertInto('webhook_subscriptions').values({
    id: subscription.id,
    url: subscription.url,
    description: subscription.description,
    // SQL null, not JSON null: the enqueue filter reads `plants is null` as every plant.
    plants: subscription.plants === null ? null : toJson([...new Set(subscription.plants)]),
    event_types: subscription.eventTypes === null ? null : toJson([...new Set(subscription.eventTypes)]),
    secret: subscription.secret,
    created_at: subscription.createdAt,
  }).returning(viewColumns).executeTakeFirstOrThrow();
  return toView(row, subscription.createdAt.getTime());
}

export async function listSubscriptions(db: Db, now: Date): Promise<readonly SubscriptionView[]> {
  const rows = await db.selectFrom('webhook_subscriptions').select(viewColumns).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => toView(row, now.getTime()));
}

export async function getSubscription(db: Db, id: string, now: Date): Promise<SubscriptionView | null> {
  const row = await db.selectFrom('webhook_subscriptions').select(viewColumns).where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : toView(row, now.getTime());
}

/** Deletes the subscription and, by cascade, its deliveries; false when there was none. */
export async function deleteSubscription(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * The current secret becomes the previous one (signed with until `previousUntil`; null: not at
 * all) and `secret` the current one, in one statement so two rotations cannot interleave.
 */
export async function rotateSubscriptionSecret(
  db: Db, id: string, secret: string, previousUntil: Date | null, now: Date,
): Promise<SubscriptionView | null> {
  const row = await db.updateTable('webhook_subscriptions')
    .set((eb) => ({
      previous_secret: previousUntil === null ? null : eb.ref('secret'),
      previous_secret_until: previousUntil,
      secret,
      secret_rotated_at: now,
    }))
    .where('id', '=', id)
    .returning(viewColumns)
    .executeTakeFirst();
  return row === undefined ? null : toView(row, now.getTime());
}

/** Whether any active subscription takes events of the plant: when none does, nothing is computed. */
export async function hasSubscribers(db: Db, plant: string): Promise<boolean> {
  const row = await db.selectFrom('webhook_subscriptions').select('id')
    .where('active', '=', true)
    .where(sql<boolean>`(plants is null or plants @> jsonb_build_array(${plant}::text))`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
