import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { expandCalendar } from '../../../scheduler/calendar/expand.ts';
import type { CalendarSpec, ShiftSpec, Weekday } from '../../../scheduler/problem.ts';

const DAY = 1440;
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

function calendar(shifts: ShiftSpec[], exceptions: CalendarSpec['exceptions'] = []): CalendarSpec {
  return { id: 'cal', shifts, exceptions };
}

function total(intervals: readonly (readonly [number, number])[]): number {
  return intervals.reduce((sum, [s, e]) => sum + (e - s), 0);
}

/** Minutes from `nowMs` to a local wall time, through TZDate (an independent oracle). */
function minutesTo(nowMs: number, zone: string, y: number, month: number, d: number, h: number, min = 0): number {
  return (new TZDate(y, month - 1, d, h, min, zone).getTime() - nowMs) / 60_000;
}

// Monday 2026-01-05 00:00 in Berlin (CET, +01:00).
const MONDAY = Date.parse('2026-01-05T00:00:00+01:00');
const TWO_SHIFTS = [
  { days: WEEKDAYS, start: '06:00', end: '14:00' },
  { days: WEEKDAYS, start: '14:00', end: '22:00' },
];

describe('expandCalendar: weekly pattern and exceptions', () => {
  it('expands a two-shift Mon–Fri pattern in Europe/Berlin, merging touching shifts', () => {
    const got = expandCalendar(calendar(TWO_SHIFTS), BERLIN, MONDAY, 7 * DAY);
    expect(got).toEqual([0, 1, 2, 3, 4].map((d) => [d * DAY + 360, d * DAY + 1320]));
  });

  it('a holiday exception closes that date only', () => {
    const got = expandCalendar(calendar(TWO_SHIFTS, [{ date: '2026-01-06', shifts: [], reason: 'holiday' }]), BERLIN, MONDAY, 7 * DAY);
    expect(got).toEqual([0, 2, 3, 4].map((d) => [d * DAY + 360, d * DAY + 1320]));
  });

  it('an exception replaces the weekly shifts of that date (extra Saturday, shortened Friday)', () => {
    const got = expandCalendar(
      calendar(TWO_SHIFTS, [
        { date: '2026-01-10', shifts: [{ start: '06:00', end: '12:00' }] },
        { date: '2026-01-09', shifts: [{ start: '08:00', end: '10:00' }] },
      ]),
      BERLIN,
      MONDAY,
      7 * DAY,
    );
    expect(got).toEqual([
      ...[0, 1, 2, 3].map((d) => [d * DAY + 360, d * DAY + 1320]),
      [4 * DAY + 480, 4 * DAY + 600],
      [5 * DAY + 360, 5 * DAY + 720],
    ]);
  });

  it('an overnight shift runs into the next day and belongs to its start day', () => {
    const got = expandCalendar(calendar([{ days: WEEKDAYS, start: '22:00', end: '06:00' }]), BERLIN, MONDAY, 7 * DAY);
    // Monday night … Friday night (into Saturday 06:00); none on Sunday night before Monday.
    expect(got).toEqual([0, 1, 2, 3, 4].map((d) => [d * DAY + 1320, d * DAY + 1800]));
  });

  it('an overnight exception shift also runs into the next day', () => {
    const got = expandCalendar(calendar([], [{ date: '2026-01-10', shifts: [{ start: '20:00', end: '02:00' }] }]), BERLIN, MONDAY, 7 * DAY);
    expect(got).toEqual([[5 * DAY + 1200, 5 * DAY + 1560]]);
  });

  it('an end equal to the start is a 24-hour shift; 24:00 ends at midnight', () => {
    expect(expandCalendar(calendar([{ days: ['mon'], start: '06:00', end: '06:00' }]), BERLIN, MONDAY, 7 * DAY)).toEqual([[360, 1800]]);
    expect(expandCalendar(calendar([{ days: ['mon', 'tue'], start: '00:00', end: '24:00' }]), BERLIN, MONDAY, 7 * DAY)).toEqual([[0, 2 * DAY]]);
  });

  it("includes the previous day's shift that runs into now", () => {
    const tuesday0200 = MONDAY + DAY * 60_000 + 2 * 3_600_000;
    const got = expandCalendar(calendar([{ days: ['mon'], start: '22:00', end: '06:00' }]), BERLIN, tuesday0200, 6 * DAY);
    expect(got).toEqual([[0, 240]]);
  });

  it('now in the middle of a shift: starts round up, ends round down to whole minutes', () => {
    const now = Date.parse('2026-01-05T10:17:30+01:00');
    const got = expandCalendar(calendar([{ days: WEEKDAYS, start: '06:00', end: '14:00' }]), BERLIN, now, 2 * DAY);
    // 10:17:30 → 14:00 is 222.5 minutes (down to 222); → Tuesday 06:00 is 1182.5 (up to 1183).
    expect(got).toEqual([
      [0, 222],
      [1183, 1183 + 480 - 1],
      [1183 + DAY, 2 * DAY], // Wednesday's shift, cut by the horizon
    ]);
  });

  it('touching shifts stay one stretch when now is not on a whole minute', () => {
    const now = Date.parse('2026-01-05T10:17:30+01:00');
    const got = expandCalendar(calendar(TWO_SHIFTS), BERLIN, now, 1000);
    // 10:17:30 → 22:00 is 702.5 minutes; no gap at 14:00.
    expect(got).toEqual([[0, 702]]);
  });

  it('clips to the horizon', () => {
    const got = expandCalendar(calendar(TWO_SHIFTS), BERLIN, MONDAY, DAY + 600);
    expect(got).toEqual([
      [360, 1320],
      [DAY + 360, DAY + 600],
    ]);
    expect(expandCalendar(calendar(TWO_SHIFTS), BERLIN, MONDAY, 0)).toEqual([]);
  });

  it('alwaysOpen is the whole horizon; no shifts is never working', () => {
    expect(expandCalendar({ id: 'c', shifts: TWO_SHIFTS, alwaysOpen: true }, BERLIN, MONDAY, 1000)).toEqual([[0, 1000]]);
    expect(expandCalendar(calendar([]), BERLIN, MONDAY, 365 * DAY)).toEqual([]);
  });

  it('throws RangeError for an unknown time zone or a non-finite now or horizon', () => {
    expect(() => expandCalendar(calendar(TWO_SHIFTS), 'Mars/Olympus_Mons', MONDAY, DAY)).toThrow(RangeError);
    expect(() => expandCalendar(calendar(TWO_SHIFTS), BERLIN, MONDAY, Infinity)).toThrow(RangeError);
    expect(() => expandCalendar(calendar(TWO_SHIFTS), BERLIN, Number.NaN, DAY)).toThrow(RangeError);
  });
});

