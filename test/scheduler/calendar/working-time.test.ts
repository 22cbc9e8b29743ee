import { describe, expect, it } from 'vitest';
import { WorkingTime, mergeIntervals } from '../../../scheduler/calendar/working-time.ts';

// Two shifts a "day" of 100 minutes: [10, 30) and [50, 80), then [110, 130).
const shifts = new WorkingTime([
  [50, 80],
  [10, 30],
  [110, 130],
]);

describe('mergeIntervals', () => {
  it('sorts, merges overlapping and touching intervals, drops empty ones', () => {
    expect(
      mergeIntervals([
        [20, 30],
        [0, 10],
        [10, 15],
        [5, 8],
        [40, 40],
        [50, 45],
        [25, 35],
      ]),
    ).toEqual([
      [0, 15],
      [20, 35],
    ]);
  });
});

describe('WorkingTime', () => {
  it('keeps its intervals sorted and exposes the horizon end', () => {
    expect(shifts.intervals).toEqual([
      [10, 30],
      [50, 80],
      [110, 130],
    ]);
    expect(shifts.horizonEnd).toBe(130);
    expect(new WorkingTime([]).horizonEnd).toBe(0);
  });

  it('addWork pauses over gaps', () => {
    expect(shifts.addWork(10, 20)).toBe(30); // exactly fills the first shift: ends at its end, not at 50
    expect(shifts.addWork(20, 15)).toBe(55); // 10 before the gap, 5 after
    expect(shifts.addWork(0, 5)).toBe(15); // starting before the first shift waits for it
    expect(shifts.addWork(35, 40)).toBe(120); // from a gap: 30 in [50,80), 10 in [110,130)
    expect(shifts.addWork(12, 0)).toBe(12);
  });

  it('addWork returns null when the horizon ends first', () => {
    expect(shifts.addWork(10, 70)).toBe(130); // all working time, exactly
    expect(shifts.addWork(10, 71)).toBeNull();
    expect(shifts.addWork(200, 1)).toBeNull();
    expect(new WorkingTime([]).addWork(0, 1)).toBeNull();
  });

  it('workBetween counts only working minutes in [a, b)', () => {
    expect(shifts.workBetween(0, 200)).toBe(70);
    expect(shifts.workBetween(20, 60)).toBe(20);
    expect(shifts.workBetween(30, 50)).toBe(0);
    expect(shifts.workBetween(60, 20)).toBe(0);
    expect(shifts.workBetween(115, 125)).toBe(10);
  });

  it('nextWorkingMinute is t inside working time, the next start in a gap, null past the end', () => {
    expect(shifts.nextWorkingMinute(0)).toBe(10);
    expect(shifts.nextWorkingMinute(15)).toBe(15);
    expect(shifts.nextWorkingMinute(30)).toBe(50); // ends are exclusive
    expect(shifts.nextWorkingMinute(129)).toBe(129);
    expect(shifts.nextWorkingMinute(130)).toBeNull();
  });

  it('stretchEnd is the end of the working interval containing t', () => {
    expect(shifts.stretchEnd(10)).toBe(30);
    expect(shifts.stretchEnd(79)).toBe(80);
    expect(shifts.stretchEnd(110)).toBe(130);
  });

  it('without() subtracts downtimes, including ones spanning several intervals', () => {
    const less = shifts.without([
      [15, 20],
      [70, 115],
      [0, 5],
    ]);
    expect(less.intervals).toEqual([
      [10, 15],
      [20, 30],
      [50, 70],
      [115, 130],
    ]);
    expect(less.workBetween(0, 200)).toBe(50);
    expect(less.addWork(10, 10)).toBe(25);
    expect(shifts.without([])).toBe(shifts);
    expect(shifts.without([[0, 1000]]).intervals).toEqual([]);
    // the original is untouched
    expect(shifts.workBetween(0, 200)).toBe(70);
  });
});
