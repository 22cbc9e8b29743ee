/**
 * Write-back discipline: a takt-owned policy per plant (publishing `auto` or `approve`, what
 * counts as a material change), the state of each schedule version (proposed, published,
 * discarded, superseded), and per ERP connection its health (a circuit breaker shared by every
 * worker, and since when it has been failing).
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('plant_policies')
    .addColumn('plant', 'text', (c) => c.primaryKey().references('plants.id').onDelete('cascade'))
    .addColumn('policy', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema.alterTable('schedule_versions').addColumn('state', 'text', (c) => c.notNull().defaultTo('published')).execute();
  await db.schema.alterTable('schedule_versions').addColumn('decided_at', 'timestamptz').execute();
  await db.schema.alterTable('schedule_versions').addColumn('decided_by', 'text').execute();
  // The plant's generation the version was planned from: an approval after newer events is refused.
  await db.schema.alterTable('schedule_versions').addColumn('generation', 'integer').execute();
  await db.schema.createIndex('schedule_versions_state_idx').on('schedule_versions').columns(['plant', 'state', 'version']).execute();

  // The outage window of a write-back runs from here (its creation, or its last replay).
  await db.schema.alterTable('outbox').addColumn('retry_window_from', 'timestamptz').execute();

  await db.schema
    .createTable('erp_health')
    .addColumn('connection', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('closed'))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failing_since', 'timestamptz')
    .addColumn('next_probe_at', 'timestamptz')
    .addColumn('probe_owner', 'text')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('erp_health').execute();
  await db.schema.alterTable('outbox').dropColumn('retry_window_from').execute();
  await db.schema.dropIndex('schedule_versions_state_idx').execute();
  for (const column of ['generation', 'decided_by', 'decided_at', 'state']) await db.schema.alterTable('schedule_versions').dropColumn(column).execute();
  await db.schema.dropTable('plant_policies').execute();
}
