/** Order by order, what a candidate schedule changes against the current version. */
import type { ScheduledOrder } from '../../scheduler/result.ts';
import type { OrderChange } from '../ports.ts';

type Plan = NonNullable<OrderChange['before']>;

function planOf(order: ScheduledOrder | undefined): Plan | null {
  if (!order) return null;
  return { plannedStart: order.plannedStart, plannedEnd: order.plannedEnd, dispatchPriority: order.dispatchPriority };
}

function same(a: Plan | null, b: Plan | null): boolean {
  return a?.plannedStart === b?.plannedStart && a?.plannedEnd === b?.plannedEnd && a?.dispatchPriority === b?.dispatchPriority;
}

export function diffOrders(before: readonly ScheduledOrder[], after: readonly ScheduledOrder[]): OrderChange[] {
  const old = new Map(before.map((o) => [o.workOrder, o]));
  const ids = [...new Set([...before.map((o) => o.workOrder), ...after.map((o) => o.workOrder)])];
  const fresh = new Map(after.map((o) => [o.workOrder, o]));
  return ids.flatMap((workOrder) => {
    const b = planOf(old.get(workOrder));
    const a = planOf(fresh.get(workOrder));
    return same(a, b) ? [] : [{ workOrder, before: b, after: a }];
  });
}
