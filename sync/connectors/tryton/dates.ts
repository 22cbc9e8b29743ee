/**
 * Tryton's production and move dates are calendar dates, kept in the company's zone: takt reads
 * a planned date as the start of the next day there (done by the end of that day) and writes an
 * instant as the date it falls on (an end exactly at midnight belongs to the day before).
 */
import { addDays, fromWallClock, toWallClock } from '../wall-clock.ts';

/** The local date (YYYY-MM-DD) of an instant in `timeZone`. */
export const localDate = (ms: number, timeZone: string): string => toWallClock(ms, timeZone).date;

/** The instant the local day `date` starts in `timeZone`. */
export const startOfLocalDay = (date: string, timeZone: string): number => fromWallClock(date, 0, timeZone);

/** Done by the end of `date`: the start of the next local day, as an ISO instant. */
export const endOfLocalDay = (date: string, timeZone: string): string => new Date(startOfLocalDay(addDays(date, 1), timeZone)).toISOString();

/** The date a planned start falls on. */
export const startDateOf = (iso: string, timeZone: string): string => localDate(Date.parse(iso), timeZone);

/** The date a planned end falls on: an end at local midnight is the day before. */
export const endDateOf = (iso: string, timeZone: string): string => localDate(Date.parse(iso) - 1, timeZone);
