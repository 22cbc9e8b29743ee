/** What takt last wrote (or is writing) per order: the newest delivered or pending write-back. */
import { sql } from 'kysely';
import type { WritebackPayload } from '../writeback/payload.ts';
import type { Db } from './database.ts';

export async function lastWrittenPayloads(db: Db, plant: string): Promise<Map<string, WritebackPayload>> {
  const rows = await db.selectFrom('outbox')
    .select(['work_order', 'payload'])
    .distinctOn('work_order')
    .where('plant', '=', plant)
    .where('status', 'in', ['delivered', 'pending'])
    .orderBy('work_order').orderBy(sql`schedule_version`, 'desc')
    .execute();
  return new Map(rows.map((r) => [r.work_order, r.payload as WritebackPayload]));
}
