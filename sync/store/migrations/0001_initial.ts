/**
 * The initial schema. Plant-scoped tables key on (plant, id); foreign keys are a safety net
 * behind ingestion's own reference checks (which answer with the missing key).
 * Migrations take Kysely<any>: they describe the schema as it was, not as the types are now.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const now = sql`now()`;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('plants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('frozen_window_minutes', 'integer')
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('calendars')
    .addColumn('plant', 'text', (c) => c.notNull().references('plants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('shifts', 'jsonb', (c) => c.notNull())
    .addColumn('exceptions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('always_open', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('calendars_pk', ['plant', 'id'])
    .execute();

  await db.schema
    .createTable('work_centers')
    .addColumn('plant', 'text', (c) => c.notNull().references('plants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('units', 'integer', (c) => c.notNull().check(sql`units >= 1`))
    .addColumn('calendar', 'text', (c) => c.notNull())
    .addColumn('planned_downtimes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('work_centers_pk', ['plant', 'id'])
    .addForeignKeyConstraint('work_centers_calendar_fk', ['plant', 'calendar'], 'calendars', ['plant', 'id'])
    .execute();

  await db.schema
    .createTable('items')
    .addColumn('plant', 'text', (c) => c.notNull().references('plants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('uom', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('items_pk', ['plant', 'id'])
    .execute();

  await db.schema
    .createTable('work_orders')
    .addColumn('plant', 'text', (c) => c.notNull().references('plants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('due', 'timestamptz', (c) => c.notNull())
    .addColumn('release_at', 'timestamptz')
    .addColumn('priority', 'double precision')
    .addColumn('status', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('work_orders_pk', ['plant', 'id'])
    .addForeignKeyConstraint('work_orders_item_fk', ['plant', 'item'], 'items', ['plant', 'id'])
    .execute();
  await db.schema.createIndex('work_orders_status_idx').on('work_orders').columns(['plant', 'status']).execute();

  await db.schema
    .createTable('work_order_operations')
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('work_order', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('work_center', 'text', (c) => c.notNull())
    .addColumn('modes', 'jsonb', (c) => c.notNull())
    .addColumn('min_wait_after_minutes', 'double precision')
    .addColumn('non_interruptible', 'boolean')
    .addPrimaryKeyConstraint('work_order_operations_pk', ['plant', 'work_order', 'id'])
    .addUniqueConstraint('work_order_operations_seq_uq', ['plant', 'work_order', 'seq'])
    .addForeignKeyConstraint('work_order_operations_order_fk', ['plant', 'work_order'], 'work_orders', ['plant', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('work_order_operations_wc_idx').on('work_order_operations').columns(['plant', 'work_center']).execute();

  await db.schema
    .createTable('work_order_materials')
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('work_order', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('operation', 'text')
    .addPrimaryKeyConstraint('work_order_materials_pk', ['plant', 'work_order', 'seq'])
    .addForeignKeyConstraint('work_order_materials_order_fk', ['plant', 'work_order'], 'work_orders', ['plant', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('work_order_materials_item_fk', ['plant', 'item'], 'items', ['plant', 'id'])
    .execute();
  await db.schema.createIndex('work_order_materials_item_idx').on('work_order_materials').columns(['plant', 'item']).execute();

  await db.schema
    .createTable('lots')
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('receipt', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('lots_pk', ['plant', 'id'])
    .addForeignKeyConstraint('lots_item_fk', ['plant', 'item'], 'items', ['plant', 'id'])
    .execute();

  await db.schema
    .createTable('receipts')
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('expected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('expected'))
    .addColumn('arrived_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('receipts_pk', ['plant', 'id'])
    .addForeignKeyConstraint('receipts_item_fk', ['plant', 'item'], 'items', ['plant', 'id'])
    .execute();

  await db.schema
    .createTable('holds')
    .addColumn('plant', 'text', (c) => c.notNull().references('plants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('placed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('released_at', 'timestamptz')
    .addPrimaryKeyConstraint('holds_pk', ['plant', 'id'])
    .execute();

  await db.schema
    .createTable('downtimes')
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('work_center', 'text', (c) => c.notNull())
    .addColumn('unit', 'integer')
    .addColumn('start_at', 'timestamptz', (c) => c.notNull())
    .addColumn('end_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('open', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('downtimes_pk', ['plant', 'id'])
    .addForeignKeyConstraint('downtimes_wc_fk', ['plant', 'work_center'], 'work_centers', ['plant', 'id'])
    .execute();

  await db.schema
    .createTable('operation_progress')
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('work_order', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('work_center', 'text')
    .addColumn('unit', 'integer')
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('quantity_good', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('quantity_scrap', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('operation_progress_pk', ['plant', 'work_order', 'operation'])
    .addForeignKeyConstraint('operation_progress_order_fk', ['plant', 'work_order'], 'work_orders', ['plant', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('pins')
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('work_order', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('work_center', 'text', (c) => c.notNull())
    .addColumn('unit', 'integer')
    .addColumn('start_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('pins_pk', ['plant', 'work_order', 'operation'])
    .addForeignKeyConstraint('pins_order_fk', ['plant', 'work_order'], 'work_orders', ['plant', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('object_versions')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('object_versions_pk', ['source', 'plant', 'kind', 'key'])
    .execute();

  await db.schema
    .createTable('inbox')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text')
    .addPrimaryKeyConstraint('inbox_pk', ['source', 'event_id'])
    .execute();
  await db.schema.createIndex('inbox_plant_received_idx').on('inbox').columns(['plant', 'received_at']).execute();

  await db.schema
    .createTable('plant_state')
    .addColumn('plant', 'text', (c) => c.primaryKey())
    .addColumn('dirty', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('dirty_since', 'timestamptz')
    .addColumn('generation', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_event_at', 'timestamptz')
    .addColumn('last_version', 'integer')
    .addColumn('last_version_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('schedule_versions')
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('now', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('kpis', 'jsonb', (c) => c.notNull())
    .addColumn('result', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('schedule_versions_pk', ['plant', 'version'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('work_order', 'text', (c) => c.notNull())
    .addColumn('schedule_version', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_plant_order_idx').on('outbox').columns(['plant', 'work_order']).execute();

  await db.schema
    .createTable('dead_letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('plant', 'text')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('replayed_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('feed_cursors')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('feed', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('feed_cursors_pk', ['source', 'feed'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'jsonb', (c) => c.notNull())
    .addColumn('plants', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'api_keys', 'feed_cursors', 'dead_letters', 'outbox', 'schedule_versions', 'plant_state', 'inbox',
    'object_versions', 'pins', 'operation_progress', 'downtimes', 'holds', 'receipts', 'lots',
    'work_order_materials', 'work_order_operations', 'work_orders', 'items', 'work_centers', 'calendars', 'plants',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
