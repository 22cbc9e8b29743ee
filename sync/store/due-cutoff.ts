/**
 * The bound for "due by now" on a timestamp column: rows with `column < dueCutoff(now)` are due.
 * The app's clock counts milliseconds and the database's `now()` default microseconds, so a row
 * made during the current millisecond would otherwise look due only in the next one.
 */
export function dueCutoff(nowMs: number): Date {
  return new Date(nowMs + 1);
}
