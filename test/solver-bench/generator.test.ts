import { describe, expect, it } from 'vitest';
import type { PlantProblem } from '../../scheduler/problem.ts';
import { generatePlant, operationCountOf, withDowntime } from '../../solver-bench/generator.ts';

/** Every key the problem refers to, checked against what it defines; returns the dangling ones. */
function danglingReferences(problem: PlantProblem): string[] {
  const missing: string[] = [];
  const calendars = new Set(problem.calendars.map((c) => c.id));
  const centers = new Set(problem.workCenters.map((wc) => wc.id));
  const items = new Set((problem.items ?? []).map((i) => i.id));
  const lots = new Set((problem.lots ?? []).map((l) => l.id));
  const orders = new Set(problem.workOrders.map((o) => o.id));
  for (const wc of problem.workCenters) if (!calendars.has(wc.calendar)) missing.push(`calendar ${wc.calendar}`);
  for (const order of problem.workOrders) {
    if (!items.has(order.item)) missing.push(`item ${order.item}`);
    const operations = new Set(order.operations.map((op) => op.id));
    for (const op of order.operations) for (const mode of op.modes) if (!centers.has(mode.workCenter)) missing.push(`work center ${mode.workCenter}`);
    for (const m of order.materials ?? []) {
      if (!items.has(m.item)) missing.push(`item ${m.item}`);
      if (m.operation !== undefined && !operations.has(m.operation)) missing.push(`operation ${order.id}/${m.operation}`);
    }
  }
  for (const lot of problem.lots ?? []) if (!items.has(lot.item)) missing.push(`lot item ${lot.item}`);
  for (const r of problem.receipts ?? []) if (!items.has(r.item)) missing.push(`receipt item ${r.item}`);
  for (const hold of problem.holds ?? []) {
    const known = hold.target.kind === 'lot' ? lots : hold.target.kind === 'item' ? items : orders;
    if (!known.has(hold.target.id)) missing.push(`hold target ${hold.target.kind} ${hold.target.id}`);
  }
  return missing;
}

function unique(ids: readonly string[]): boolean {
  return new Set(ids).size === ids.length;
}

describe('generatePlant', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generatePlant({ targetOperations: 1000, seed: 42 });
    const b = generatePlant({ targetOperations: 1000, seed: 42 });
    const c = generatePlant({ targetOperations: 1000, seed: 43 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it.each([1000, 10_000])('hits %i operations within ten percent with every reference valid', (target) => {
    const problem = generatePlant({ targetOperations: target, seed: 7 });
    const count = operationCountOf(problem);
    expect(count).toBeGreaterThanOrEqual(target * 0.9);
    expect(count).toBeLessThanOrEqual(target * 1.1);
    expect(danglingReferences(problem)).toEqual([]);
    expect(unique(problem.workOrders.map((o) => o.id))).toBe(true);
    expect(unique((problem.items ?? []).map((i) => i.id))).toBe(true);
    expect(unique((problem.lots ?? []).map((l) => l.id))).toBe(true);
    expect(problem.workOrders.every((o) => unique(o.operations.map((op) => op.id)))).toBe(true);
  });

  it('builds a realistic plant: shifts, parallel units, alternates, BOM levels, supply and holds', () => {
    const problem = generatePlant({ targetOperations: 2000, seed: 3 });
    expect(problem.calendars.some((c) => c.exceptions?.some((e) => e.shifts.length === 0))).toBe(true);
    expect(new Set(problem.workCenters.map((wc) => wc.calendar)).size).toBeGreaterThanOrEqual(2);
    expect(problem.workCenters.every((wc) => wc.units >= 1 && wc.units <= 4)).toBe(true);
    expect(problem.workCenters.some((wc) => wc.units > 1)).toBe(true);
    const operations = problem.workOrders.flatMap((o) => o.operations);
    expect(problem.workOrders.every((o) => o.operations.length >= 3 && o.operations.length <= 8)).toBe(true);
    const alternated = operations.filter((op) => op.modes.length > 1);
    expect(alternated.length).toBeGreaterThan(0);
    expect(alternated.every((op) => op.modes.every((m) => m.workCenter !== op.modes[0]!.workCenter || m === op.modes[0]))).toBe(true);
    // Orders whose output another order consumes: the BOM has levels.
    const produced = new Set(problem.workOrders.map((o) => o.item));
    const consumedFromOrders = problem.workOrders.flatMap((o) => o.materials ?? []).filter((m) => produced.has(m.item));
    expect(consumedFromOrders.length).toBeGreaterThan(0);
    expect(problem.lots?.some((l) => l.status === 'held')).toBe(true);
    expect(problem.receipts?.length).toBeGreaterThan(0);
    expect(problem.holds?.length).toBeGreaterThan(0);
    expect(new Set(problem.workOrders.map((o) => o.priority)).size).toBeGreaterThan(1);
    const dues = problem.workOrders.map((o) => Date.parse(o.due));
    expect(Math.max(...dues) - Math.min(...dues)).toBeGreaterThan(7 * 24 * 3600_000);
  });
});

describe('withDowntime', () => {
  it('adds one breakdown to the most loaded work center and leaves the rest alone', () => {
    const problem = generatePlant({ targetOperations: 1000, seed: 5 });
    const broken = withDowntime(problem, 9);
    const changed = broken.workCenters.filter((wc, i) => wc !== problem.workCenters[i]);
    expect(changed).toHaveLength(1);
    const [downtime] = changed[0]!.downtimes ?? [];
    expect(downtime).toBeDefined();
    expect(Date.parse(downtime!.end)).toBeGreaterThan(Date.parse(downtime!.start));
    expect(Date.parse(downtime!.start)).toBeGreaterThanOrEqual(Date.parse(problem.now!));
    expect(broken.workOrders).toBe(problem.workOrders);
    expect(JSON.stringify(withDowntime(problem, 9))).toBe(JSON.stringify(broken));
  });
});
