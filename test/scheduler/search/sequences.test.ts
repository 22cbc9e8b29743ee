import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSearchContext } from '../../../scheduler/search/context.ts';
import { JobShopState, type JobShopData } from '../../../scheduler/search/job-shop-state.ts';
import { SequenceState } from '../../../scheduler/search/sequences.ts';
import { smallPlant } from './fixtures.ts';
import { prepare } from './harness.ts';

describe('SequenceState moves', () => {
  it('undo restores sequences, units and modes exactly, in any order of moves', () => {
    const prepared = prepare(smallPlant({ orders: 12, seed: 7 }));
    const ctx = buildSearchContext(prepared.model, prepared.start.placement, prepared.start.materials);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 20 }), (picks) => {
      const state = SequenceState.fromPlacement(prepared.start.placement, ctx.movable, prepared.model.resources.length);
      const original = state.clone();
      const applied = picks.map(([a, b, c]) => {
        const op = ctx.movable[a % ctx.movable.length]!;
        const options = ctx.options[op]!;
        const { resource, mode } = options[b % options.length]!;
        const length = state.sequences[resource]!.length - (state.resource[op] === resource ? 1 : 0);
        return state.apply({ op, toResource: resource, toMode: mode, toIndex: c % (length + 1) });
      });
      expect(state.sequences.flat().sort((x, y) => x - y)).toEqual(Array.from(ctx.movable));
      for (const move of applied.reverse()) state.undo(move);
      expect(state.equals(original)).toBe(true);
      expect(state.sequences).toEqual(original.sequences);
    }));
  });
});

/** Two jobs on two machines: J0 = M0(3) → M1(2), J1 = M0(2) → M1(4); sequences J0 first. */
function twoByTwo(): JobShopData {
  return {
    duration: Float64Array.from([3, 2, 2, 4]),
    release: new Float64Array(4),
    waitAfter: new Float64Array(4),
    jobPred: Int32Array.from([-1, 0, -1, 2]),
    jobSucc: Int32Array.from([1, -1, 3, -1]),
    machineOf: Int32Array.from([0, 1, 0, 1]),
    sequence: Int32Array.from([0, 2, 1, 3]),
    machineStart: Int32Array.from([0, 2, 4]),
  };
}

describe('JobShopState', () => {
  it('computes heads, tails and makespan of the disjunctive graph', () => {
    const state = new JobShopState(twoByTwo());
    expect(state.computeTimes()).toBe(true);
    expect(Array.from(state.head)).toEqual([0, 3, 3, 5]);
    expect(state.makespan).toBe(9);
    expect(Array.from(state.tail)).toEqual([6, 4, 4, 0]);
  });

  it('estimates a swap exactly on this graph and undoes it exactly', () => {
    const state = new JobShopState(twoByTwo());
    state.computeTimes();
    const before = { seq: state.seq.slice(), pos: state.pos.slice(), head: state.head.slice(), tail: state.tail.slice() };
    const estimate = state.estimateMove(0, 1, new Float64Array(4));
    state.moveOp(0, 1);
    expect(Array.from(state.seq)).toEqual([2, 0, 1, 3]);
    state.computeTimes();
    // J1 first on M0: J1 0-2, J0 2-5; M1: J0 5-7, J1 7-11 (J1's M1 op waits for the machine).
    expect(state.makespan).toBe(11);
    expect(estimate).toBeLessThanOrEqual(state.makespan);
    state.moveOp(1, 0);
    state.computeTimes();
    expect(state.seq).toEqual(before.seq);
    expect(state.pos).toEqual(before.pos);
    expect(state.head).toEqual(before.head);
    expect(state.tail).toEqual(before.tail);
  });

  it('reports a cyclic sequence instead of producing times', () => {
    const data = twoByTwo();
    // One job 0 → 1 → 2 → 3, but machine 0 runs op 2 before op 0.
    const cyclic: JobShopData = { ...data, jobPred: Int32Array.from([-1, 0, 1, 2]), jobSucc: Int32Array.from([1, 2, 3, -1]), sequence: Int32Array.from([2, 0, 1, 3]) };
    const state = new JobShopState(cyclic);
    expect(state.computeTimes()).toBe(false);
  });
});
