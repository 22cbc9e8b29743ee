/** One order with its plan and the reason chain, from the problem and the latest version. */
import type { WorkOrderSpec } from '../../scheduler/problem.ts';
import type { WorkOrderView } from '../ports.ts';
import type { StoredScheduleVersion } from '../store/schedule-versions.ts';

export function toWorkOrderView(order: WorkOrderSpec, version: StoredScheduleVersion | null): WorkOrderView {
  const planned = version?.result.orders.find((o) => o.workOrder === order.id) ?? null;
  const concerns = (p: { readonly type: string } & Partial<{ readonly workOrder: string }>): boolean => p.workOrder === order.id;
  return {
    workOrder: order.id,
    item: order.item,
    quantity: order.quantity,
    due: order.due,
    priority: order.priority ?? 1,
    status: order.status ?? 'planned',
    scheduleVersion: version?.version ?? null,
    plannedStart: planned?.plannedStart ?? null,
    plannedEnd: planned?.plannedEnd ?? null,
    latenessMinutes: planned?.latenessMinutes ?? null,
    dispatchPriority: planned?.dispatchPriority ?? null,
    reasons: planned?.reasons ?? [],
    operations: version?.result.operations.filter((op) => op.workOrder === order.id) ?? [],
    problems: version?.result.problems.filter(concerns) ?? [],
  };
}
