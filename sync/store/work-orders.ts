/**
 * Work orders with their routing and materials as child rows. Operation status, progress and
 * pins are not part of the ERP's order: they live in `operation_progress` and `pins`, so that
 * an ERP update of the order does not erase what the shop floor reported.
 */
import type { OperationSpec, WorkOrderSpec, WorkOrderStatus } from '../../scheduler/problem.ts';
import type { ExpressionBuilder } from 'kysely';
import { toIso, toJson, type Database, type Db } from './database.ts';

export interface WorkOrderRow {
  readonly plant: string;
  readonly order: WorkOrderSpec;
}

export async function upsertWorkOrder(db: Db, plant: string, order: WorkOrderSpec): Promise<void> {
  await upsertWorkOrders(db, [{ plant, order }]);
}

/** Rows per statement for child rows: well under PostgreSQL's 65,535 parameters. */
const CHILD_ROWS_PER_STATEMENT = 2_000;

/** Many orders (distinct (plant, id)): headers in one statement, children replaced in a few. */
export async function upsertWorkOrders(db: Db, rows: readonly WorkOrderRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('work_orders')
    .values(rows.map(({ plant, order }) => ({
      plant,
      id: order.id,
      item: order.item,
      quantity: order.quantity,
      due: order.due,
      release_at: order.release ?? null,
      priority: order.priority ?? null,
      status: order.status ?? null,
    })))
    .onConflict((oc) => oc.columns(['plant', 'id']).doUpdateSet((eb) => ({
      item: eb.ref('excluded.item'),
      quantity: eb.ref('excluded.quantity'),
      due: eb.ref('excluded.due'),
      release_at: eb.ref('excluded.release_at'),
      priority: eb.ref('excluded.priority'),
      status: eb.ref('excluded.status'),
      updated_at: new Date(),
    })))
    .execute();
  const owners = (eb: ExpressionBuilder<Database, 'work_order_operations' | 'work_order_materials'>) =>
    eb(eb.refTuple('plant', 'work_order'), 'in', rows.map(({ plant, order }) => eb.tuple(plant, order.id)));
  await db.deleteFrom('work_order_operations').where(owners).execute();
  await db.deleteFrom('work_order_materials').where(owners).execute();
  const operations = rows.flatMap(({ plant, order }) => order.operations.map((op, seq) => ({
    plant,
    work_order: order.id,
    id: op.id,
    seq,
    name: op.name ?? null,
    work_center: op.modes[0]?.workCenter ?? op.standard?.workCenters?.[0] ?? '',
    modes: toJson(op.modes),
    standard: op.standard === undefined ? null : toJson(op.standard),
    min_wait_after_minutes: op.minWaitAfterMinutes ?? null,
    non_interruptible: op.nonInterruptible ?? null,
  })));
  for (const chunk of chunks(operations, CHILD_ROWS_PER_STATEMENT)) await db.insertInto('work_order_operations').values(chunk).execute();
  const materials = rows.flatMap(({ plant, order }) => (order.materials ?? []).map((m, seq) => ({
    plant, work_order: order.id, seq, item: m.item, quantity: m.quantity, operation: m.operation ?? null,
  })));
  for (const chunk of chunks(materials, CHILD_ROWS_PER_STATEMENT)) await db.insertInto('work_order_materials').values(chunk).execute();
}

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export async function setWorkOrderStatus(db: Db, plant: string, id: string, status: WorkOrderStatus): Promise<boolean> {
  const result = await db.updateTable('work_orders').set({ status, updated_at: new Date() })
    .where('plant', '=', plant).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface RoutingStep {
  readonly id: string;
  readonly workCenters: readonly string[];
}

/** Where an operation may run: its modes, or its standard's candidates. */
export function routingStep(op: Pick<OperationSpec, 'id' | 'modes' | 'standard'>): RoutingStep {
  return { id: op.id, workCenters: op.modes.length > 0 ? op.modes.map((m) => m.workCenter) : [...(op.standard?.workCenters ?? [])] };
}

/** The order's operations in sequence, or null when the order is unknown. */
export async function getRouting(db: Db, plant: string, workOrder: string): Promise<readonly RoutingStep[] | null> {
  return (await getRoutedOrders(db, plant, [workOrder])).get(workOrder)?.steps ?? null;
}

/** What shop-floor reports are checked against: how many the order makes, and whether it is still open. */
export interface OrderFacts {
  readonly quantity: number;
  readonly status: WorkOrderStatus | null;
}

/** An order's facts and its operations in sequence. */
export interface RoutedOrder {
  readonly facts: OrderFacts;
  readonly steps: readonly RoutingStep[];
}

/** The plant's orders among `workOrders` with their routings, by order (a missing order is unknown). */
export async function getRoutedOrders(db: Db, plant: string, workOrders: Iterable<string>): Promise<Map<string, RoutedOrder>> {
  const wanted = [...new Set(workOrders)];
  if (wanted.length === 0) return new Map();
  const orders = await db.selectFrom('work_orders').select(['id', 'quantity', 'status']).where('plant', '=', plant).where('id', 'in', wanted).execute();
  const steps = new Map<string, RoutingStep[]>(orders.map((o) => [o.id, []]));
  if (orders.length > 0) {
    const rows = await db.selectFrom('work_order_operations').select(['work_order', 'id', 'modes', 'standard'])
      .where('plant', '=', plant).where('work_order', 'in', orders.map((o) => o.id)).orderBy('work_order').orderBy('seq').execute();
    for (const r of rows) steps.get(r.work_order)?.push(routingStep({ id: r.id, modes: r.modes, ...(r.standard !== null && { standard: r.standard }) }));
  }
  return new Map(orders.map((o) => [o.id, {
    facts: { quantity: Number(o.quantity), status: o.status as WorkOrderStatus | null },
    steps: steps.get(o.id)!,
  }]));
}

/** Statuses whose orders are history: not given to the engine. */
export const CLOSED_STATUSES: readonly WorkOrderStatus[] = ['completed', 'cancelled', 'closed'];

export interface ListWorkOrdersOptions {
  /** Include completed, cancelled and closed orders (default false). */
  readonly includeClosed?: boolean;
  /** Only these orders. */
  readonly ids?: readonly string[];
}

/** Orders as the ERP gave them (no operation status, progress or pins), by id. */
export async function listWorkOrders(db: Db, plant: string, options: ListWorkOrdersOptions = {}): Promise<readonly WorkOrderSpec[]> {
  let query = db.selectFrom('work_orders').selectAll().where('plant', '=', plant);
  if (options.ids !== undefined) {
    if (options.ids.length === 0) return [];
    query = query.where('id', 'in', [...options.ids]);
  }
  if (options.includeClosed !== true) {
    query = query.where((eb) => eb.or([eb('status', 'is', null), eb('status', 'not in', [...CLOSED_STATUSES])]));
  }
  const orders = await query.orderBy('id').execute();
  if (orders.length === 0) return [];
  const ids = orders.map((o) => o.id);
  const operations = await db.selectFrom('work_order_operations').selectAll()
    .where('plant', '=', plant).where('work_order', 'in', ids).orderBy('work_order').orderBy('seq').execute();
  const materials = await db.selectFrom('work_order_materials').selectAll()
    .where('plant', '=', plant).where('work_order', 'in', ids).orderBy('work_order').orderBy('seq').execute();

  const opsByOrder = groupBy(operations, (r) => r.work_order);
  const matsByOrder = groupBy(materials, (r) => r.work_order);
  return orders.map((row): WorkOrderSpec => {
    const mats = matsByOrder.get(row.id) ?? [];
    return {
      id: row.id,
      item: row.item,
      quantity: row.quantity,
      due: toIso(row.due),
      ...(row.release_at !== null && { release: toIso(row.release_at) }),
      ...(row.priority !== null && { priority: row.priority }),
      ...(row.status !== null && { status: row.status as WorkOrderStatus }),
      operations: (opsByOrder.get(row.id) ?? []).map((op): OperationSpec => ({
        id: op.id,
        ...(op.name !== null && { name: op.name }),
        modes: op.modes,
        ...(op.standard !== null && { standard: op.standard }),
        ...(op.min_wait_after_minutes !== null && { minWaitAfterMinutes: op.min_wait_after_minutes }),
        ...(op.non_interruptible !== null && { nonInterruptible: op.non_interruptible }),
      })),
      ...(mats.length > 0 && {
        materials: mats.map((m) => ({ item: m.item, quantity: m.quantity, ...(m.operation !== null && { operation: m.operation }) })),
      }),
    };
  });
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
