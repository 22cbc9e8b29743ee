import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileProblem } from '../../../scheduler/compile.ts';
import { constructSchedule } from '../../../scheduler/dispatch/constructive.ts';
import { MaterialPegger } from '../../../scheduler/pegging.ts';
import { plantArbitrary } from '../engine/support/plant-arbitrary.ts';

const TOLERANCE = 1e-6;

/**
 * The dispatcher's material plan against its placement, from the inside: every placed
 * operation's demands are covered in full, by supply there at its start, with no lot used at or
 * after its expiry; no supply is pegged beyond its quantity; failed orders hold no material.
 */
function planViolations(problem: Parameters<typeof compileProblem>[0], nowMs: number): string[] {
  const compiled = compileProblem(problem, nowMs);
  if (!compiled.ok) return [];
  const { model } = compiled.compiled;
  const unschedulable = new Set(model.orders.flatMap((order, o) => (order.heldBy.length > 0 || order.completed ? [o] : [])));
  const pegging = new MaterialPegger(model, unschedulable).peg([]);
  const built = constructSchedule({ model, materials: pegging.plan, excluded: new Set([...unschedulable, ...pegging.short.keys()]) });
  const { placement, materials } = built;
  const out: string[] = [];
  const used = new Float64Array(model.supplies.length);
  model.demands.forEach((demand, d) => {
    const op = demand.operation;
    const sources = materials.sources[d]!;
    if (built.failed.has(demand.order) && sources.length > 0) out.push(`demand ${d} of failed order ${demand.order} keeps material`);
    if (placement.resource[op]! < 0) return;
    const start = placement.start[op]!;
    const fixed = placement.cause[op]?.kind === 'fixed';
    let total = 0;
    sources.forEach((s, k) => {
      const supply = model.supplies[s]!;
      const quantity = materials.quantities[d]![k]!;
      total += quantity;
      used[s]! += quantity;
      if (supply.item !== demand.item) out.push(`demand ${d} draws ${supply.item} for ${demand.item}`);
      if (supply.expiresAt !== null && supply.expiresAt <= start) out.push(`demand ${d} uses lot ${supply.id} expiring ${supply.expiresAt} at ${start}`);
      if (fixed) return;
      if (supply.producer === null && supply.availableAt > start) out.push(`demand ${d} starts ${start} before ${supply.id} arrives ${supply.availableAt}`);
      if (supply.producer !== null) {
        for (const made of model.orders[supply.producer]!.operations) {
          if (placement.resource[made]! < 0 || placement.end[made]! > start) out.push(`demand ${d} starts ${start} before producer op ${made} ends`);
        }
      }
    });
    if (Math.abs(total - demand.quantity) > TOLERANCE) out.push(`demand ${d} covered ${total} of ${demand.quantity}`);
  });
  used.forEach((q, s) => {
    if (q > model.supplies[s]!.quantity + TOLERANCE) out.push(`supply ${model.supplies[s]!.id} pegged ${q} of ${model.supplies[s]!.quantity}`);
  });
  return out;
}

describe('constructSchedule material plan', () => {
  it('covers every placed demand with unexpired supply there at its start, within each supply', () => {
    fc.assert(
      fc.property(plantArbitrary, ({ problem, nowMs }) => {
        expect(planViolations(problem, nowMs)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
