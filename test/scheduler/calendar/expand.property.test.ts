import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandCalendar } from '../../../scheduler/calendar/expand.ts';
import { mergeIntervals, type Interval } from '../../../scheduler/calendar/working-time.ts';
import type { CalendarSpec, Weekday } from '../../../scheduler/problem.ts';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
];
const NOW_MIN = Date.parse('2020-01-01T00:00:00Z');
const NOW_MAX = Date.parse('2035-01-01T00:00:00Z');

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function shiftsArb(minuteOfDay: fc.Arbitrary<number>, endOfDay: fc.Arbitrary<number>) {
  return fc.array(
    fc.record({
      days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
      start: minuteOfDay.map(hhmm),
      end: endOfDay.map(hhmm),
    }),
    { maxLength: 4 },
  );
}

/** Any times, including ones in DST gaps and overlaps. */
const anySpec: fc.Arbitrary<CalendarSpec> = fc.record({
  id: fc.constant('cal'),
  shifts: shiftsArb(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1440 })),
  alwaysOpen: fc.boolean(),
});

describe('expandCalendar properties', () => {
  it('intervals are integer, within [0, horizon), sorted and disjoint; alwaysOpen covers the horizon', () => {
    fc.assert(
      fc.property(
        anySpec,
        fc.constantFrom(...ZONES),
        fc.integer({ min: NOW_MIN, max: NOW_MAX }),
        fc.integer({ min: 0, max: 60 * 1440 }),
        (spec, zone, now, horizon) => {
          const got = expandCalendar(spec, zone, now, horizon);
          let previousEnd = -1;
          for (const [s, e] of got) {
            expect(Number.isInteger(s) && Number.isInteger(e)).toBe(true);
            expect(s).toBeGreaterThanOrEqual(0);
            expect(e).toBeLessThanOrEqual(horizon);
            expect(e).toBeGreaterThan(s);
            expect(s).toBeGreaterThan(previousEnd); // sorted, disjoint, not even touching (merged)
            previousEnd = e;
          }
          if (spec.alwaysOpen) {
            expect(got.reduce((sum, [s, e]) => sum + e - s, 0)).toBe(horizon);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with a day-by-day TZDate oracle away from the DST switch hours', () => {
    // Times from 04:00 on never fall into these zones' gaps or overlaps, where TZDate's choice
    // (shift by the gap; later occurrence) differs from ours by design.
    const oracleZones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
    const spec = fc.record({
      id: fc.constant('cal'),
      shifts: shiftsArb(fc.integer({ min: 16, max: 95 }).map((q) => q * 15), fc.integer({ min: 16, max: 96 }).map((q) => q * 15)),
    });
    fc.assert(
      fc.property(
        spec,
        fc.constantFrom(...oracleZones),
        fc.integer({ min: NOW_MIN, max: NOW_MAX }),
        fc.integer({ min: 1, max: 20 * 1440 }),
        (calendar, zone, now, horizon) => {
          expect(expandCalendar(calendar, zone, now, horizon)).toEqual(oracle(calendar, zone, now, horizon));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a 24/7 weekly pattern equals alwaysOpen in any zone', () => {
    const allWeek: CalendarSpec = { id: 'c', shifts: [{ days: [...WEEKDAYS], start: '00:00', end: '24:00' }] };
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: NOW_MIN, max: NOW_MAX }), fc.integer({ min: 1, max: 400 * 1440 }), (zone, now, horizon) => {
        expect(expandCalendar(allWeek, zone, now, horizon)).toEqual([[0, horizon]]);
      }),
      { numRuns: 50 },
    );
  });
});

/** Straightforward expansion: one TZDate per shift boundary, local day by local day. */
function oracle(spec: CalendarSpec, zone: string, now: number, horizon: number): Interval[] {
  const local = new TZDate(now, zone);
  const exact: Interval[] = [];
  for (let k = -1; k <= Math.ceil(horizon / 1440) + 1; k++) {
    const date = new Date(Date.UTC(local.getFullYear(), local.getMonth(), local.getDate() + k));
    const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7]!;
    for (const shift of spec.shifts) {
      if (!shift.days.includes(weekday)) continue;
      const [sh, sm] = shift.start.split(':').map(Number) as [number, number];
      const [eh, em] = shift.end.split(':').map(Number) as [number, number];
      const start = sh * 60 + sm;
      let end = eh * 60 + em;
      if (end <= start) end += 1440;
      const at = (minutes: number) =>
        new TZDate(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60, zone).getTime();
      exact.push([at(start) - now, at(end) - now]);
    }
  }
  return mergeIntervals(exact)
    .map(([s, e]): Interval => [Math.max(0, Math.ceil(s / 60_000)), Math.min(horizon, Math.floor(e / 60_000))])
    .filter(([s, e]) => e > s);
}
