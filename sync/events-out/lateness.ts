/**
 * Orders whose lateness crossed zero between two published versions, for customer service. Late
 * means planned to end after due or not planned at all (unscheduled); a completed order, or one no
 * longer planned, is out of the question either way and raises nothing.
 */
import type { ScheduledOrder, SolveResult } from '../../scheduler/result.ts';
import { eventId, type OrderLatenessData, type WebhookEvent } from './event.ts';

type Standing = 'late' | 'on-time' | 'none';

function standing(order: ScheduledOrder | undefined): Standing {
  if (order === undefined || order.status === 'completed') return 'none';
  return order.status === 'unscheduled' || (order.latenessMinutes ?? 0) > 0 ? 'late' : 'on-time';
}

/**
 * `order.late` when an order is late now and was not before (on time, new, or the first published
 * version); `order.on_time` when it was late and is on time now.
 */
export function latenessEvents(
  plant: string,
  previous: SolveResult | null,
  current: SolveResult,
  version: number,
  occurredAt: string,
): readonly (WebhookEvent<'order.late'> | WebhookEvent<'order.on_time'>)[] {
  const before = new Map((previous?.orders ?? []).map((o) => [o.workOrder, o]));
  const events: (WebhookEvent<'order.late'> | WebhookEvent<'order.on_time'>)[] = [];
  for (const order of current.orders) {
    if (order.status === 'completed') continue;
    const was = before.get(order.workOrder);
    const then = standing(was);
    const now = standing(order);
    const type = now === 'late' && then !== 'late' ? 'order.late' : now === 'on-time' && then === 'late' ? 'order.on_time' : null;
    if (type === null) continue;
    const data: OrderLatenessData = {
      workOrder: order.workOrder,
      status: order.status,
      plannedEnd: order.plannedEnd,
      due: order.due,
      latenessMinutes: order.latenessMinutes,
      previous: was === undefined ? null : { plannedEnd: was.plannedEnd, latenessMinutes: was.latenessMinutes },
      reasons: type === 'order.late' ? order.reasons : [],
    };
    events.push({ id: eventId(plant, version, type, order.workOrder), type, plant, occurredAt, version, data });
  }
  return events;
}
