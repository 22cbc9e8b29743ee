/**
 * API_WORK_CENTERS: A_WorkCenters (type `A`, with `to_Capacity/to_CapacityInterval/
 * to_CapacityShift` expanded) → `calendar.upserted` per capacity and `work_center.upserted`.
 *
 * - units: the capacity's number of individual capacities (`CapacityNumberOfCapacities`), from
 *   the interval valid today when there is one, else the capacity header; at least 1.
 * - calendar: the shifts of the interval of available capacity valid today in the capacity's
 *   active version (`A_WorkCenterCapacityShift_2`: `WeekDay` 1 = Monday … 7 = Sunday,
 *   `ShiftStartTime`, `ShiftEndTime`); without one, the capacity's standard available time
 *   (`CapacityStartTime`/`CapacityEndTime`, seconds) on the configured workdays, because the
 *   factory calendar behind it is not exposed by any of these APIs; without either, the
 *   configured default calendar. Breaks and the utilization percentage have no place in a
 *   takt calendar and are not read.
 */
import type { Weekday } from '../../../scheduler/problem.ts';
import type { ErpRecord } from '../connector.ts';
import type { ResolvedSapConfig } from './config.ts';
import { edmCalendarDate, edmTimeSeconds, flag, parseStamp, results, single, text, type Entity } from './odata-values.ts';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

type WorkCenterConfig = Pick<ResolvedSapConfig, 'defaultCalendar' | 'standardWorkdays'>;

interface Shift { readonly days: Weekday[]; readonly start: string; readonly end: string }

/** Seconds after midnight → takt's `HH:mm` (a shift ending at midnight ends at 24:00). */
function hhmm(seconds: number, isEnd: boolean): string {
  const total = isEnd && seconds === 0 ? 86400 : seconds;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}`;
}

function integer(entity: Entity, field: string): number | null {
  const value = entity[field];
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/** The interval of available capacity valid on `today` in the capacity's active version. */
function validInterval(capacity: Entity, today: string): Entity | null {
  const version = text(capacity, 'CapacityActiveVersion');
  return results(capacity.to_CapacityInterval).find((interval) => {
    const from = edmCalendarDate(interval.IntervalStartDate) ?? '0000-01-01';
    const to = edmCalendarDate(interval.IntervalEndDate) ?? '9999-12-31';
    return (version === '' || text(interval, 'CapacityActiveVersion') === version) && from <= today && today <= to;
  }) ?? null;
}

function shiftsOf(interval: Entity): Shift[] {
  const byTimes = new Map<string, Shift>();
  for (const shift of results(interval.to_CapacityShift)) {
    const day = WEEKDAYS[Number(text(shift, 'WeekDay')) - 1];
    const start = edmTimeSeconds(shift.ShiftStartTime);
    const end = edmTimeSeconds(shift.ShiftEndTime);
    if (day === undefined || start === null || end === null || start === end) continue;
    const key = `${start}-${end}`;
    const entry = byTimes.get(key) ?? { days: [], start: hhmm(start, false), end: hhmm(end, true) };
    if (!entry.days.includes(day)) entry.days.push(day);
    byTimes.set(key, entry);
  }
  return [...byTimes.values()].map((s) => ({ ...s, days: WEEKDAYS.filter((d) => s.days.includes(d)) }));
}

function standardShift(capacity: Entity, config: WorkCenterConfig): Shift[] {
  const start = integer(capacity, 'CapacityStartTime');
  const end = integer(capacity, 'CapacityEndTime');
  if (start === null || end === null || start === end) return [];
  return [{ days: [...config.standardWorkdays], start: hhmm(start, false), end: hhmm(end, true) }];
}

function latestStamp(...entities: readonly (Entity | null)[]): number | null {
  const stamps = entities.flatMap((e) => e === null ? [] : ['WorkCenterLastChangeDateTime', 'CapacityLastChangeDateTime'].map((f) => parseStamp(e[f])?.ms ?? null))
    .filter((ms): ms is number => ms !== null);
  return stamps.length === 0 ? null : Math.max(...stamps);
}

export function mapWorkCenters(workCenters: readonly Entity[], today: string, now: number, config: WorkCenterConfig): readonly ErpRecord[] {
  const calendars = new Map<string, ErpRecord>();
  const centers: ErpRecord[] = [];
  for (const wc of workCenters) {
    // A work center flagged for deletion is not offered to the plan (takt has no deletion event for it).
    if (flag(wc, 'WorkCenterIsToBeDeleted') || text(wc, 'WorkCenter') === '') continue;
    const capacity = single(wc.to_Capacity);
    const interval = capacity === null ? null : validInterval(capacity, today);
    const changedAt = latestStamp(wc, capacity, interval) ?? now;
    const shifts = interval !== null ? shiftsOf(interval) : [];
    const own = shifts.length > 0 ? shifts : capacity !== null ? standardShift(capacity, config) : [];
    let calendar = config.defaultCalendar;
    if (own.length > 0 && capacity !== null) {
      calendar = `sap-capacity-${text(capacity, 'CapacityInternalID')}`;
      calendars.set(calendar, {
        type: 'calendar.upserted',
        data: { id: calendar, shifts: own },
        ref: { capacityInternalId: text(capacity, 'CapacityInternalID') },
        stamp: null,
        changedAt,
      });
    }
    const units = (interval !== null ? integer(interval, 'CapacityNumberOfCapacities') : null)
      ?? (capacity !== null ? integer(capacity, 'CapacityNumberOfCapacities') : null);
    const name = text(wc, 'WorkCenterDesc');
    centers.push({
      type: 'work_center.upserted',
      data: { id: text(wc, 'WorkCenter'), ...(name !== '' && { name }), units: Math.min(1000, Math.max(1, units ?? 1)), calendar },
      ref: { workCenterInternalId: text(wc, 'WorkCenterInternalID'), workCenterTypeCode: text(wc, 'WorkCenterTypeCode') },
      stamp: typeof wc.WorkCenterLastChangeDateTime === 'string' ? wc.WorkCenterLastChangeDateTime : null,
      changedAt,
    });
  }
  // Calendars before the work centers that name them.
  return [...calendars.values(), ...centers];
}
