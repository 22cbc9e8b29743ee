/** Event builders for tests: envelopes with fresh ids and the right source per type. */
import type { EventEnvelope, Principal } from '../../../sync/ports.ts';
import { eventSources, type EventData, type EventType } from '../../../sync/ingest/schemas.ts';

let counter = 0;

export function event<T extends EventType>(
  type: T,
  data: EventData<T>,
  options: { readonly plant?: string; readonly version?: number; readonly id?: string; readonly occurredAt?: string } = {},
): EventEnvelope {
  counter += 1;
  return {
    id: options.id ?? `${type}-${counter}`,
    source: eventSources[type],
    type,
    plant: options.plant ?? 'P1',
    occurredAt: options.occurredAt ?? '2026-11-22T08:00:00Z',
    version: options.version ?? 1,
    data: data as unknown as Record<string, unknown>,
  };
}

export const everySource: Principal = { keyId: 'test', name: 'test', scopes: ['erp', 'wms', 'qms', 'mes'], plants: null };

/** A small plant: one calendar, two work centers, three items, one order with two operations. */
export function smallPlant(plant = 'P1'): EventEnvelope[] {
  const o = { plant };
  return [
    event('plant.upserted', { id: plant, name: 'Plant one', timeZone: 'Europe/Berlin', frozenWindowMinutes: 120 }, o),
    event('calendar.upserted', {
      id: 'two-shift',
      shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '22:00' }],
      exceptions: [{ date: '2026-12-25', shifts: [], reason: 'Christmas' }],
    }, o),
    event('work_center.upserted', { id: 'CNC', units: 2, calendar: 'two-shift' }, o),
    event('work_center.upserted', { id: 'ASM', name: 'Assembly', units: 1, calendar: 'two-shift' }, o),
    event('item.upserted', { id: 'STEEL', uom: 'kg' }, o),
    event('item.upserted', { id: 'BOLT' }, o),
    event('item.upserted', { id: 'PUMP', name: 'Pump' }, o),
    event('work_order.upserted', {
      id: 'WO1',
      item: 'PUMP',
      quantity: 10,
      due: '2026-11-30T16:00:00Z',
      priority: 2,
      operations: [
        { id: '10', modes: [{ workCenter: 'CNC', setupMinutes: 30, runMinutesPerUnit: 6 }] },
        { id: '20', name: 'assemble', modes: [{ workCenter: 'ASM', runMinutesPerUnit: 4 }], minWaitAfterMinutes: 15 },
      ],
      materials: [{ item: 'STEEL', quantity: 25 }, { item: 'BOLT', quantity: 40, operation: '20' }],
    }, o),
  ];
}
