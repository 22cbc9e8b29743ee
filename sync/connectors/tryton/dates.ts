/**
 * Tryton's production and move dates are calendar dates, kept in the company's zone: takt reads
 * a planned date as the start of the next day there (done by the end of that day) and writes an
 * instant as the date it falls on (an end exactly at midnight belongs to the day before).
 */
import { TZDate } from '@date-fns/tz';

const DAY_MS = 86_400_000;

/** The local date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  const local = new TZDate(ms, timeZone);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** The instant the local day `date` starts in `timeZone`. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(year, month - 1, day, 0, 0, 0, timeZone).getTime();
}

/** Done by the end of `date`: the start of the next local day, as an ISO instant. */
export function endOfLocalDay(date: string, timeZone: string): string {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return new Date(startOfLocalDay(next, timeZone)).toISOString();
}

/** The date a planned start falls on. */
export const startDateOf = (iso: string, timeZone: string): string => localDate(Date.parse(iso), timeZone);

/** The date a planned end falls on: an end at local midnight is the day before. */
export const endDateOf = (iso: string, timeZone: string): string => localDate(Date.parse(iso) - 1, timeZone);
