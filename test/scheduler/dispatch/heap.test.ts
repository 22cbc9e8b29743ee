import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../../scheduler/dispatch/heap.ts';

describe('MinHeap', () => {
  it('pops the smallest value first, growing past its initial capacity', () => {
    const heap = new MinHeap(2);
    for (const v of [5, 3, 9, 1, 7]) heap.push(v);
    expect(heap.size).toBe(5);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual([1, 3, 5, 7, 9, undefined]);
  });

  it('pops in sorted order under interleaved pushes and pops (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat({ max: 1000 }), fc.constant(-1)), { maxLength: 200 }), (steps) => {
        const heap = new MinHeap(1);
        const reference: number[] = [];
        for (const step of steps) {
          if (step >= 0) {
            heap.push(step);
            reference.push(step);
            reference.sort((a, b) => a - b);
          } else {
            expect(heap.pop()).toBe(reference.shift());
          }
          expect(heap.size).toBe(reference.length);
        }
      }),
    );
  });
});
