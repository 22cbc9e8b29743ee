/** Binary search over ascending numbers, shared by calendars, machine timelines and the search. */

/** Index of the first value greater than t (the count of values ≤ t). */
export function firstAbove(values: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
