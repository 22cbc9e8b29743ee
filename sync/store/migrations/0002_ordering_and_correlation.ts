/**
 * Write-backs of one order reach the ERP in version order (`in_flight_until` marks a delivery
 * under way), and every change carries the event that caused it (`cause_event` on the plant,
 * `correlation_id` on the outbox row) so logs can follow one event through to the ERP.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('in_flight_until', 'timestamptz').execute();
  await db.schema.alterTable('outbox').addColumn('correlation_id', 'text').execute();
  await db.schema.alterTable('plant_state').addColumn('cause_event', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('plant_state').dropColumn('cause_event').execute();
  await db.schema.alterTable('outbox').dropColumn('correlation_id').execute();
  await db.schema.alterTable('outbox').dropColumn('in_flight_until').execute();
}
