import { describe, expect, it } from 'vitest';
import { parseLocalTime } from '../../../scheduler/calendar/expand.ts';
import { parseLocalDate, weekdayOfDay } from '../../../scheduler/calendar/local-time.ts';

describe('parseLocalTime', () => {
  it('reads HH:mm as minutes since local midnight, 24:00 included', () => {
    expect(parseLocalTime('00:00')).toBe(0);
    expect(parseLocalTime('06:30')).toBe(390);
    expect(parseLocalTime('23:59')).toBe(1439);
    expect(parseLocalTime('24:00')).toBe(1440);
  });

  it.each(['24:01', '25:00', '12:60', '6:00', '06:00:00', '0600', '', ' 06:00', 'ab:cd', '-1:00'])('rejects %j', (s) => {
    expect(parseLocalTime(s)).toBeNull();
  });
});

describe('parseLocalDate / weekdayOfDay', () => {
  it('maps real dates to day numbers with the right weekday (0 = Monday)', () => {
    expect(parseLocalDate('1970-01-01')).toBe(0);
    expect(weekdayOfDay(0)).toBe(3); // Thursday
    const sunday = parseLocalDate('2026-03-29')!;
    expect(weekdayOfDay(sunday)).toBe(6);
    expect(parseLocalDate('2028-02-29')! - parseLocalDate('2028-02-28')!).toBe(1);
    expect(weekdayOfDay(parseLocalDate('1969-12-29')!)).toBe(0); // negative day numbers too
  });

  it.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-5', '2026/01/05', '05.01.2026', ''])('rejects %j', (s) => {
    expect(parseLocalDate(s)).toBeNull();
  });
});
