/**
 * Working time of one machine: sorted, disjoint, half-open minute intervals on the engine's
 * horizon (minute 0 = `now`), with prefix sums so that "end after N working minutes" is a
 * binary search, not a walk.
 */
import { firstAbove } from '../sorted.ts';

export type Interval = readonly [start: number, end: number];

export class WorkingTime {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  /** cumulative[i] = working minutes before interval i. */
  private readonly cumulative: Float64Array;

  constructor(intervals: readonly Interval[]) {
    const merged = mergeIntervals(intervals);
    this.starts = new Float64Array(merged.length);
    this.ends = new Float64Array(merged.length);
    this.cumulative = new Float64Array(merged.length + 1);
    merged.forEach(([s, e], i) => {
      this.starts[i] = s;
      this.ends[i] = e;
      this.cumulative[i + 1] = this.cumulative[i]! + (e - s);
    });
  }

  get intervals(): readonly Interval[] {
    return Array.from(this.starts, (s, i) => [s, this.ends[i]!] as const);
  }

  /** Last working minute boundary; nothing can be placed past it. */
  get horizonEnd(): number {
    return this.ends.length ? this.ends[this.ends.length - 1]! : 0;
  }

  /** Index of the first interval whose end is after t, or length when none. */
  private firstEndingAfter(t: number): number {
    return firstAbove(this.ends, t);
  }

  /** t itself when t is working time, else the start of the next working interval; null past the horizon. */
  nextWorkingMinute(t: number): number | null {
    const i = this.firstEndingAfter(t);
    if (i >= this.starts.length) return null;
    return Math.max(t, this.starts[i]!);
  }

  /** End of the working stretch that contains t (t must be working time). */
  stretchEnd(t: number): number {
    const i = this.firstEndingAfter(t);
    return i < this.ends.length ? this.ends[i]! : t;
  }

  /** Working minutes in [a, b). */
  workBetween(a: number, b: number): number {
    return b <= a ? 0 : this.workBefore(b) - this.workBefore(a);
  }

  private workBefore(t: number): number {
    const i = this.firstEndingAfter(t);
    if (i >= this.starts.length) return this.cumulative[this.starts.length]!;
    return this.cumulative[i]! + Math.max(0, t - this.starts[i]!);
  }

  /**
   * The instant at which `minutes` working minutes starting at t are done, pausing over
   * non-working time; null when the horizon ends first. Zero minutes ends at t.
   */
  addWork(t: number, minutes: number): number | null {
    if (minutes <= 0) return t;
    const target = this.workBefore(t) + minutes;
    if (target > this.cumulative[this.starts.length]!) return null;
    // first interval whose cumulative end reaches target
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid + 1]! < target) lo = mid + 1;
      else hi = mid;
    }
    return this.starts[lo]! + (target - this.cumulative[lo]!);
  }

  /** This working time less the given intervals (downtime, breakdowns). */
  without(removed: readonly Interval[]): WorkingTime {
    if (removed.length === 0) return this;
    const cuts = mergeIntervals(removed);
    const out: Interval[] = [];
    let j = 0;
    for (const [s0, e] of this.intervals) {
      let s = s0;
      while (j < cuts.length && cuts[j]![1] <= s) j++;
      let k = j;
      while (k < cuts.length && cuts[k]![0] < e) {
        const [cs, ce] = cuts[k]!;
        if (cs > s) out.push([s, cs]);
        s = Math.max(s, ce);
        k++;
      }
      if (s < e) out.push([s, e]);
    }
    return new WorkingTime(out);
  }
}

/** Sorts and merges overlapping or touching intervals; drops empty ones. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
