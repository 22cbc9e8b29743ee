import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingTime } from '../../../scheduler/calendar/working-time.ts';
import { Timeline, type Slot } from '../../../scheduler/dispatch/timeline.ts';

// Shifts of 60 working minutes every 100: [0, 60), [100, 160), … up to 2000.
const shifts = new WorkingTime(Array.from({ length: 20 }, (_, k) => [k * 100, k * 100 + 60] as const));

/** The slot search without any shortcut: step past each interval in the way, one at a time. */
function naiveFit(working: WorkingTime, busy: readonly { start: number; end: number; owner: number }[], earliest: number, duration: number, uninterruptible: boolean): Slot | null {
  const sorted = [...busy].sort((a, b) => a.start - b.start);
  let pushedBy: number | null = null;
  let t = working.nextWorkingMinute(earliest);
  while (t !== null) {
    const end = working.addWork(t, duration);
    if (end === null) return null;
    if (uninterruptible && duration > 0 && end > working.stretchEnd(t)) {
      t = working.nextWorkingMinute(working.stretchEnd(t));
      continue;
    }
    const at = t;
    const blocker = sorted.find((b) => b.end > at);
    if (duration > 0 && blocker !== undefined && blocker.start < end) {
      pushedBy = blocker.owner;
      t = working.nextWorkingMinute(blocker.end);
      continue;
    }
    return { start: t, end, pushedBy };
  }
  return null;
}

describe('Timeline.earliestFit', () => {
  it('steps over gaps too short for interruptible work and names the last blocker', () => {
    const timeline = new Timeline(shifts);
    timeline.insert(0, 20, 1);
    timeline.insert(30, 50 + 60, 2); // [30, 110): 30 working minutes, then 10 in the next shift
    timeline.insert(120, 160, 3);
    // Gaps: [20, 30) holds 10 minutes, [110, 120) holds 10: 15 minutes fit only after 160.
    expect(timeline.earliestFit(0, 15, false)).toEqual({ start: 200, end: 215, pushedBy: 3 });
    expect(timeline.earliestFit(0, 10, false)).toEqual({ start: 20, end: 30, pushedBy: 1 });
  });

  it('finds the gap freed by a removed operation', () => {
    const timeline = new Timeline(shifts);
    timeline.insert(0, 20, 1);
    timeline.insert(20, 60, 2);
    timeline.insert(100, 160, 3);
    expect(timeline.earliestFit(0, 30, false)).toEqual({ start: 200, end: 230, pushedBy: 3 });
    timeline.remove(2);
    expect(timeline.earliestFit(0, 30, false)).toEqual({ start: 20, end: 50, pushedBy: 1 });
  });

  it('answers like the step-by-step search on random timelines (property)', () => {
    const operation = fc.record({ at: fc.integer({ min: 0, max: 1900 }), work: fc.integer({ min: 1, max: 90 }) });
    const query = fc.record({
      earliest: fc.integer({ min: 0, max: 2100 }),
      duration: fc.integer({ min: 0, max: 150 }),
      uninterruptible: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 25 }), fc.array(query, { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 24 }), (ops, queries, removeAt) => {
        const timeline = new Timeline(shifts);
        const busy: { start: number; end: number; owner: number }[] = [];
        ops.forEach(({ at, work }, owner) => {
          const slot = timeline.earliestFit(at, work, false);
          if (slot === null) return;
          timeline.insert(slot.start, slot.end, owner);
          busy.push({ start: slot.start, end: slot.end, owner });
        });
        const removed = busy[removeAt];
        if (removed !== undefined) {
          timeline.remove(removed.owner);
          busy.splice(removeAt, 1);
        }
        for (const q of queries) {
          expect(timeline.earliestFit(q.earliest, q.duration, q.uninterruptible)).toEqual(naiveFit(shifts, busy, q.earliest, q.duration, q.uninterruptible));
        }
      }),
      { numRuns: 300 },
    );
  });
});
