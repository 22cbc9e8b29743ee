/**
 * What each object's stored version said: the event type and the digest of its data, so that a
 * second event claiming the same version of the same object with other data is refused as a
 * conflict instead of silently overwriting the first (null: stamped before this migration).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('object_versions').addColumn('event_type', 'text').execute();
  await db.schema.alterTable('object_versions').addColumn('digest', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('object_versions').dropColumn('digest').execute();
  await db.schema.alterTable('object_versions').dropColumn('event_type').execute();
}
