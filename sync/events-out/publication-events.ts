/**
 * What a published schedule version tells the outside world, computed from it and the previously
 * published one: shortages raised and cleared, orders turned late or on time, and the
 * publication itself. Pure: the same inputs give the same events with the same ids.
 */
import type { SolveResult } from '../../scheduler/result.ts';
import { eventId, type AnyWebhookEvent, type WebhookEvent } from './event.ts';
import { latenessEvents } from './lateness.ts';
import { shortageEvents, shortagesOf, type OrderFacts } from './shortages.ts';

export type { OrderFacts } from './shortages.ts';

/**
 * @param previous the plant's previously *published* version (null: this is its first); a
 *   proposed or discarded version in between is not what the receivers saw.
 * @param occurredAt when `current` was published (ISO instant).
 */
export function publicationEvents(
  plant: string,
  previous: SolveResult | null,
  current: SolveResult,
  version: number,
  occurredAt: string,
  facts: OrderFacts = {},
): readonly AnyWebhookEvent[] {
  return [
    ...shortageEvents(plant, previous, current, version, occurredAt, facts),
    ...latenessEvents(plant, previous, current, version, occurredAt),
    // Last: a receiver that acts on the publication has the finer facts of the version already
    // queued (not a delivery order guarantee: deliveries run in parallel and retry independently).
    schedulePublished(plant, current, version, occurredAt),
  ];
}

function schedulePublished(plant: string, result: SolveResult, version: number, occurredAt: string): WebhookEvent<'schedule.published'> {
  const unscheduled = result.orders.filter((o) => o.status === 'unscheduled').length;
  return {
    id: eventId(plant, version, 'schedule.published'),
    type: 'schedule.published',
    plant,
    occurredAt,
    version,
    data: {
      plant,
      version,
      status: result.status,
      now: result.now,
      kpis: result.kpis,
      counts: {
        operations: result.operations.length,
        orders: result.orders.length,
        scheduledOrders: result.orders.filter((o) => o.status === 'scheduled').length,
        unscheduledOrders: unscheduled,
        lateOrders: result.orders.filter((o) => o.status === 'scheduled' && (o.latenessMinutes ?? 0) > 0).length,
        problems: result.problems.length,
        shortages: shortagesOf(result).size,
      },
      schedulePath: `/v1/plants/${encodeURIComponent(plant)}/schedule`,
    },
  };
}
