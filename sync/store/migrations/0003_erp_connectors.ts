/**
 * ERP connectors: what takt keeps per ERP object it reads (`erp_links`: the way back, the last
 * change stamp seen, the write-back values the ERP holds and those takt is writing, the digest
 * of what was ingested), the
 * link as of the snapshot a write-back was planned from (`outbox.erp_basis`), a lease so that one
 * worker reads a source at a time (`feed_cursors.lease_*`), and the standard
 * operation times takt keeps for ERPs that hold routings but no times (`operation_times`, and
 * `work_order_operations.standard` for operations that name one).
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('erp_links')
    .addColumn('connection', 'text', (c) => c.notNull())
    .addColumn('plant', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('ref', 'jsonb')
    .addColumn('stamp', 'text')
    .addColumn('held', 'jsonb')
    .addColumn('pending', 'jsonb')
    // After takt's own last write: what the ERP then held, its stamp, and the stamp written over.
    .addColumn('written_held', 'jsonb')
    .addColumn('written_stamp', 'text')
    .addColumn('written_from', 'text')
    .addColumn('memo', 'jsonb')
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('reread', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('erp_links_pk', ['connection', 'kind', 'key'])
    .execute();
  await db.schema.createIndex('erp_links_plant_idx').on('erp_links').columns(['plant', 'kind', 'key']).execute();

  await db.schema.alterTable('outbox').addColumn('erp_basis', 'jsonb').execute();
  // One worker reads a source at a time (an ERP's quota is for all of takt, not per worker).
  await db.schema.alterTable('feed_cursors').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('feed_cursors').addColumn('lease_until', 'timestamptz').execute();
  await db.schema.alterTable('work_order_operations').addColumn('standard', 'jsonb').execute();

  await db.schema
    .createTable('operation_times')
    .addColumn('plant', 'text', (c) => c.notNull().references('plants.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('work_center', 'text')
    .addColumn('category', 'text')
    .addColumn('setup_minutes', 'double precision')
    .addColumn('run_minutes_per_unit', 'double precision', (c) => c.notNull())
    .addColumn('min_wait_after_minutes', 'double precision')
    .addColumn('non_interruptible', 'boolean')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('operation_times_pk', ['plant', 'key'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('operation_times').execute();
  await db.schema.alterTable('work_order_operations').dropColumn('standard').execute();
  await db.schema.alterTable('feed_cursors').dropColumn('lease_until').execute();
  await db.schema.alterTable('feed_cursors').dropColumn('lease_owner').execute();
  await db.schema.alterTable('outbox').dropColumn('erp_basis').execute();
  await db.schema.dropTable('erp_links').execute();
}
