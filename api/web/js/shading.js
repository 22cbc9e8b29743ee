// Non-working time for the Gantt's shading, computed client-side from the plant's calendars
// (weekly shifts + exceptions, in the plant zone) and the work centers' downtimes.

import { instantOf, localParts } from './zone.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;

function minutesOf(hhmm) {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

function isoDate(y, m, d) {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Shifts that start on local day y-m-d: exceptions replace the weekly pattern for that day. */
function shiftsStartingOn(calendar, y, m, d) {
  const date = isoDate(y, m, d);
  const exception = (calendar.exceptions ?? []).find((e) => e.date === date);
  if (exception) return exception.shifts;
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return calendar.shifts.filter((s) => s.days.includes(weekday));
}

/** Merges sorted-or-not [start, end) pairs into disjoint sorted ones. */
export function mergeIntervals(intervals) {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [s, e] of sorted) {
    if (e <= s) continue;
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * A calendar's working time in the plant zone, memoised per local day so that panning the
 * chart redraws without recomputing zone offsets.
 */
export class CalendarShading {
  constructor(calendar, timeZone) {
    this.calendar = calendar;
    this.timeZone = timeZone;
    this.byDay = new Map();
  }

  workingOnDay(y, m, d) {
    const key = isoDate(y, m, d);
    let cached = this.byDay.get(key);
    if (!cached) {
      cached = shiftsStartingOn(this.calendar, y, m, d).map((shift) => {
        const start = minutesOf(shift.start);
        let end = minutesOf(shift.end);
        if (end <= start) end += 24 * 60; // runs past midnight
        return [instantOf(y, m, d, start, this.timeZone), instantOf(y, m, d, end, this.timeZone)];
      });
      this.byDay.set(key, cached);
    }
    return cached;
  }

  /** Working intervals overlapping [from, to), in ms. */
  working(from, to) {
    if (this.calendar.alwaysOpen) return [[from, to]];
    const intervals = [];
    // Walk local dates (not 24h steps, which skip or repeat a day across DST), starting a day
    // early: an overnight shift of the previous day reaches into the range.
    const first = localParts(from - DAY_MS, this.timeZone);
    const days = Math.ceil((to - from) / DAY_MS) + 2;
    for (let i = 0; i <= days; i++) {
      const date = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
      for (const iv of this.workingOnDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())) {
        if (iv[1] > from && iv[0] < to) intervals.push([Math.max(iv[0], from), Math.min(iv[1], to)]);
      }
    }
    return mergeIntervals(intervals);
  }

  /** The complement of working time within [from, to). */
  nonWorking(from, to) {
    const out = [];
    let cursor = from;
    for (const [s, e] of this.working(from, to)) {
      if (s > cursor) out.push([cursor, s]);
      cursor = Math.max(cursor, e);
    }
    if (cursor < to) out.push([cursor, to]);
    return out;
  }
}

/** Downtime intervals of one unit (1-based) of a work center, in ms. */
export function downtimesOf(workCenter, unit) {
  return (workCenter.downtimes ?? [])
    .filter((d) => d.unit === undefined || d.unit === null || d.unit === unit)
    .map((d) => ({ start: Date.parse(d.start), end: Date.parse(d.end), reason: d.reason ?? 'downtime', id: d.id ?? null }));
}
