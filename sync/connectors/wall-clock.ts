/**
 * ERPs keep dates as wall-clock time in a zone (SAP's plant-local date and time, Tryton's dates
 * in the company's zone, Odoo's calendar hours in the calendar's); takt's instants carry an
 * offset. The one place connectors convert between them. Seconds are the finest granularity,
 * so milliseconds are dropped (towards the past) on the way out.
 */
import { TZDate } from '@date-fns/tz';

export { isKnownTimeZone } from '../../scheduler/calendar/zone-offsets.ts';

export interface WallClock {
  /** `YYYY-MM-DD` in the zone. */
  readonly date: string;
  /** `HH:MM:SS` in the zone. */
  readonly time: string;
  /** Seconds since the local midnight. */
  readonly seconds: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function toWallClock(instantMs: number, timeZone: string): WallClock {
  const local = new TZDate(Math.floor(instantMs / 1000) * 1000, timeZone);
  return {
    date: `${pad(local.getFullYear(), 4)}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`,
    time: `${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`,
    seconds: local.getHours() * 3600 + local.getMinutes() * 60 + local.getSeconds(),
  };
}

/** A plant-local date and seconds after its midnight (86400 = 24:00, the next midnight) → ms. */
export function fromWallClock(date: string, seconds: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  // Whole days first, so that 24:00 and a date's end land on the next calendar day, not on a
  // fixed number of hours after a midnight that a DST switch may have moved.
  const dayShift = Math.floor(seconds / 86400);
  const rest = seconds - dayShift * 86400;
  const day = new Date(Date.UTC(y!, m! - 1, d! + dayShift));
  return new TZDate(
    day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(),
    Math.floor(rest / 3600), Math.floor((rest % 3600) / 60), rest % 60, timeZone,
  ).getTime();
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Today's date in the zone. */
export function plantToday(nowMs: number, timeZone: string): string {
  return toWallClock(nowMs, timeZone).date;
}

/** The calendar date `days` after `date` (no zone: a date is a day). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}
