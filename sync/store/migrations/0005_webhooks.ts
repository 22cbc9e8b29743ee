/**
 * Outbound webhooks ("events out"): subscriptions (who gets which events of which plants, and
 * the secrets their deliveries are signed with) and deliveries, an outbox with one row per
 * (subscription, event) that the dispatchers of every worker process share.
 *
 * Secrets are stored as they are, not hashed: takt must compute HMACs with them. They are
 * never returned by a list or a get; a deleted subscription takes its secrets and its
 * deliveries with it (cascade).
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const now = sql`now()`;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // SQL null (not JSON null): every plant / every event type.
    .addColumn('plants', 'jsonb')
    .addColumn('event_types', 'jsonb')
    .addColumn('secret', 'text', (c) => c.notNull())
    // The secret before the last rotation, also signed with until `previous_secret_until`.
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_until', 'timestamptz')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('secret_rotated_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription', 'text', (c) => c.notNull().references('webhook_subscriptions.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('plant', 'text', (c) => c.notNull())
    // The whole event envelope, sent as the body.
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    // Set while a dispatcher delivers the row (its lease); null between attempts.
    .addColumn('in_flight_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('delivered_at', 'timestamptz')
    // Where the retry window runs from: the creation, or the last replay of a dead letter.
    .addColumn('retry_window_from', 'timestamptz', (c) => c.notNull().defaultTo(now))
    // The same event is enqueued for a subscription once, however often its version is published.
    .addUniqueConstraint('webhook_deliveries_event_uq', ['subscription', 'event_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_created_idx').on('webhook_deliveries').columns(['created_at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').ifExists().execute();
  await db.schema.dropTable('webhook_subscriptions').ifExists().execute();
}