describe('expandCalendar: daylight saving time', () => {
  // Saturday 2026-03-28 00:00 CET; clocks go 02:00 CET → 03:00 CEST on Sunday 2026-03-29.
  const SPRING_SAT = Date.parse('2026-03-28T00:00:00+01:00');
  // Saturday 2026-10-24 00:00 CEST; clocks go 03:00 CEST → 02:00 CET on Sunday 2026-10-25.
  const FALL_SAT = Date.parse('2026-10-24T00:00:00+02:00');
  const NIGHT_SHIFT = calendar([{ days: ['sat'], start: '22:00', end: '06:00' }]);

  it('a 22:00–06:00 shift across the spring-forward night has 7 real hours', () => {
    const got = expandCalendar(NIGHT_SHIFT, BERLIN, SPRING_SAT, 3 * DAY);
    expect(got).toEqual([[1320, 1320 + 420]]);
    expect(got[0]![1]).toBe(minutesTo(SPRING_SAT, BERLIN, 2026, 3, 29, 6));
  });

  it('a 22:00–06:00 shift across the fall-back night has 9 real hours', () => {
    const got = expandCalendar(NIGHT_SHIFT, BERLIN, FALL_SAT, 3 * DAY);
    expect(got).toEqual([[1320, 1320 + 540]]);
    expect(got[0]![1]).toBe(minutesTo(FALL_SAT, BERLIN, 2026, 10, 25, 6));
  });

  it('whole days last 23 and 25 hours on the transition Sundays', () => {
    const allDaySunday = calendar([{ days: ['sun'], start: '00:00', end: '24:00' }]);
    expect(total(expandCalendar(allDaySunday, BERLIN, SPRING_SAT, 3 * DAY))).toBe(23 * 60);
    expect(total(expandCalendar(allDaySunday, BERLIN, FALL_SAT, 3 * DAY))).toBe(25 * 60);
  });

  it('daytime shifts keep their local times on both sides of the change', () => {
    const got = expandCalendar(calendar([{ days: ['fri', 'mon'], start: '06:00', end: '14:00' }]), BERLIN, Date.parse('2026-03-27T00:00:00+01:00'), 4 * DAY);
    // Friday 06:00 CET, then Monday 06:00 CEST: 3 days less one hour later.
    expect(got).toEqual([
      [360, 840],
      [3 * DAY + 360 - 60, 3 * DAY + 840 - 60],
    ]);
  });

  it('a local time that does not exist resolves forward to the first valid instant', () => {
    // 02:30 does not exist on 2026-03-29: the shift starts at the jump, 03:00 CEST (01:00Z).
    const got = expandCalendar(calendar([], [{ date: '2026-03-29', shifts: [{ start: '02:30', end: '04:00' }] }]), BERLIN, SPRING_SAT, 3 * DAY);
    const jump = (Date.parse('2026-03-29T01:00:00Z') - SPRING_SAT) / 60_000;
    expect(got).toEqual([[jump, jump + 60]]);
  });

  it('a local time that occurs twice means its first occurrence', () => {
    // 02:30 happens at 00:30Z (CEST) and at 01:30Z (CET) on 2026-10-25; 04:00 CET is 03:00Z.
    const got = expandCalendar(calendar([], [{ date: '2026-10-25', shifts: [{ start: '02:30', end: '04:00' }] }]), BERLIN, FALL_SAT, 3 * DAY);
    const first = (Date.parse('2026-10-25T00:30:00Z') - FALL_SAT) / 60_000;
    expect(got).toEqual([[first, first + 150]]);
  });

  it('America/New_York: night shifts over both 2026 transitions and weekday shifts around them', () => {
    // Spring forward Sunday 2026-03-08 02:00 EST → 03:00 EDT; fall back Sunday 2026-11-01 02:00 EDT → 01:00 EST.
    const spring = Date.parse('2026-03-07T00:00:00-05:00');
    expect(expandCalendar(NIGHT_SHIFT, NEW_YORK, spring, 3 * DAY)).toEqual([[1320, 1320 + 420]]);
    const fall = Date.parse('2026-10-31T00:00:00-04:00');
    expect(expandCalendar(NIGHT_SHIFT, NEW_YORK, fall, 3 * DAY)).toEqual([[1320, 1320 + 540]]);

    const weekdays = calendar([{ days: WEEKDAYS, start: '08:00', end: '16:00' }]);
    const friday = Date.parse('2026-03-06T00:00:00-05:00');
    const got = expandCalendar(weekdays, NEW_YORK, friday, 4 * DAY);
    expect(got).toEqual([
      [minutesTo(friday, NEW_YORK, 2026, 3, 6, 8), minutesTo(friday, NEW_YORK, 2026, 3, 6, 16)],
      [minutesTo(friday, NEW_YORK, 2026, 3, 9, 8), minutesTo(friday, NEW_YORK, 2026, 3, 9, 16)],
    ]);
    expect(got[1]![0]).toBe(3 * DAY + 480 - 60);
  });

  it('zones with half-hour offsets and half-hour DST shifts (Australia/Lord_Howe)', () => {
    // Lord Howe: +11:00 in summer, +10:30 from 2026-04-05 02:00 local (clocks go back 30 minutes).
    const now = Date.parse('2026-04-04T00:00:00+11:00');
    const got = expandCalendar(calendar([{ days: ['sat'], start: '22:00', end: '06:00' }]), 'Australia/Lord_Howe', now, 3 * DAY);
    expect(got).toEqual([[1320, 1320 + 510]]);
  });
});

describe('expandCalendar: performance', () => {
  it('expands a year of three shifts with holidays in well under 5 ms', () => {
    const spec = calendar(
      [...TWO_SHIFTS, { days: ['sat'], start: '22:00', end: '06:00' }],
      ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-12-25'].map((date) => ({ date, shifts: [] })),
    );
    for (let i = 0; i < 10; i++) expandCalendar(spec, BERLIN, MONDAY, 365 * DAY);
    const runs = 50;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) expandCalendar(spec, BERLIN, MONDAY + i * 60_000, 365 * DAY);
    const perCall = (performance.now() - t0) / runs;
    expect(perCall).toBeLessThan(5);
  });
});
