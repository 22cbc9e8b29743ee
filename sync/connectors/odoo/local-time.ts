/**
 * Wall-clock arithmetic for calendars: Odoo keeps attendances as local hours of the calendar's
 * `tz` and leaves as UTC datetimes; takt wants local dates and `HH:mm` times.
 */
import { toWallClock } from '../wall-clock.ts';

export { addDays, isKnownTimeZone as isZone } from '../wall-clock.ts';

export interface LocalMoment {
  /** `YYYY-MM-DD` in the zone. */
  readonly date: string;
  /** Minutes since local midnight, seconds rounded up (an end at 23:59:59 is 24:00). */
  readonly minute: number;
}

export function localMoment(ms: number, zone: string, roundUp = false): LocalMoment {
  const local = toWallClock(ms, zone);
  return { date: local.date, minute: Math.floor(local.seconds / 60) + (roundUp && local.seconds % 60 > 0 ? 1 : 0) };
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!) / DAY_MS;
}

/** Odoo's `dayofweek`: Monday is 0. */
export function odooWeekday(date: string): number {
  // 1970-01-01 was a Thursday (3 counted from Monday).
  return (((dayNumber(date) + 3) % 7) + 7) % 7;
}

/**
 * Odoo's week type of a two-week calendar (`resource.calendar.attendance.get_week_type`):
 * `int(floor((date.toordinal() - 1) / 7) % 2)`; the Python ordinal of 1970-01-01 is 719163.
 */
export function odooWeekType(date: string): number {
  return Math.floor((dayNumber(date) + 719_163 - 1) / 7) % 2;
}

/** `HH:mm` of minutes since midnight; 1440 is `24:00` (an end of day). */
export function minuteToTime(minute: number): string {
  const m = Math.max(0, Math.min(1440, Math.round(minute)));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Odoo's float hours (8.5) → minutes (510). */
export function hoursToMinute(hours: number): number {
  return Math.round(hours * 60);
}
