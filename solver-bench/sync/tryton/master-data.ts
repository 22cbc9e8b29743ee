/**
 * What takt keeps itself for a Tryton plant (Tryton has routings but no capacities, calendars
 * or times): two shifts on weekdays, every work center by its Tryton name, and the standard
 * time of each routing operation on its category, as the live test ingests them.
 */
import type { EventEnvelope } from '../../../sync/ports.ts';
import { OPERATION_TIMES, type PlantSpec } from './plant-spec.ts';

export const PLANT = 'TRY-BENCH';

export function masterData(spec: PlantSpec): EventEnvelope[] {
  const at = new Date().toISOString();
  const e = (type: string, key: string, data: Record<string, unknown>): EventEnvelope => ({
    id: `bench:${type}:${key}`, source: 'erp', type, plant: PLANT, occurredAt: at, version: 1, data,
  });
  return [
    e('calendar.upserted', 'two-shifts', { id: 'two-shifts', shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '22:00' }] }),
    ...spec.categories.flatMap((c) => c.centers.map((id) => e('work_center.upserted', id, { id, units: 1, calendar: 'two-shifts' }))),
    ...OPERATION_TIMES.map((t) => e('operation_time.upserted', `${t.operation}/${t.category}`, { ...t })),
  ];
}
