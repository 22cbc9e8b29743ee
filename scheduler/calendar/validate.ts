/**
 * Checks a calendar before it is expanded: every problem is returned as data, with a path
 * relative to the calendar (`shifts[0].end`, `exceptions[2].date`) or `timeZone`.
 */
import type { CalendarException, CalendarSpec } from '../problem.ts';
import { MINUTES_PER_DAY, isWeekday, parseLocalDate, parseLocalTime } from './local-time.ts';
import { isKnownTimeZone } from './zone-offsets.ts';

export interface CalendarIssue {
  readonly path: string;
  readonly message: string;
}

export function validateCalendar(spec: CalendarSpec, timeZone: string): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  if (!isKnownTimeZone(timeZone)) {
    issues.push({ path: 'timeZone', message: `unknown IANA time zone ${JSON.stringify(timeZone)}` });
  }
  if (!Array.isArray(spec.shifts)) {
    issues.push({ path: 'shifts', message: 'must be a list of shifts' });
  } else {
    spec.shifts.forEach((shift, i) => {
      const path = `shifts[${i}]`;
      const days: readonly unknown[] | undefined = Array.isArray(shift.days) ? shift.days : undefined;
      if (days === undefined) {
        issues.push({ path: `${path}.days`, message: 'must be a list of weekdays (mon..sun)' });
      } else {
        days.forEach((day, j) => {
          if (!isWeekday(day)) {
            issues.push({ path: `${path}.days[${j}]`, message: `${JSON.stringify(day)} is not a weekday (mon..sun)` });
          }
        });
      }
      checkShiftTimes(shift.start, shift.end, path, issues);
    });
  }
  if (spec.exceptions !== undefined && !Array.isArray(spec.exceptions)) {
    issues.push({ path: 'exceptions', message: 'must be a list of exceptions' });
  } else {
    (spec.exceptions ?? []).forEach((exception, i) => {
      const path = `exceptions[${i}]`;
      if (parseLocalDate(exception.date) === null) {
        issues.push({ path: `${path}.date`, message: `${JSON.stringify(exception.date)} is not a date YYYY-MM-DD` });
      }
      const shifts: CalendarException['shifts'] | undefined = Array.isArray(exception.shifts) ? exception.shifts : undefined;
      if (shifts === undefined) {
        issues.push({ path: `${path}.shifts`, message: 'must be a list of shifts ([] for a closed day)' });
      } else {
        shifts.forEach((shift, j) => checkShiftTimes(shift.start, shift.end, `${path}.shifts[${j}]`, issues));
      }
    });
  }
  return issues;
}

function checkShiftTimes(start: string, end: string, path: string, issues: CalendarIssue[]): void {
  const startMinutes = parseLocalTime(start);
  if (startMinutes === null) {
    issues.push({ path: `${path}.start`, message: `${JSON.stringify(start)} is not a time HH:mm` });
  } else if (startMinutes >= MINUTES_PER_DAY) {
    issues.push({ path: `${path}.start`, message: '24:00 is only allowed as an end' });
  }
  if (parseLocalTime(end) === null) {
    issues.push({ path: `${path}.end`, message: `${JSON.stringify(end)} is not a time HH:mm (24:00 allowed)` });
  }
}
