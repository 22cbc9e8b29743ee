/**
 * `resource.calendar` with its attendances and global leaves → takt's `calendar.upserted`.
 *
 * - Attendances: `dayofweek` '0' is Monday; `hour_from`/`hour_to` are float hours of the
 *   calendar's `tz` (8.5 → 08:30). Section lines (`display_type`), lunch breaks
 *   (`day_period` 'lunch') and lines of one resource (`resource_id`) are not working time of
 *   the calendar. Equal hours on several days become one shift.
 * - A calendar that a weekly pattern cannot express (two-week calendars, attendances valid only
 *   `date_from`..`date_to`) becomes dated exceptions for every day of the horizon, with no
 *   weekly shifts (so days past the horizon are closed, not guessed).
 * - Global leaves (`resource.calendar.leaves` without `resource_id`, `time_type` 'leave'; UTC
 *   datetimes) cut the working time of the local days they cover: a whole day becomes an
 *   exception without shifts, a part of a day an exception with what remains.
 */
import { calendarKey } from './keys.ts';
import { addDays, hoursToMinute, isZone, localMoment, minuteToTime, odooWeekType, odooWeekday } from './local-time.ts';
import { laterOf, m2oId, num, odooDatetime, odooMs, text, type OdooRecord } from './values.ts';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
type Interval = readonly [number, number];

export type CalendarData = {
  readonly id: string;
  readonly shifts: readonly { readonly days: readonly Weekday[]; readonly start: string; readonly end: string }[];
  readonly exceptions?: readonly { readonly date: string; readonly shifts: readonly { readonly start: string; readonly end: string }[]; readonly reason?: string }[];
};

export interface MappedCalendar {
  readonly data: CalendarData;
  /** The latest write_date of the calendar, its attendances and its leaves. */
  readonly stamp: string | null;
  readonly changedAt: number;
}

export interface CalendarInput {
  readonly calendar: OdooRecord;
  /** The calendar's `resource.calendar.attendance` records. */
  readonly attendances: readonly OdooRecord[];
  /** Global `resource.calendar.leaves` of this calendar (or of every calendar: `calendar_id` false). */
  readonly leaves: readonly OdooRecord[];
  readonly now: number;
  readonly horizonDays: number;
}

interface Attendance {
  readonly day: number;
  readonly interval: Interval;
  readonly weekType: number | null;
  readonly from: string | null;
  readonly to: string | null;
}

function attendanceOf(record: OdooRecord): Attendance | null {
  if (text(record.display_type) !== null || text(record.day_period) === 'lunch' || m2oId(record.resource_id) !== null) return null;
  const day = Number(text(record.dayofweek));
  const start = hoursToMinute(num(record.hour_from));
  const end = hoursToMinute(num(record.hour_to));
  if (!Number.isInteger(day) || day < 0 || day > 6 || end <= start) return null;
  const weekType = text(record.week_type);
  return {
    day, interval: [start, Math.min(end, 1440)], weekType: weekType === null ? null : Number(weekType),
    from: text(record.date_from), to: text(record.date_to),
  };
}

