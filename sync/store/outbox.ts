/** Outbox queries shared by the publish step, the worker and replay. */
import { sql } from 'kysely';
import type { WritebackPayload } from '../writeback/payload.ts';
import type { Db } from './database.ts';

export interface LastWritten {
  readonly payload: WritebackPayload;
  /** Not yet delivered: still to reach the ERP. */
  readonly pending: boolean;
  /** Being delivered right now (it cannot be set aside any more). */
  readonly inFlight: boolean;
}

/** What takt last wrote (or is writing) per order: the newest delivered or pending write-back. */
export async function lastWrittenPayloads(db: Db, plant: string, now: Date): Promise<Map<string, LastWritten>> {
  const rows = await db.selectFrom('outbox')
    .select(['work_order', 'payload', 'status', 'in_flight_until'])
    .distinctOn('work_order')
    .where('plant', '=', plant)
    .where('status', 'in', ['delivered', 'pending'])
    .orderBy('work_order').orderBy(sql`schedule_version`, 'desc')
    .execute();
  return new Map(rows.map((r) => [r.work_order, {
    payload: r.payload as WritebackPayload,
    pending: r.status === 'pending',
    inFlight: r.status === 'pending' && r.in_flight_until !== null && new Date(r.in_flight_until) > now,
  }]));
}

/** Whether a later schedule version of the order has a write-back waiting or done. */
export async function hasNewerWriteback(db: Db, plant: string, workOrder: string, version: number): Promise<boolean> {
  const newer = await db.selectFrom('outbox').select('id')
    .where('plant', '=', plant).where('work_order', '=', workOrder)
    .where('schedule_version', '>', version)
    .where('status', 'in', ['pending', 'delivered'])
    .executeTakeFirst();
  return newer !== undefined;
}
