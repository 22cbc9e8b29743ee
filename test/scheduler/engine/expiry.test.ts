import { describe, expect, it } from 'vitest';
import type { PlantProblem, WorkOrderSpec } from '../../../scheduler/problem.ts';
import { HOUR, at, opOf, order, orderOf, plant, run, slot } from './support/tiny-plant.ts';

/** An order due early that holds M for three hours from now, so anything else on M waits. */
const blocker = order('BIG', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 180 }] }], { due: at(3 * HOUR), priority: 10 });

/** Needs 10 R1 at its start; runs an hour on M or, if given, `slowMinutes` on N. */
function needsR1(id: string, slowMinutes?: number, extra: Partial<WorkOrderSpec> = {}): WorkOrderSpec {
  const modes = [{ workCenter: 'M', runMinutesPerUnit: 60 }, ...(slowMinutes === undefined ? [] : [{ workCenter: 'N', runMinutesPerUnit: slowMinutes }])];
  return order(id, [{ modes }], { materials: [{ item: 'R1', quantity: 10 }], ...extra });
}

const expiringLot = { id: 'L-OLD', item: 'R1', quantity: 10, status: 'available', expiresAt: at(2 * HOUR) } as const;

function twoCenters(extra: Partial<PlantProblem>): PlantProblem {
  return plant({ workCenters: [{ id: 'M', units: 1, calendar: 'always' }, { id: 'N', units: 1, calendar: 'always' }], ...extra });
}

describe('pegged lots that expire', () => {
  it('takes a slower unit that starts before the lot expires over a faster one after it', () => {
    const result = run(twoCenters({ workOrders: [blocker, needsR1('A', 300)], lots: [expiringLot] }));
    expect(opOf(result, 'A')).toMatchObject({ workCenter: 'N', fixedBy: 'planned' });
    expect(slot(result, 'A')).toEqual([at(0), at(5 * HOUR)]);
    expect(result.problems.filter((p) => p.type === 'lot-expires' || p.type === 'shortage')).toEqual([]);
  });

  it('re-pegs to free supply when no unit starts before the expiry', () => {
    const result = run(plant({
      workOrders: [blocker, needsR1('A')],
      lots: [expiringLot],
      receipts: [{ id: 'PO-1', item: 'R1', quantity: 10, expectedAt: at(5 * HOUR) }],
    }));
    expect(slot(result, 'A')).toEqual([at(5 * HOUR), at(6 * HOUR)]);
    expect(opOf(result, 'A').materialReadyAt).toBe(at(5 * HOUR));
    expect(orderOf(result, 'A').status).toBe('scheduled');
  });

  it('leaves the order unscheduled, short, when nothing else covers it', () => {
    const result = run(plant({ workOrders: [blocker, needsR1('A')], lots: [expiringLot] }));
    expect(orderOf(result, 'A')).toMatchObject({ status: 'unscheduled', reasons: [{ kind: 'shortage', item: 'R1', missing: 10 }] });
    expect(result.problems).toContainEqual({ type: 'lot-expires', workOrder: 'A', operation: '10', lot: 'L-OLD', expiresAt: at(2 * HOUR) });
    expect(result.operations.some((op) => op.workOrder === 'A')).toBe(false);
  });

  it('swaps the lot of a pinned operation that starts after the expiry for free supply', () => {
    const result = run(plant({
      workOrders: [order('A', [{ pin: { workCenter: 'M', start: at(6 * HOUR) } }], { materials: [{ item: 'R1', quantity: 10 }] })],
      lots: [expiringLot],
      receipts: [{ id: 'PO-1', item: 'R1', quantity: 10, expectedAt: at(HOUR) }],
    }));
    expect(opOf(result, 'A')).toMatchObject({ fixedBy: 'pinned', materialReadyAt: at(HOUR) });
    expect(slot(result, 'A')).toEqual([at(6 * HOUR), at(7 * HOUR)]);
    expect(result.problems).toEqual([]);
  });
});
