/**
 * Parsing of the calendar's local wall-clock notations (`HH:mm`, `YYYY-MM-DD`, weekdays) into
 * plain integers. Local dates become "local day numbers": days since 1970-01-01 counted on the
 * wall clock, so that day arithmetic never touches a time zone.
 */
import type { Weekday } from '../problem.ts';

export const MINUTES_PER_DAY = 1440;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

/** Index 0 is Monday, in the order of ISO weekdays. */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const LOCAL_TIME = /^(\d{2}):(\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight (0..1440, `24:00` = 1440) of an `HH:mm` string; null if malformed. */
export function parseLocalTime(s: string): number | null {
  const match = typeof s === 'string' ? LOCAL_TIME.exec(s) : null;
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

/** Local day number of a `YYYY-MM-DD` string; null if malformed or not a real date (2026-02-30). */
export function parseLocalDate(s: string): number | null {
  const match = typeof s === 'string' ? LOCAL_DATE.exec(s) : null;
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC rolls 2026-02-30 over into March; a real date survives the round trip.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return null;
  }
  return ms / MS_PER_DAY;
}

/** Weekday index (0 = Monday) of a local day number; day 0 (1970-01-01) was a Thursday. */
export function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function isWeekday(s: unknown): s is Weekday {
  return typeof s === 'string' && (WEEKDAYS as readonly string[]).includes(s);
}
