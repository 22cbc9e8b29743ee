import { describe, expect, it } from 'vitest';
import { validateCalendar } from '../../../scheduler/calendar/expand.ts';
import type { CalendarSpec } from '../../../scheduler/problem.ts';

const good: CalendarSpec = {
  id: 'two-shift',
  shifts: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '14:00' },
    { days: ['sat'], start: '22:00', end: '24:00' },
  ],
  exceptions: [
    { date: '2026-12-25', shifts: [] },
    { date: '2026-12-19', shifts: [{ start: '22:00', end: '06:00' }] },
  ],
};

describe('validateCalendar', () => {
  it('accepts a well-formed calendar in a real zone', () => {
    expect(validateCalendar(good, 'Europe/Berlin')).toEqual([]);
    expect(validateCalendar(good, 'UTC')).toEqual([]);
  });

  it.each(['Europe/Berlinn', 'Mars/Olympus_Mons', '', 'GMT+25'])('reports the unknown zone %j', (zone) => {
    expect(validateCalendar(good, zone)).toEqual([{ path: 'timeZone', message: expect.stringContaining('time zone') }]);
  });

  it('reports bad times, weekdays and dates with their paths', () => {
    const bad = {
      id: 'bad',
      shifts: [
        { days: ['mon', 'Tuesday', 'sun'], start: '6:00', end: '14:00' },
        { days: ['fri'], start: '24:00', end: '25:00' },
      ],
      exceptions: [
        { date: '2026-02-30', shifts: [] },
        { date: '2026-03-01', shifts: [{ start: '08:00', end: '12:61' }] },
      ],
    } as unknown as CalendarSpec;
    const paths = validateCalendar(bad, 'Europe/Berlin').map((issue) => issue.path);
    expect(paths).toEqual([
      'shifts[0].days[1]',
      'shifts[0].start',
      'shifts[1].start',
      'shifts[1].end',
      'exceptions[0].date',
      'exceptions[1].shifts[0].end',
    ]);
  });

  it('reports structurally wrong lists instead of throwing', () => {
    const bad = { id: 'x', shifts: [{ days: 'mon', start: '06:00', end: '14:00' }], exceptions: [{ date: '2026-01-01' }] } as unknown as CalendarSpec;
    expect(validateCalendar(bad, 'UTC').map((i) => i.path)).toEqual(['shifts[0].days', 'exceptions[0].shifts']);
  });
});
