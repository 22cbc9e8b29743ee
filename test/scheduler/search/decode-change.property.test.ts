/**
 * The changed decode is the full decode, faster: after any move the search could make (within a
 * machine sequence, to another unit or mode, several in a row with undos between), re-timing
 * only what the move reaches gives exactly the times, units and modes of decoding everything,
 * and the same verdict when the move makes the sequences cyclic or infeasible; and the objective
 * summed again over what it re-timed is `evaluate`'s. A move taken (`commitChange`) leaves the
 * times, the critical-path links and the causes a full decode of the new sequences gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clonePlacement, type Placement } from '../../../scheduler/dispatch/placement.ts';
import { buildSearchContext } from '../../../scheduler/search/context.ts';
import { Decoder } from '../../../scheduler/search/decode.ts';
import { ChangeDecoder } from '../../../scheduler/search/decode-change.ts';
import { ObjectiveDelta } from '../../../scheduler/search/objective-delta.ts';
import { evaluate } from '../../../scheduler/objective.ts';
import { withPrevious } from '../../../scheduler/previous.ts';
import type { PlantProblem } from '../../../scheduler/problem.ts';
import { solve } from '../../../scheduler/solve.ts';
import { SequenceState, type SequenceMove } from '../../../scheduler/search/sequences.ts';
import { generatePlant } from '../../../solver-bench/generator.ts';
import { jobShop, smallPlant } from './fixtures.ts';
import { prepare } from './harness.ts';

const same = (a: Placement, b: Placement): boolean =>
  a.resource.every((v, i) => v === b.resource[i]) && a.mode.every((v, i) => v === b.mode[i]) &&
  a.start.every((v, i) => v === b.start[i]) && a.end.every((v, i) => v === b.end[i]);

/** The plant with a previous schedule (a short search's), so that the stability term counts. */
function withShortSearchPrevious(problem: PlantProblem): PlantProblem {
  return withPrevious(problem, solve(problem, { now: problem.now!, seed: 2, maxIterations: 30 }).operations);
}

const plants = [
  generatePlant({ targetOperations: 300, seed: 2 }),
  withShortSearchPrevious(generatePlant({ targetOperations: 200, seed: 6 })),
  jobShop('ft06'),
  smallPlant({ orders: 12, seed: 4 }),
  smallPlant({ orders: 20, seed: 9, pin: true }),
];

describe('decodeChange', () => {
  it.each(plants.map((p, i) => [i, p] as const))('matches the full decode after any move (plant %i)', (_, problem) => {
    const prepared = prepare(problem);
    const ctx = buildSearchContext(prepared.model, prepared.start.placement, prepared.start.materials, prepared.start.excluded);
    if (ctx.movable.length < 2) return;
    const moveArb = fc.record({ op: fc.nat(ctx.movable.length - 1), option: fc.nat(), index: fc.nat() });
    let givenUp = 0;
    const stepArb = fc.record({ move: moveArb, keep: fc.boolean(), limit: fc.option(fc.double({ min: 0.5, max: 1.5, noNaN: true })) });
    fc.assert(fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps) => {
      const state = SequenceState.fromPlacement(prepared.start.placement, ctx.movable, prepared.model.resources.length);
      const decoder = new Decoder(ctx);
      const current = clonePlacement(ctx.base);
      if (!decoder.decode(state, current)) return;
      const changes = new ChangeDecoder(ctx, decoder);
      const full = clonePlacement(ctx.base);
      const reference = new Decoder(ctx);
      const objective = new ObjectiveDelta(prepared.model);
      expect(objective.reset(current)).toEqual(evaluate(prepared.model, current));
      for (const { move: m, keep, limit } of steps) {
        const op = ctx.movable[m.op]!;
        const options = ctx.options[op]!;
        const option = options[m.option % options.length]!;
        const length = state.sequences[option.resource]!.length - (state.resource[op] === option.resource ? 1 : 0);
        const move: SequenceMove = { op, toResource: option.resource, toMode: option.mode, toIndex: m.index % (length + 1) };
        const applied = state.apply(move);
        const okFull = reference.decode(state, full);
        if (limit !== null && okFull) {
          // Given up under a bound only when the candidate's first term cannot beat it.
          const bound = evaluate(prepared.model, current).map((term) => term * limit);
          if (!changes.tryMove(state, applied, current, objective.boundBelow(bound))) {
            expect(evaluate(prepared.model, full)[0]).toBeGreaterThan(bound[0]!);
            givenUp++;
          } else expect(same(changes.candidate, full)).toBe(true);
        }
        const ok = changes.tryMove(state, applied, current);
        expect(ok).toBe(okFull);
        if (ok) {
          expect(same(changes.candidate, full)).toBe(true);
          const { ops, count } = changes.changed();
          const delta = objective.valueWith(changes.candidate, ops, count);
          evaluate(prepared.model, full).forEach((term, i) => expect(delta[i]).toBeCloseTo(term, 6));
        }
        if (keep && ok) {
          // The search takes the move: committed, it is the full decode again, links included.
          expect(changes.commit(state, applied, current)).toBe(true);
          expect(same(current, full)).toBe(true);
          expect(decoder.link).toEqual(reference.link);
          expect(decoder.linkKind).toEqual(reference.linkKind);
          expect(decoder.machinePred).toEqual(reference.machinePred);
          const causes = (d: Decoder): Placement => { const p = clonePlacement(ctx.base); d.writeCauses(p); return p; };
          expect(causes(decoder).cause).toEqual(causes(reference).cause);
          expect(objective.reset(current)).toEqual(evaluate(prepared.model, current));
        } else {
          state.undo(applied);
        }
      }
    }), { numRuns: 60 });
    // The bound did give candidates up (the check above is not vacuous).
    expect(givenUp).toBeGreaterThan(0);
  });
});
