/**
 * The MES's dispatch list for one work center: operations of the latest version that are not
 * finished by `now` and start within the horizon, in planned order, with material readiness.
 */
import type { DispatchEntry, DispatchListView } from '../ports.ts';
import type { StoredScheduleVersion } from '../store/schedule-versions.ts';

export function dispatchList(version: StoredScheduleVersion, workCenter: string, nowMs: number, horizonHours: number): DispatchListView {
  const until = nowMs + horizonHours * 3_600_000;
  const rank = new Map(version.result.orders.map((o) => [o.workOrder, o.dispatchPriority]));
  const entries: DispatchEntry[] = version.result.operations
    .filter((op) => op.workCenter === workCenter && Date.parse(op.end) > nowMs && Date.parse(op.start) < until)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.unit - b.unit)
    .map((op) => ({
      workOrder: op.workOrder,
      operation: op.operation,
      unit: op.unit,
      plannedStart: op.start,
      plannedEnd: op.end,
      quantity: op.quantity,
      materialReady: Date.parse(op.materialReadyAt) <= nowMs,
      materialReadyAt: op.materialReadyAt,
      dispatchPriority: rank.get(op.workOrder) ?? 0,
    }));
  return { plant: version.plant, workCenter, scheduleVersion: version.version, entries };
}
