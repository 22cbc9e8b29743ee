/**
 * The busy intervals of one machine (a work-center unit), kept sorted, and the search for the
 * earliest slot where an operation fits between them in working time.
 */
import type { WorkingTime } from '../calendar/working-time.ts';
import { firstAbove } from '../sorted.ts';

export interface Slot {
  readonly start: number;
  readonly end: number;
  /** The operation whose interval ends where this slot was pushed to, if capacity pushed it. */
  readonly pushedBy: number | null;
}

export class Timeline {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly owners: number[] = [];
  /**
   * Working minutes between the end of interval i and the start of interval i + 1 (infinite
   * after the last): an interruptible operation longer than that cannot use the gap, so the
   * search steps over it without re-walking the calendar.
   */
  private readonly gaps: number[] = [];

  constructor(readonly working: WorkingTime) {}

  get size(): number {
    return this.starts.length;
  }

  /** Operations in start order. */
  get sequence(): readonly number[] {
    return this.owners;
  }

  /** Index of the first interval whose end is after t. */
  private firstEndingAfter(t: number): number {
    return firstAbove(this.ends, t);
  }

  /**
   * Earliest [start, end) at or after `earliest` in which `duration` working minutes fit without
   * touching another operation; an uninterruptible one must fit in one stretch of working time.
   * Null when the horizon ends first.
   */
  earliestFit(earliest: number, duration: number, uninterruptible: boolean): Slot | null {
    const slot = { start: 0, end: 0, pushedBy: null as number | null };
    return this.fitInto(slot, earliest, duration, uninterruptible) ? slot : null;
  }

  /** `earliestFit` writing into `slot` (no allocation on the dispatcher's hot path); false when none. */
  fitInto(slot: { start: number; end: number; pushedBy: number | null }, earliest: number, duration: number, uninterruptible: boolean): boolean {
    let pushedBy: number | null = null;
    let t = this.working.nextWorkingMinute(earliest);
    while (t !== null) {
      const end = this.working.addWork(t, duration);
      if (end === null) return false;
      if (uninterruptible && duration > 0 && end > this.working.stretchEnd(t)) {
        t = this.working.nextWorkingMinute(this.working.stretchEnd(t));
        continue;
      }
      let i = this.firstEndingAfter(t);
      if (duration > 0 && i < this.starts.length && this.starts[i]! < end) {
        // Interruptible work pushed past interval i also cannot fit in any following gap with
        // less working time than it needs: each would push it past the next interval in turn.
        if (!uninterruptible) while (this.gaps[i]! < duration) i++;
        pushedBy = this.owners[i]!;
        t = this.working.nextWorkingMinute(this.ends[i]!);
        continue;
      }
      slot.start = t;
      slot.end = end;
      slot.pushedBy = pushedBy;
      return true;
    }
    return false;
  }

  /** The operation whose interval ends last at or before t, if any. */
  occupantBefore(t: number): number | null {
    const lo = firstAbove(this.ends, t);
    return lo > 0 ? this.owners[lo - 1]! : null;
  }

  /** Whether [start, end) is free of other operations. */
  isFree(start: number, end: number): boolean {
    if (end <= start) return true;
    const i = this.firstEndingAfter(start);
    return i >= this.starts.length || this.starts[i]! >= end;
  }

  insert(start: number, end: number, owner: number): void {
    if (end <= start) return;
    const i = this.firstEndingAfter(start);
    this.starts.splice(i, 0, start);
    this.ends.splice(i, 0, end);
    this.owners.splice(i, 0, owner);
    this.gaps.splice(i, 0, 0);
    this.updateGap(i - 1);
    this.updateGap(i);
  }

  remove(owner: number): void {
    const i = this.owners.indexOf(owner);
    if (i < 0) return;
    this.starts.splice(i, 1);
    this.ends.splice(i, 1);
    this.owners.splice(i, 1);
    this.gaps.splice(i, 1);
    this.updateGap(i - 1);
  }

  private updateGap(i: number): void {
    if (i < 0 || i >= this.gaps.length) return;
    this.gaps[i] = i + 1 < this.starts.length ? this.working.workBetween(this.ends[i]!, this.starts[i + 1]!) : Number.POSITIVE_INFINITY;
  }
}
