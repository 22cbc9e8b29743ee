/**
 * Working time recomputed for tests, independently of scheduler/calendar: one flag per minute
 * of the horizon, from a calendar in UTC (weekly shifts, overnight shifts, exceptions,
 * alwaysOpen) less downtimes. Slow and obvious on purpose.
 */
import type { CalendarSpec, DowntimeSpec, Weekday } from '../../../../scheduler/problem.ts';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** 1970-01-01 was a Thursday. */
const WEEKDAY_OF_EPOCH_DAY: readonly Weekday[] = ['thu', 'fri', 'sat', 'sun', 'mon', 'tue', 'wed'];

export class WorkingMinutes {
  /** prefix[t] = working minutes in [0, t). */
  private readonly prefix: Int32Array;

  constructor(readonly flags: Uint8Array) {
    this.prefix = new Int32Array(flags.length + 1);
    flags.forEach((f, t) => {
      this.prefix[t + 1] = this.prefix[t]! + f;
    });
  }

  get horizon(): number {
    return this.flags.length;
  }

  /** Working minutes in [a, b), clipped to the horizon. */
  between(a: number, b: number): number {
    const lo = Math.max(0, Math.min(this.horizon, a));
    const hi = Math.max(0, Math.min(this.horizon, b));
    return hi <= lo ? 0 : this.prefix[hi]! - this.prefix[lo]!;
  }

  /** The working minute at which `work` working minutes ending at `end` began (end itself for none). */
  startOf(end: number, work: number): number {
    let counted = 0;
    for (let m = Math.min(end, this.horizon) - 1; m >= 0; m--) {
      if (counted >= work) break;
      if (this.flags[m]) {
        counted++;
        if (counted === work) return m;
      }
    }
    return end;
  }

  /** First working minute at or after t, or null. */
  next(t: number): number | null {
    for (let m = Math.max(0, t); m < this.horizon; m++) if (this.flags[m]) return m;
    return null;
  }
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Working minutes of one unit in [now, now + horizon) for a calendar read in UTC. */
export function workingMinutesUtc(
  calendar: CalendarSpec, downtimes: readonly DowntimeSpec[], unit: number, nowMs: number, horizon: number,
): WorkingMinutes {
  const flags = new Uint8Array(horizon);
  const nowMinute = Math.round(nowMs / MINUTE_MS);
  const mark = (from: number, to: number, value: 0 | 1): void => {
    for (let m = Math.max(0, from - nowMinute); m < Math.min(horizon, to - nowMinute); m++) flags[m] = value;
  };
  if (calendar.alwaysOpen) {
    flags.fill(1);
  } else {
    const exceptions = new Map<string, { start: string; end: string }[]>();
    for (const e of calendar.exceptions ?? []) exceptions.set(e.date, [...(exceptions.get(e.date) ?? []), ...e.shifts]);
    const firstDay = Math.floor(nowMinute / DAY_MINUTES) - 1;
    const lastDay = Math.floor((nowMinute + horizon) / DAY_MINUTES);
    for (let day = firstDay; day <= lastDay; day++) {
      const date = new Date(day * DAY_MINUTES * MINUTE_MS).toISOString().slice(0, 10);
      const weekday = WEEKDAY_OF_EPOCH_DAY[((day % 7) + 7) % 7]!;
      const shifts = exceptions.get(date) ?? calendar.shifts.filter((s) => s.days.includes(weekday));
      for (const shift of shifts) {
        const start = minutesOf(shift.start);
        let end = minutesOf(shift.end);
        if (end <= start) end += DAY_MINUTES;
        mark(day * DAY_MINUTES + start, day * DAY_MINUTES + end, 1);
      }
    }
  }
  for (const d of downtimes) {
    if (d.unit !== undefined && d.unit !== unit) continue;
    mark(Math.round(Date.parse(d.start) / MINUTE_MS), Math.round(Date.parse(d.end) / MINUTE_MS), 0);
  }
  return new WorkingMinutes(flags);
}
