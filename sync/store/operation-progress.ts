/** What the MES reported per operation: started (where, when, how much so far) or completed. */
import type { Db, ProgressStatus } from './database.ts';
import { toIso } from './database.ts';

export interface OperationKey {
  readonly workOrder: string;
  readonly operation: string;
}

export interface ProgressRecord extends OperationKey {
  readonly status: ProgressStatus;
  readonly workCenter: string | null;
  readonly unit: number | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly quantityGood: number;
  readonly quantityScrap: number;
}

export async function getProgress(db: Db, plant: string, key: OperationKey): Promise<ProgressRecord | null> {
  const row = await db.selectFrom('operation_progress').selectAll()
    .where('plant', '=', plant).where('work_order', '=', key.workOrder).where('operation', '=', key.operation)
    .executeTakeFirst();
  return row === undefined ? null : toRecord(row);
}

/** Writes the whole record (the ingest handlers merge with what is stored first). */
export async function saveProgress(db: Db, plant: string, record: ProgressRecord): Promise<void> {
  await saveProgressRecords(db, [{ plant, record }]);
}

export interface ProgressRow {
  readonly plant: string;
  readonly record: ProgressRecord;
}

/** One statement for many records (distinct (plant, work order, operation)). */
export async function saveProgressRecords(db: Db, rows: readonly ProgressRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('operation_progress')
    .values(rows.map(({ plant, record }) => ({
      plant,
      work_order: record.workOrder,
      operation: record.operation,
      status: record.status,
      work_center: record.workCenter,
      unit: record.unit,
      started_at: record.startedAt,
      completed_at: record.completedAt,
      quantity_good: record.quantityGood,
      quantity_scrap: record.quantityScrap,
    })))
    .onConflict((oc) => oc.columns(['plant', 'work_order', 'operation']).doUpdateSet((eb) => ({
      status: eb.ref('excluded.status'),
      work_center: eb.ref('excluded.work_center'),
      unit: eb.ref('excluded.unit'),
      started_at: eb.ref('excluded.started_at'),
      completed_at: eb.ref('excluded.completed_at'),
      quantity_good: eb.ref('excluded.quantity_good'),
      quantity_scrap: eb.ref('excluded.quantity_scrap'),
      updated_at: new Date(),
    })))
    .execute();
}

/** What is stored for the operations of the given work orders. */
export async function listProgressOfOrders(db: Db, plant: string, workOrders: Iterable<string>): Promise<readonly ProgressRecord[]> {
  const wanted = [...new Set(workOrders)];
  if (wanted.length === 0) return [];
  const rows = await db.selectFrom('operation_progress').selectAll().where('plant', '=', plant).where('work_order', 'in', wanted).execute();
  return rows.map(toRecord);
}

export async function listProgress(db: Db, plant: string): Promise<readonly ProgressRecord[]> {
  const rows = await db.selectFrom('operation_progress').selectAll().where('plant', '=', plant)
    .orderBy('work_order').orderBy('operation').execute();
  return rows.map(toRecord);
}

function toRecord(row: {
  work_order: string; operation: string; status: ProgressStatus; work_center: string | null; unit: number | null;
  started_at: Date | null; completed_at: Date | null; quantity_good: number; quantity_scrap: number;
}): ProgressRecord {
  return {
    workOrder: row.work_order,
    operation: row.operation,
    status: row.status,
    workCenter: row.work_center,
    unit: row.unit,
    startedAt: row.started_at === null ? null : toIso(row.started_at),
    completedAt: row.completed_at === null ? null : toIso(row.completed_at),
    quantityGood: row.quantity_good,
    quantityScrap: row.quantity_scrap,
  };
}
