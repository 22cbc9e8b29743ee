/**
 * `mrp.workcenter` → takt's `work_center.upserted`, and the figures of a center that operation
 * times are computed from (Odoo's `_get_duration_expected`):
 * - `default_capacity`: pieces produced in parallel; takt's `units` (at least 1, whole);
 * - `time_start` + `time_stop` (minutes): setup and cleanup, counted once per work order;
 * - `time_efficiency` (percent): run time is `time_cycle * 100 / time_efficiency` per cycle;
 * - `resource_calendar_id`: the working time (a center without one cannot be planned, in Odoo
 *   either: `_plan_workorder` raises "There is no defined calendar on workcenter").
 */
import { calendarKey, workCenterKey } from './keys.ts';
import { ids, m2oId, num, odooDatetime, odooMs, text, type OdooRecord } from './values.ts';

export const WORKCENTER_FIELDS = [
  'name', 'code', 'default_capacity', 'time_efficiency', 'time_start', 'time_stop',
  'resource_calendar_id', 'alternative_workcenter_ids', 'company_id', 'write_date',
] as const;

export interface WorkCenterInfo {
  readonly id: number;
  readonly key: string;
  readonly name: string | null;
  readonly calendarId: number | null;
  /** Parallel pieces (Odoo's capacity), at least 1. */
  readonly capacity: number;
  /** Setup + cleanup minutes. */
  readonly setupMinutes: number;
  /** Percent; 100 when unset or nonsensical. */
  readonly efficiency: number;
  readonly alternatives: readonly number[];
  readonly stamp: string | null;
}

export function workCenterInfo(record: OdooRecord): WorkCenterInfo {
  const efficiency = num(record.time_efficiency, 100);
  const capacity = num(record.default_capacity, 1);
  return {
    id: num(record.id),
    key: workCenterKey(record),
    name: text(record.name),
    calendarId: m2oId(record.resource_calendar_id),
    capacity: capacity > 0 ? capacity : 1,
    setupMinutes: Math.max(0, num(record.time_start)) + Math.max(0, num(record.time_stop)),
    efficiency: efficiency > 0 ? efficiency : 100,
    alternatives: ids(record.alternative_workcenter_ids),
    stamp: odooDatetime(record.write_date),
  };
}

export type WorkCenterData = {
  readonly id: string;
  readonly name?: string;
  readonly units: number;
  readonly calendar: string;
};

/** The canonical work center; null when it has no calendar (takt needs one to plan it). */
export function mapWorkCenter(info: WorkCenterInfo): { readonly data: WorkCenterData; readonly changedAt: number } | null {
  if (info.calendarId === null) return null;
  return {
    data: {
      id: info.key,
      ...(info.name !== null && { name: info.name.slice(0, 2000) }),
      units: Math.min(1000, Math.max(1, Math.round(info.capacity))),
      calendar: calendarKey(info.calendarId),
    },
    changedAt: odooMs(info.stamp) ?? 0,
  };
}
