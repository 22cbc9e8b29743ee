/**
 * Strict string formats. `Date.parse` alone would accept a missing offset (as local time) and
 * roll 2026-02-30 over into March; an instant here must name its offset and exist.
 */

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

export const INSTANT_PATTERN = INSTANT.source;
export const LOCAL_DATE_PATTERN = LOCAL_DATE.source;
export const LOCAL_TIME_PATTERN = '^(?:[01]\\d|2[0-3]):[0-5]\\d$|^24:00$';

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** ISO-8601 date and time with an explicit offset (`Z` or `±hh:mm`). */
export function isIsoInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  if (m === null) return false;
  const [, y, mo, d, h, mi, s, oh, om] = m.map((part) => (part === undefined ? 0 : Number(part)));
  return isRealDate(y!, mo!, d!) && h! <= 23 && mi! <= 59 && s! <= 59 && oh! <= 23 && om! <= 59;
}

export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** `HH:mm`, with `24:00` allowed as an end of day. */
export function isLocalTime(value: string): boolean {
  const m = LOCAL_TIME.exec(value);
  if (m === null) return false;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  return (h <= 23 && mi <= 59) || (h === 24 && mi === 0);
}

/** An IANA zone the runtime knows (what the engine will use to expand calendars). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}
