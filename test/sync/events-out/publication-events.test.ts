import { describe, expect, it } from 'vitest';
import type { AnyWebhookEvent } from '../../../sync/events-out/event.ts';
import { publicationEvents } from '../../../sync/events-out/publication-events.ts';
import { NOW, operation, order, result, shortage } from './results.ts';

const AT = '2026-11-22T06:00:05.000Z';
const byId = (events: readonly AnyWebhookEvent[]) => new Map(events.map((e) => [e.id, e]));

describe('publicationEvents', () => {
  const previous = result({
    orders: [order('WO-1', null), order('WO-2', null), order('WO-3', null), order('WO-10', -10), order('WO-11', 45), order('WO-12', 5),
      order('WO-13', 0), order('WO-16', 60), order('WO-17', 60)],
    problems: [shortage('WO-1', 'ITEM-A', 5), shortage('WO-2', 'ITEM-B', 3), shortage('WO-3', 'ITEM-C', 1)],
  });
  const current = result({
    orders: [
      order('WO-1', null), order('WO-2', 0), order('WO-4', null), order('WO-5', null),
      order('WO-10', 30), order('WO-11', 0), order('WO-12', 90), order('WO-13', null), order('WO-14', 1), order('WO-15', -100),
      order('WO-17', 60, { status: 'completed' }),
    ],
    problems: [
      shortage('WO-1', 'ITEM-A', 7),
      shortage('WO-4', 'ITEM-A', 2, '10', '2026-11-25T00:00:00.000Z'), shortage('WO-4', 'ITEM-A', 1, '20', '2026-11-26T00:00:00.000Z'),
      shortage('WO-5', 'ITEM-D', 4, '30'),
      { type: 'late', workOrder: 'WO-10', latenessMinutes: 30 },
    ],
    operations: [operation('WO-5', '30', '2026-11-22T10:00:00.000Z')],
  });
  const events = publicationEvents('P1', previous, current, 7, AT, { releaseOf: (wo) => (wo === 'WO-4' ? '2026-11-24T00:00:00Z' : null) });
  const found = byId(events);

  it('raises a shortage that is new in the version, per (order, item), over its operations', () => {
    expect(found.get('P1:v7:shortage.raised:WO-4:ITEM-A')).toEqual({
      id: 'P1:v7:shortage.raised:WO-4:ITEM-A', type: 'shortage.raised', plant: 'P1', occurredAt: AT, version: 7,
      data: {
        workOrder: 'WO-4', item: 'ITEM-A', missingQuantity: 3, operations: ['10', '20'],
        // Not scheduled: needed when it could start at the earliest, its release (after now).
        neededBy: '2026-11-24T00:00:00Z',
        earliestCoverAt: '2026-11-26T00:00:00.000Z',
        blockedOrders: ['WO-1', 'WO-4'],
      },
    });
    // Needed by the operation's planned start when it has one.
    expect(found.get('P1:v7:shortage.raised:WO-5:ITEM-D')?.data).toMatchObject({ neededBy: '2026-11-22T10:00:00.000Z', blockedOrders: ['WO-5'] });
    // Still short (by a different quantity): the same fact, nothing new.
    expect([...found.keys()].filter((id) => id.includes('WO-1:'))).toEqual([]);
  });

  it('clears a shortage that is gone: covered when the order is still planned, order-closed when it is not', () => {
    expect(found.get('P1:v7:shortage.cleared:WO-2:ITEM-B')?.data).toEqual({ workOrder: 'WO-2', item: 'ITEM-B', reason: 'covered', previousMissingQuantity: 3 });
    expect(found.get('P1:v7:shortage.cleared:WO-3:ITEM-C')?.data).toEqual({ workOrder: 'WO-3', item: 'ITEM-C', reason: 'order-closed', previousMissingQuantity: 1 });
  });

  it('reports orders whose lateness crossed zero, both ways, and no others', () => {
    const late = events.filter((e) => e.type === 'order.late').map((e) => e.data.workOrder);
    const onTime = events.filter((e) => e.type === 'order.on_time').map((e) => e.data.workOrder);
    // WO-4 and WO-5 are new and unscheduled (short): late too.
    expect(late.sort()).toEqual(['WO-10', 'WO-13', 'WO-14', 'WO-4', 'WO-5']);
    // WO-2 was unscheduled (late) and is exactly on time now.
    expect(onTime.sort()).toEqual(['WO-11', 'WO-2']);
    expect(found.get('P1:v7:order.late:WO-10')?.data).toMatchObject({
      workOrder: 'WO-10', status: 'scheduled', plannedEnd: '2026-11-23T12:30:00.000Z', due: '2026-11-23T12:00:00.000Z', latenessMinutes: 30,
      previous: { plannedEnd: '2026-11-23T11:50:00.000Z', latenessMinutes: -10 },
    });
    expect(found.get('P1:v7:order.late:WO-10')?.data).toHaveProperty('reasons.0.kind', 'capacity');
    expect(found.get('P1:v7:order.late:WO-13')?.data).toMatchObject({ status: 'unscheduled', plannedEnd: null, latenessMinutes: null });
    expect(found.get('P1:v7:order.late:WO-14')?.data).toMatchObject({ previous: null, latenessMinutes: 1 });
    expect(found.get('P1:v7:order.on_time:WO-11')?.data).toMatchObject({ latenessMinutes: 0, previous: { latenessMinutes: 45 }, reasons: [] });
  });

  it('ends with schedule.published: KPIs, counts and where the schedule is', () => {
    const last = events.at(-1);
    expect(last?.id).toBe('P1:v7:schedule.published');
    expect(last?.type).toBe('schedule.published');
    expect(last?.data).toEqual({
      plant: 'P1', version: 7, status: 'partial', now: NOW, kpis: current.kpis,
      counts: { operations: 1, orders: 11, scheduledOrders: 6, unscheduledOrders: 4, lateOrders: 3, problems: 5, shortages: 3 },
      schedulePath: '/v1/plants/P1/schedule',
    });
  });

  it('on a first publication, raises every shortage and late order and clears nothing', () => {
    const first = publicationEvents('P1', null, current, 1, AT);
    const types = first.map((e) => e.type);
    expect(types.filter((t) => t === 'shortage.raised')).toHaveLength(3);
    expect(types.filter((t) => t === 'order.late')).toHaveLength(7);
    expect(types).not.toContain('shortage.cleared');
    expect(types).not.toContain('order.on_time');
    // Without a release the order is needed now.
    expect(first.find((e) => e.id === 'P1:v1:shortage.raised:WO-4:ITEM-A')?.data).toHaveProperty('neededBy', NOW);
  });

  it('gives the same fact in the same version the same id, and different facts different ids', () => {
    expect(publicationEvents('P1', previous, current, 7, '2030-01-01T00:00:00Z').map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(publicationEvents('P1', previous, current, 8, AT).map((e) => e.id)).not.toContain(events[0]?.id);
    // Colons in ids cannot make two facts one.
    const colons = publicationEvents('P:1', null, result({ problems: [shortage('A:B', 'C', 1), shortage('A', 'B:C', 1)] }), 1, AT);
    expect(colons.map((e) => e.id)).toEqual(['P%3A1:v1:shortage.raised:A%3AB:C', 'P%3A1:v1:shortage.raised:A:B%3AC', 'P%3A1:v1:schedule.published']);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('says nothing but the publication when nothing crossed', () => {
    expect(publicationEvents('P1', current, current, 8, AT).map((e) => e.type)).toEqual(['schedule.published']);
  });
});
