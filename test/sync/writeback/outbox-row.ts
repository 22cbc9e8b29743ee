/** A pending write-back of plant P1 in the outbox, as a plan run would leave it. */
import { randomUUID } from 'node:crypto';
import { toJson, type Db } from '../../../sync/store/database.ts';
import type { WritebackPayload } from '../../../sync/writeback/payload.ts';

export async function insertOutboxRow(db: Db, workOrder: string, version: number): Promise<string> {
  const payload: WritebackPayload = {
    plant: 'P1', workOrder, scheduleVersion: version,
    plannedStart: '2026-11-23T06:00:00.000Z', plannedEnd: '2026-11-23T07:00:00.000Z', dispatchPriority: 1,
    operations: [], idempotencyKey: `P1:${workOrder}:v${version}`,
  };
  const id = randomUUID();
  await db.insertInto('outbox').values({
    id, plant: 'P1', work_order: workOrder, schedule_version: version, idempotency_key: payload.idempotencyKey, payload: toJson(payload),
  }).execute();
  return id;
}
