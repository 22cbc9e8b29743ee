/** Planner pins: an operation held to a machine and start. */
import type { PinSpec } from '../../scheduler/problem.ts';
import { toIso, type Db } from './database.ts';
import type { OperationKey } from './operation-progress.ts';

export async function setPin(db: Db, plant: string, key: OperationKey, pin: PinSpec, createdBy: string | null = null): Promise<void> {
  const row = { work_center: pin.workCenter, unit: pin.unit ?? null, start_at: pin.start, created_by: createdBy };
  await db.insertInto('pins').values({ plant, work_order: key.workOrder, operation: key.operation, ...row })
    .onConflict((oc) => oc.columns(['plant', 'work_order', 'operation']).doUpdateSet(row))
    .execute();
}

export async function removePin(db: Db, plant: string, key: OperationKey): Promise<boolean> {
  const result = await db.deleteFrom('pins')
    .where('plant', '=', plant).where('work_order', '=', key.workOrder).where('operation', '=', key.operation)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listPins(db: Db, plant: string): Promise<readonly (OperationKey & { readonly pin: PinSpec })[]> {
  const rows = await db.selectFrom('pins').selectAll().where('plant', '=', plant)
    .orderBy('work_order').orderBy('operation').execute();
  return rows.map((row) => ({
    workOrder: row.work_order,
    operation: row.operation,
    pin: { workCenter: row.work_center, ...(row.unit !== null && { unit: row.unit }), start: toIso(row.start_at) },
  }));
}
