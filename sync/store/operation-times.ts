/** Standard operation times (takt-owned master data for ERPs that hold routings but no times). */
import type { OperationTimeSpec } from '../../scheduler/problem.ts';
import type { Db } from './database.ts';

/** One standard time per routing operation and scope (work center, category, or any). */
export const operationTimeKey = (t: Pick<OperationTimeSpec, 'operation' | 'workCenter' | 'category'>): string =>
  JSON.stringify([t.operation, t.workCenter ?? null, t.category ?? null]);

/** One statement for many times (distinct (plant, key)). */
export async function upsertOperationTimes(db: Db, rows: readonly { readonly plant: string; readonly time: OperationTimeSpec }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('operation_times')
    .values(rows.map(({ plant, time }) => ({
      plant,
      key: operationTimeKey(time),
      operation: time.operation,
      work_center: time.workCenter ?? null,
      category: time.category ?? null,
      setup_minutes: time.setupMinutes ?? null,
      run_minutes_per_unit: time.runMinutesPerUnit,
      min_wait_after_minutes: time.minWaitAfterMinutes ?? null,
      non_interruptible: time.nonInterruptible ?? null,
    })))
    .onConflict((oc) => oc.columns(['plant', 'key']).doUpdateSet((eb) => ({
      setup_minutes: eb.ref('excluded.setup_minutes'),
      run_minutes_per_unit: eb.ref('excluded.run_minutes_per_unit'),
      min_wait_after_minutes: eb.ref('excluded.min_wait_after_minutes'),
      non_interruptible: eb.ref('excluded.non_interruptible'),
      updated_at: new Date(),
    })))
    .execute();
}

export async function listOperationTimes(db: Db, plant: string): Promise<readonly OperationTimeSpec[]> {
  const rows = await db.selectFrom('operation_times').selectAll().where('plant', '=', plant).orderBy('key').execute();
  return rows.map((r): OperationTimeSpec => ({
    operation: r.operation,
    ...(r.work_center !== null && { workCenter: r.work_center }),
    ...(r.category !== null && { category: r.category }),
    ...(r.setup_minutes !== null && { setupMinutes: r.setup_minutes }),
    runMinutesPerUnit: r.run_minutes_per_unit,
    ...(r.min_wait_after_minutes !== null && { minWaitAfterMinutes: r.min_wait_after_minutes }),
    ...(r.non_interruptible !== null && { nonInterruptible: r.non_interruptible }),
  }));
}