export function mapCalendar(input: CalendarInput): MappedCalendar {
  const calendarId = num(input.calendar.id);
  const zone = text(input.calendar.tz) ?? 'UTC';
  const tz = isZone(zone) ? zone : 'UTC';
  const attendances = input.attendances.map(attendanceOf).filter((a): a is Attendance => a !== null);
  const twoWeeks = input.calendar.two_weeks_calendar === true;
  const dated = twoWeeks || attendances.some((a) => a.from !== null || a.to !== null);

  const dayIntervals = (date: string): readonly Interval[] => {
    const weekday = odooWeekday(date);
    const weekType = odooWeekType(date);
    return merge(attendances
      .filter((a) => a.day === weekday && (!twoWeeks || a.weekType === weekType)
        && (a.from === null || a.from <= date) && (a.to === null || date <= a.to))
      .map((a) => a.interval));
  };

  const today = localMoment(input.now, tz).date;
  const days = new Map<string, { intervals: readonly Interval[]; reasons: string[]; changed: boolean }>();
  if (dated) {
    for (let i = 0; i < input.horizonDays; i++) {
      const date = addDays(today, i);
      days.set(date, { intervals: dayIntervals(date), reasons: [], changed: true });
    }
  }
  for (const leave of input.leaves) {
    if (text(leave.time_type) !== null && text(leave.time_type) !== 'leave') continue;
    const from = odooMs(leave.date_from);
    const to = odooMs(leave.date_to);
    if (from === null || to === null || to <= from) continue;
    const start = localMoment(from, tz);
    const end = localMoment(to, tz, true);
    for (let date = start.date; date <= end.date; date = addDays(date, 1)) {
      if (date < today) continue;
      const cut: Interval = [date === start.date ? start.minute : 0, date === end.date ? end.minute : 1440];
      if (cut[0] >= cut[1]) continue;
      const day = days.get(date) ?? (dated ? undefined : { intervals: dayIntervals(date), reasons: [], changed: false });
      if (day === undefined) continue;
      const remaining = subtract(day.intervals, cut);
      if (sameIntervals(remaining, day.intervals)) continue;
      const name = text(leave.name);
      days.set(date, { intervals: remaining, reasons: name === null || day.reasons.includes(name) ? day.reasons : [...day.reasons, name], changed: true });
    }
  }

  const exceptions = [...days.entries()]
    .filter(([, day]) => day.changed)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, day]) => ({
      date,
      shifts: day.intervals.map(([s, e]) => ({ start: minuteToTime(s), end: minuteToTime(e) })),
      ...(day.reasons.length > 0 && { reason: day.reasons.join('; ').slice(0, 2000) }),
    }));

  const stamp = [input.calendar, ...input.attendances, ...input.leaves]
    .map((r) => odooDatetime(r.write_date))
    .reduce<string | null>(laterOf, null);
  const stampMs = stamp === null ? 0 : odooMs(stamp) ?? 0;
  return {
    data: {
      id: calendarKey(calendarId),
      shifts: dated ? [] : weeklyShifts(attendances),
      ...(exceptions.length > 0 && { exceptions }),
    },
    stamp,
    // A dated calendar changes with the day it starts from: its content is newer every day.
    changedAt: dated ? Math.max(stampMs, Date.parse(`${today}T00:00:00Z`)) : stampMs,
  };
}

/** Attendances with the same hours on several days become one shift; ordered by start, then first day. */
function weeklyShifts(attendances: readonly Attendance[]): CalendarData['shifts'] {
  const byHours = new Map<string, { interval: Interval; days: Set<number> }>();
  for (let day = 0; day < 7; day++) {
    for (const interval of merge(attendances.filter((a) => a.day === day).map((a) => a.interval))) {
      const key = `${interval[0]}-${interval[1]}`;
      const entry = byHours.get(key) ?? { interval, days: new Set<number>() };
      entry.days.add(day);
      byHours.set(key, entry);
    }
  }
  return [...byHours.values()]
    .sort((a, b) => a.interval[0] - b.interval[0] || a.interval[1] - b.interval[1] || Math.min(...a.days) - Math.min(...b.days))
    .map(({ interval, days }) => ({
      days: [...days].sort((a, b) => a - b).map((d) => WEEKDAYS[d]!),
      start: minuteToTime(interval[0]),
      end: minuteToTime(interval[1]),
    }));
}

/** Sorted, overlapping or touching intervals joined (a morning 8-12 and afternoon 12-17 are one stretch). */
function merge(intervals: readonly Interval[]): readonly Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function subtract(intervals: readonly Interval[], [cs, ce]: Interval): readonly Interval[] {
  return intervals.flatMap(([s, e]): Interval[] => {
    if (ce <= s || cs >= e) return [[s, e]];
    return [...(s < cs ? [[s, cs] as Interval] : []), ...(ce < e ? [[ce, e] as Interval] : [])];
  });
}

function sameIntervals(a: readonly Interval[], b: readonly Interval[]): boolean {
  return a.length === b.length && a.every(([s, e], i) => s === b[i]![0] && e === b[i]![1]);
}
