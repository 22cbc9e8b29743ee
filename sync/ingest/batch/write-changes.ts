/**
 * Writes a batch's changes in a few statements. Changes to different tables commute, so each
 * table is written once, parents before children (the foreign keys); within a table the batch
 * order is kept: consecutive changes of one kind become one statement, in which only the last
 * change per row counts (each change replaces its row). Rows go in key order, so concurrent
 * batches lock rows in the same order.
 */
import type { Db } from '../../store/database.ts';
import { placeHold, releaseHold } from '../../store/holds.ts';
import { endDowntime, startDowntime } from '../../store/downtimes.ts';
import { upsertCalendar } from '../../store/calendars.ts';
import { upsertItems } from '../../store/items.ts';
import { operationTimeKey, upsertOperationTimes } from '../../store/operation-times.ts';
import { upsertLots } from '../../store/lots.ts';
import { saveProgressRecords } from '../../store/operation-progress.ts';
import { upsertPlant } from '../../store/plants.ts';
import { setReceiptStatus, upsertReceipts } from '../../store/receipts.ts';
import { upsertWorkCenter } from '../../store/work-centers.ts';
import { setWorkOrderStatus, upsertWorkOrders } from '../../store/work-orders.ts';
import type { Change, ChangeKind, ChangeOf } from './changes.ts';

interface Writer {
  readonly table: string;
  /** The row a change replaces. */
  key(change: Change): string;
  /** Writes changes (of this writer's kind) to distinct rows. */
  write(db: Db, changes: readonly Change[]): Promise<void>;
}

/** A writer of one kind; the batch hands it only changes of that kind. */
function writer<K extends ChangeKind>(
  table: string, key: (change: ChangeOf<K>) => string, write: (db: Db, changes: readonly ChangeOf<K>[]) => Promise<void>,
): Writer {
  return { table, key: key as (change: Change) => string, write: write as (db: Db, changes: readonly Change[]) => Promise<void> };
}

const rowKey = (...parts: readonly string[]): string => JSON.stringify(parts);

/** For rare kinds: one statement per change, through the single-row repository function. */
const eachOf = <K extends ChangeKind>(write: (db: Db, change: ChangeOf<K>) => Promise<unknown>) =>
  async (db: Db, changes: readonly ChangeOf<K>[]): Promise<void> => {
    for (const change of changes) await write(db, change);
  };

const writers: { readonly [K in ChangeKind]: Writer } = {
  'plant': writer<'plant'>('plants', (c) => rowKey(c.plant), eachOf((db, c) => upsertPlant(db, c.settings))),
  'calendar': writer<'calendar'>('calendars', (c) => rowKey(c.plant, c.calendar.id), eachOf((db, c) => upsertCalendar(db, c.plant, c.calendar))),
  'work-center': writer<'work-center'>('work_centers', (c) => rowKey(c.plant, c.workCenter.id), eachOf((db, c) => upsertWorkCenter(db, c.plant, c.workCenter))),
  'item': writer<'item'>('items', (c) => rowKey(c.plant, c.item.id), upsertItems),
  'operation-time': writer<'operation-time'>('operation_times', (c) => rowKey(c.plant, operationTimeKey(c.time)), upsertOperationTimes),
  'work-order': writer<'work-order'>('work_orders', (c) => rowKey(c.plant, c.order.id), upsertWorkOrders),
  'work-order-status': writer<'work-order-status'>('work_orders', (c) => rowKey(c.plant, c.id), eachOf((db, c) => setWorkOrderStatus(db, c.plant, c.id, c.status))),
  'receipt': writer<'receipt'>('receipts', (c) => rowKey(c.plant, c.receipt.id), upsertReceipts),
  'receipt-status': writer<'receipt-status'>('receipts', (c) => rowKey(c.plant, c.id), eachOf((db, c) => setReceiptStatus(db, c.plant, c.id, c.status, c.arrivedAt))),
  'lot': writer<'lot'>('lots', (c) => rowKey(c.plant, c.lot.id), upsertLots),
  'hold': writer<'hold'>('holds', (c) => rowKey(c.plant, c.hold.id), eachOf((db, c) => placeHold(db, c.plant, c.hold, c.placedAt))),
  'hold-release': writer<'hold-release'>('holds', (c) => rowKey(c.plant, c.id), eachOf((db, c) => releaseHold(db, c.plant, c.id, c.releasedAt))),
  'downtime': writer<'downtime'>('downtimes', (c) => rowKey(c.plant, c.downtime.id), eachOf((db, c) => startDowntime(db, c.plant, c.downtime))),
  'downtime-end': writer<'downtime-end'>('downtimes', (c) => rowKey(c.plant, c.id), eachOf((db, c) => endDowntime(db, c.plant, c.id, c.end))),
  'progress': writer<'progress'>('operation_progress', (c) => rowKey(c.plant, c.record.workOrder, c.record.operation), saveProgressRecords),
};

/** Parents before children. */
const TABLE_ORDER: readonly string[] = [
  'plants', 'calendars', 'work_centers', 'items', 'operation_times', 'work_orders', 'receipts', 'lots', 'holds', 'downtimes', 'operation_progress',
];

const writerOf = (change: Change): Writer => writers[change.kind];

/** Consecutive changes of one kind. */
function runsOfOneKind(changes: readonly Change[]): Change[][] {
  const runs: Change[][] = [];
  for (const change of changes) {
    const last = runs.at(-1);
    if (last !== undefined && last[0]!.kind === change.kind) last.push(change);
    else runs.push([change]);
  }
  return runs;
}

/** The last change per row, in row-key order. */
function lastPerRow(run: readonly Change[], writer: Writer): Change[] {
  const byKey = new Map<string, Change>();
  for (const change of run) byKey.set(writer.key(change), change);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, change]) => change);
}

export async function writeChanges(db: Db, changes: readonly Change[]): Promise<void> {
  for (const table of TABLE_ORDER) {
    const ofTable = changes.filter((c) => writerOf(c).table === table);
    for (const run of runsOfOneKind(ofTable)) {
      const writer = writerOf(run[0]!);
      await writer.write(db, lastPerRow(run, writer));
    }
  }
}
