/** Instants as the plant reads them in the CLI: local date and time with the offset, `2026-12-07 08:00 +01:00`. */
import { TZDate } from '@date-fns/tz';
import { isKnownTimeZone } from '../scheduler/calendar/zone-offsets.ts';

const pad = (n: number): string => String(n).padStart(2, '0');

/** A formatter for one zone; an unknown zone (the data's own fault, reported elsewhere) leaves instants as ISO. */
export function plantTimeFormatter(timeZone: string | undefined): (iso: string) => string {
  if (timeZone === undefined || !isKnownTimeZone(timeZone)) return (iso) => iso;
  return (iso) => {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return iso;
    const local = new TZDate(ms, timeZone);
    const east = -local.getTimezoneOffset();
    const offset = `${east < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(east) / 60))}:${pad(Math.abs(east) % 60)}`;
    return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())} ${pad(local.getHours())}:${pad(local.getMinutes())} ${offset}`;
  };
}
