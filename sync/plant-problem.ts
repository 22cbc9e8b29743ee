/**
 * The stored plant state as the engine's PlantProblem: master data, open orders with the shop
 * floor's progress and planners' pins, supply, active holds, downtimes that still matter, and
 * the schedule in force as `previous`.
 */
import { previousAssignments } from '../scheduler/previous.ts';
import type {
  DowntimeSpec, OperationSpec, PlantProblem, WorkCenterSpec, WorkOrderSpec,
} from '../scheduler/problem.ts';
import type { Db } from './store/database.ts';
import { listCalendars } from './store/calendars.ts';
import { listRelevantDowntimes, type Breakdown } from './store/downtimes.ts';
import { listActiveHolds } from './store/holds.ts';
import { listItems } from './store/items.ts';
import { listOperationTimes } from './store/operation-times.ts';
import { listLots } from './store/lots.ts';
import { listProgress, type ProgressRecord } from './store/operation-progress.ts';
import { listPins } from './store/pins.ts';
import { getPlant } from './store/plants.ts';
import { listExpectedReceipts } from './store/receipts.ts';
import { latestScheduleVersion } from './store/schedule-versions.ts';
import { listWorkCenters } from './store/work-centers.ts';
import { listWorkOrders } from './store/work-orders.ts';

export interface LoadPlantOptions {
  /**
   * An open breakdown whose expected end has passed is still down: assume it lasts this many
   * minutes past `now` (default 60) until the MES reports its end or a new estimate.
   */
  readonly overdueBreakdownMinutes?: number;
}

const MINUTE_MS = 60_000;

/** Reads in one repeatable-read transaction (or the caller's), so the snapshot is consistent. */
export async function loadPlantProblem(db: Db, plant: string, now: Date | string, options: LoadPlantOptions = {}): Promise<PlantProblem | null> {
  if (db.isTransaction) return load(db, plant, now, options);
  return db.transaction().setIsolationLevel('repeatable read').execute((trx) => load(trx, plant, now, options));
}

async function load(db: Db, plant: string, now: Date | string, options: LoadPlantOptions): Promise<PlantProblem | null> {
  const settings = await getPlant(db, plant);
  if (settings === null) return null;
  const nowIso = new Date(now).toISOString();

  const [calendars, workCenters, breakdowns, items, orders, progress, pins, lots, receipts, holds, operationTimes, latest] = await sequential([
    () => listCalendars(db, plant),
    () => listWorkCenters(db, plant),
    () => listRelevantDowntimes(db, plant, nowIso),
    () => listItems(db, plant),
    () => listWorkOrders(db, plant),
    () => listProgress(db, plant),
    () => listPins(db, plant),
    () => listLots(db, plant),
    () => listExpectedReceipts(db, plant),
    () => listActiveHolds(db, plant),
    () => listOperationTimes(db, plant),
    () => latestScheduleVersion(db, plant),
  ] as const);

  const overdueMs = (options.overdueBreakdownMinutes ?? 60) * MINUTE_MS;
  const workOrders = withShopFloor(orders, progress, pins);
  const orderIds = new Set(workOrders.map((o) => o.id));
  const previous = previousAssignments((latest?.result.operations ?? []).filter((op) => orderIds.has(op.workOrder)));

  return {
    plant: settings,
    now: nowIso,
    calendars,
    workCenters: withDowntimes(workCenters, breakdowns, Date.parse(nowIso), overdueMs),
    items,
    workOrders,
    lots,
    receipts,
    holds,
    ...(operationTimes.length > 0 && { operationTimes }),
    ...(previous.length > 0 && { previous }),
  };
}

/**
 * One query at a time: a transaction handle (and PGlite) is a single session; parallel
 * queries would only queue up behind each other anyway.
 */
async function sequential<T extends readonly (() => Promise<unknown>)[]>(steps: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const step of steps) results.push(await step());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

function withDowntimes(workCenters: readonly WorkCenterSpec[], breakdowns: readonly Breakdown[], nowMs: number, overdueMs: number): WorkCenterSpec[] {
  return workCenters.map((wc) => {
    const planned = (wc.downtimes ?? []).filter((d) => Date.parse(d.end) > nowMs);
    const reported = breakdowns.filter((b) => b.workCenter === wc.id).map((b): DowntimeSpec => {
      const overdue = b.open && Date.parse(b.end) <= nowMs;
      return {
        id: b.id,
        start: b.start,
        end: overdue ? new Date(nowMs + overdueMs).toISOString() : b.end,
        ...(b.unit !== undefined && { unit: b.unit }),
        ...(b.reason !== undefined && { reason: b.reason }),
      };
    });
    const downtimes = [...planned, ...reported];
    const { downtimes: _stored, ...rest } = wc;
    return downtimes.length > 0 ? { ...rest, downtimes } : rest;
  });
}

function withShopFloor(
  orders: readonly WorkOrderSpec[],
  progress: readonly ProgressRecord[],
  pins: readonly { readonly workOrder: string; readonly operation: string; readonly pin: NonNullable<OperationSpec['pin']> }[],
): WorkOrderSpec[] {
  const key = (workOrder: string, operation: string) => JSON.stringify([workOrder, operation]);
  const progressByOp = new Map(progress.map((p) => [key(p.workOrder, p.operation), p]));
  const pinByOp = new Map(pins.map((p) => [key(p.workOrder, p.operation), p.pin]));
  return orders.map((order) => ({
    ...order,
    operations: order.operations.map((op): OperationSpec => {
      const reported = progressByOp.get(key(order.id, op.id));
      const pin = pinByOp.get(key(order.id, op.id));
      if (reported?.status === 'completed') return { ...op, status: 'completed' };
      if (reported?.status === 'started') {
        return {
          ...op,
          status: 'started',
          progress: {
            // A start is only accepted with a work center; fall back to the primary defensively.
            workCenter: reported.workCenter ?? op.modes[0]?.workCenter ?? op.standard?.workCenters?.[0] ?? '',
            ...(reported.unit !== null && { unit: reported.unit }),
            ...(reported.startedAt !== null && { startedAt: reported.startedAt }),
            quantityDone: reported.quantityGood,
          },
        };
      }
      return pin === undefined ? op : { ...op, pin };
    }),
  }));
}
