/**
 * Wall-clock arithmetic for calendars: Odoo keeps attendances as local hours of the calendar's
 * `tz` and leaves as UTC datetimes; takt wants local dates and `HH:mm` times.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function isZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalMoment {
  /** `YYYY-MM-DD` in the zone. */
  readonly date: string;
  /** Minutes since local midnight, seconds rounded up (an end at 23:59:59 is 24:00). */
  readonly minute: number;
}

export function localMoment(ms: number, zone: string, roundUp = false): LocalMoment {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const minute = Number(parts.hour) * 60 + Number(parts.minute) + (roundUp && Number(parts.second) > 0 ? 1 : 0);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minute };
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!) / DAY_MS;
}

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Odoo's `dayofweek`: Monday is 0. */
export function odooWeekday(date: string): number {
  // 1970-01-01 was a Thursday (3 counted from Monday).
  return (((dayNumber(date) + 3) % 7) + 7) % 7;
}

/**
 * Odoo's week type of a two-week calendar (`resource.calendar.attendance.get_week_type`):
 * `int(floor((date.toordinal() - 1) / 7) % 2)`; the Python ordinal of 1970-01-01 is 719163.
 */
export function odooWeekType(date: string): number {
  return Math.floor((dayNumber(date) + 719_163 - 1) / 7) % 2;
}

/** `HH:mm` of minutes since midnight; 1440 is `24:00` (an end of day). */
export function minuteToTime(minute: number): string {
  const m = Math.max(0, Math.min(1440, Math.round(minute)));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Odoo's float hours (8.5) → minutes (510). */
export function hoursToMinute(hours: number): number {
  return Math.round(hours * 60);
}
