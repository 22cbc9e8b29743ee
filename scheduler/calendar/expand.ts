/**
 * Expands a calendar (weekly shifts in local wall-clock time, plus dated exceptions) into the
 * engine's working intervals: integer minutes from `now`, half-open, sorted, merged, clipped
 * to the horizon. DST is handled here, once: a shift is placed by converting its local start and
 * end to instants, so a 22:00–06:00 shift lasts 7 real hours on a spring-forward night and 9 on
 * a fall-back night.
 */
import type { CalendarSpec, LocalTime } from '../problem.ts';
import {
  MINUTES_PER_DAY,
  MS_PER_DAY,
  MS_PER_MINUTE,
  WEEKDAYS,
  parseLocalDate,
  parseLocalTime,
  weekdayOfDay,
} from './local-time.ts';
import { mergeIntervals, type Interval } from './working-time.ts';
import { ZoneOffsets } from './zone-offsets.ts';

export { parseLocalTime } from './local-time.ts';
export { validateCalendar, type CalendarIssue } from './validate.ts';

/** A shift on one local day: minutes from that day's local midnight; `end` may pass 1440. */
interface DayShift {
  readonly start: number;
  readonly end: number;
}

/**
 * Working intervals of `spec` in [0, horizonMinutes), minute 0 = `nowMs`.
 *
 * Local times resolve in `timeZone`: a wall time that occurs twice (fall-back) means its first
 * occurrence; one that does not exist (spring-forward) means the first valid instant after it.
 * Interval starts round up and ends round down to whole minutes, so working time is never
 * overstated. Shifts of the day before `now` that run into `now` are included.
 *
 * Expects a calendar that `validateCalendar` accepts: malformed shifts and exception dates are
 * skipped; an unknown time zone, or a non-finite `nowMs` or horizon, throws RangeError (there is
 * no sensible calendar to return).
 */
export function expandCalendar(
  spec: CalendarSpec,
  timeZone: string,
  nowMs: number,
  horizonMinutes: number,
): Interval[] {
  if (!Number.isFinite(nowMs) || !Number.isFinite(horizonMinutes)) {
    throw new RangeError(`expandCalendar needs a finite now and horizon, got ${nowMs} and ${horizonMinutes}`);
  }
  const horizon = Math.floor(horizonMinutes);
  if (horizon <= 0) return [];
  if (spec.alwaysOpen) return [[0, horizon]];

  const horizonEndMs = nowMs + horizon * MS_PER_MINUTE;
  // Shifts can reach two local days past their start day; scan a margin on both sides.
  const zone = ZoneOffsets.scan(timeZone, nowMs - 2 * MS_PER_DAY, horizonEndMs + 3 * MS_PER_DAY);

  const weekly = weeklyPattern(spec);
  const exceptions = exceptionsByDay(spec);

  // Local days whose shifts can touch [now, horizon end): from the day before today (overnight
  // shifts) to the day the horizon ends on the wall clock.
  const firstDay = Math.floor((nowMs + zone.offsetAt(nowMs)) / MS_PER_DAY) - 1;
  const lastDay = Math.floor((horizonEndMs + zone.maxOffset) / MS_PER_DAY);

  // Shifts in ms from now, merged before rounding so that touching shifts (06–14, 14–22) stay
  // one stretch even when now is not on a whole minute.
  const exact: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const shifts = exceptions.get(day) ?? weekly[weekdayOfDay(day)]!;
    const dayWallMs = day * MS_PER_DAY;
    for (const shift of shifts) {
      const startMs = zone.wallToInstant(dayWallMs + shift.start * MS_PER_MINUTE);
      const endMs = zone.wallToInstant(dayWallMs + shift.end * MS_PER_MINUTE);
      exact.push([startMs - nowMs, endMs - nowMs]);
    }
  }
  const out: Interval[] = [];
  for (const [startMs, endMs] of mergeIntervals(exact)) {
    const start = Math.max(0, Math.ceil(startMs / MS_PER_MINUTE));
    const end = Math.min(horizon, Math.floor(endMs / MS_PER_MINUTE));
    if (end > start) out.push([start, end]);
  }
  return out;
}

/** Shifts per weekday index (0 = Monday). */
function weeklyPattern(spec: CalendarSpec): readonly (readonly DayShift[])[] {
  const pattern: DayShift[][] = WEEKDAYS.map(() => []);
  for (const shift of spec.shifts ?? []) {
    const dayShift = toDayShift(shift.start, shift.end);
    if (!dayShift || !Array.isArray(shift.days)) continue;
    for (const weekday of shift.days) {
      pattern[WEEKDAYS.indexOf(weekday)]?.push(dayShift);
    }
  }
  return pattern;
}

/** Exception shifts per local day number; two entries for one date add up. */
function exceptionsByDay(spec: CalendarSpec): ReadonlyMap<number, readonly DayShift[]> {
  const byDay = new Map<number, DayShift[]>();
  for (const exception of spec.exceptions ?? []) {
    const day = parseLocalDate(exception.date);
    if (day === null) continue;
    const shifts = byDay.get(day) ?? [];
    byDay.set(day, shifts);
    for (const shift of exception.shifts ?? []) {
      const dayShift = toDayShift(shift.start, shift.end);
      if (dayShift) shifts.push(dayShift);
    }
  }
  return byDay;
}

/** An end at or before the start runs into the next day; null when either time is malformed. */
function toDayShift(startText: LocalTime, endText: LocalTime): DayShift | null {
  const start = parseLocalTime(startText);
  const end = parseLocalTime(endText);
  if (start === null || end === null || start >= MINUTES_PER_DAY) return null;
  return { start, end: end <= start ? end + MINUTES_PER_DAY : end };
}
