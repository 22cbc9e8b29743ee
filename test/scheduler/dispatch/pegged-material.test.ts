import { describe, expect, it } from 'vitest';
import { compileProblem } from '../../../scheduler/compile.ts';
import { PeggedMaterial } from '../../../scheduler/dispatch/pegged-material.ts';
import type { MaterialPlan } from '../../../scheduler/dispatch/placement.ts';
import type { Model } from '../../../scheduler/model.ts';
import { at, order, plant } from '../engine/support/tiny-plant.ts';

/** Orders A and B need 6 R1 each; lots L1 (6, expires at 60), L2 (4), receipt P1 (10 at 120). */
function model(): Model {
  const needs = (id: string) => order(id, [{}], { materials: [{ item: 'R1', quantity: 6 }] });
  const compiled = compileProblem(plant({
    workOrders: [needs('A'), needs('B')],
    lots: [
      { id: 'L1', item: 'R1', quantity: 6, status: 'available', expiresAt: at(60) },
      { id: 'L2', item: 'R1', quantity: 4, status: 'available' },
    ],
    receipts: [{ id: 'P1', item: 'R1', quantity: 10, expectedAt: at(120) }],
  }), Date.parse(at(0)));
  if (!compiled.ok) throw new Error('bad plant');
  return compiled.compiled.model;
}

const supply = (m: Model, id: string): number => m.supplies.findIndex((s) => s.id === id);

/** A pegged to L1; B to L2 (4) and P1 (2). */
function plan(m: Model): MaterialPlan {
  return {
    readyAt: [0, 120], readySource: ['L1', 'P1'], producers: [[], []],
    sources: [[supply(m, 'L1')], [supply(m, 'L2'), supply(m, 'P1')]],
    quantities: [[6], [4, 2]],
  };
}

describe('PeggedMaterial', () => {
  it('knows the earliest expiry of an operation’s lots', () => {
    const m = model();
    const material = new PeggedMaterial(m, plan(m));
    expect(material.expiryOf(m.demands[0]!.operation)).toBe(60);
    expect(material.expiryOf(m.demands[1]!.operation)).toBe(Number.POSITIVE_INFINITY);
  });

  it('swaps a lot that expires by the start for free supply, earliest available first', () => {
    const m = model();
    const material = new PeggedMaterial(m, plan(m));
    expect(material.repeg(m.demands[0]!.operation, 60, () => null)).toBeNull();
    // L2 is all B's; 8 of P1 are free: A takes 6 of them and is ready when P1 arrives.
    expect(material.plan.sources[0]).toEqual([supply(m, 'P1')]);
    expect(material.plan.quantities[0]).toEqual([6]);
    expect(material.plan.readyAt[0]).toBe(120);
    expect(material.plan.readySource[0]).toBe('P1');
    expect(material.expiryOf(m.demands[0]!.operation)).toBe(Number.POSITIVE_INFINITY);
    // The input plan is not changed.
    expect(plan(m).sources[0]).toEqual([supply(m, 'L1')]);
  });

  it('keeps a lot that expires after the start', () => {
    const m = model();
    const material = new PeggedMaterial(m, plan(m));
    expect(material.repeg(m.demands[0]!.operation, 59, () => null)).toBeNull();
    expect(material.plan.sources[0]).toEqual([supply(m, 'L1')]);
  });

  it('reports a demand that free supply cannot cover and takes nothing for it', () => {
    const m = model();
    const tight: MaterialPlan = { ...plan(m), sources: [[supply(m, 'L1')], [supply(m, 'L2'), supply(m, 'P1')]], quantities: [[6], [4, 6]] };
    const material = new PeggedMaterial(m, tight);
    // Only 4 of P1 are free: not enough for 6.
    expect(material.repeg(m.demands[0]!.operation, 60, () => null)).toEqual({ demand: 0, lot: supply(m, 'L1') });
    expect(material.plan.sources[0]).toEqual([]);
    // Once B fails and gives its material back, A is covered from L2 and P1.
    const released = new PeggedMaterial(m, tight);
    released.releaseOrder(m.demands[1]!.order);
    expect(released.plan.sources[1]).toEqual([]);
    expect(released.repeg(m.demands[0]!.operation, 60, () => null)).toBeNull();
    expect(released.plan.sources[0]).toEqual([supply(m, 'L2'), supply(m, 'P1')]);
    expect(released.plan.quantities[0]).toEqual([4, 2]);
  });
});
