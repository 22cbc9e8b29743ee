/**
 * Operations that name a standard get their modes from the plant's standard times: the most
 * specific time per candidate work center (its own, else the category's, else any), candidates
 * unknown to the plant or without a time left out, and an order that no work center can run
 * reported with what is missing.
 */
import { describe, expect, it } from 'vitest';
import type { OperationTimeSpec, PlantProblem } from '../../scheduler/problem.ts';
import { resolveStandardTimes } from '../../scheduler/standard-times.ts';
import { at, DAY, opOf, order, orderOf, plant, run } from './engine/support/tiny-plant.ts';

const twoSaws = (operationTimes: readonly OperationTimeSpec[], workCenters = ['SAW-1', 'SAW-2']): PlantProblem => plant({
  workCenters: [
    { id: 'SAW-1', units: 1, calendar: 'always' },
    { id: 'SAW-2', units: 1, calendar: 'always' },
  ],
  operationTimes,
  workOrders: [order('A', [{ modes: [], standard: { operation: 'Cutting', category: 'Saws', workCenters } }], { quantity: 10 })],
});

describe('standard operation times', () => {
  it('takes a work center\'s own time before its category\'s, and the category\'s before any', () => {
    const resolved = resolveStandardTimes(twoSaws([
      { operation: 'Cutting', runMinutesPerUnit: 9 },
      { operation: 'Cutting', category: 'Saws', setupMinutes: 15, runMinutesPerUnit: 6 },
      { operation: 'Cutting', workCenter: 'SAW-2', runMinutesPerUnit: 3, minWaitAfterMinutes: 30 },
    ]));
    expect(resolved.problems).toEqual([]);
    expect(resolved.workOrders[0]!.operations[0]!.modes).toEqual([
      { workCenter: 'SAW-1', setupMinutes: 15, runMinutesPerUnit: 6 },
      { workCenter: 'SAW-2', runMinutesPerUnit: 3 },
    ]);
    // Operation-level settings come from the preferred candidate's time.
    expect(resolved.workOrders[0]!.operations[0]!.minWaitAfterMinutes).toBeUndefined();
  });

  it('plans on the faster candidate: 10 × 3 min on SAW-2 beats 15 + 10 × 6 min on SAW-1', () => {
    const result = run(twoSaws([
      { operation: 'Cutting', category: 'Saws', setupMinutes: 15, runMinutesPerUnit: 6 },
      { operation: 'Cutting', workCenter: 'SAW-2', runMinutesPerUnit: 3 },
    ]));
    const op = opOf(result, 'A');
    expect(op.workCenter).toBe('SAW-2');
    expect([op.start, op.end]).toEqual([at(0), at(30)]);
  });

  it('without a candidate list, every work center with its own time for the operation is a candidate', () => {
    const problem: PlantProblem = {
      ...twoSaws([{ operation: 'Cutting', workCenter: 'SAW-1', runMinutesPerUnit: 1 }]),
      workOrders: [order('A', [{ modes: [], standard: { operation: 'Cutting' } }])],
    };
    expect(resolveStandardTimes(problem).workOrders[0]!.operations[0]!.modes.map((m) => m.workCenter)).toEqual(['SAW-1']);
  });

  it('reports an order no candidate can run, naming unknown work centers and missing times, and plans the rest', () => {
    const problem: PlantProblem = {
      ...twoSaws([{ operation: 'Drilling', runMinutesPerUnit: 1 }], ['SAW-1', 'LASER']),
      workOrders: [
        order('A', [{ modes: [], standard: { operation: 'Cutting', category: 'Saws', workCenters: ['SAW-1', 'LASER'] } }]),
        order('B', [{ modes: [], standard: { operation: 'Drilling', workCenters: ['SAW-2'] } }], { due: at(DAY) }),
      ],
    };
    const result = run(problem);
    expect(orderOf(result, 'A').status).toBe('unscheduled');
    expect(orderOf(result, 'B').status).toBe('scheduled');
    expect(result.problems).toContainEqual({
      type: 'missing-operation-time', workOrder: 'A', operation: '10', standardOperation: 'Cutting', category: 'Saws',
      workCenters: ['SAW-1', 'LASER'],
      message: 'work center LASER unknown to takt (needs units and a calendar: work_center.upserted); no time for "Cutting" on SAW-1 or category "Saws" (operation_time.upserted)',
    });
  });

  it('leaves explicit modes alone', () => {
    const problem = plant({ workOrders: [order('A', [{ standard: { operation: 'Cutting' } }])] });
    expect(resolveStandardTimes(problem).workOrders).toBe(problem.workOrders);
    expect(orderOf(run(problem), 'A').status).toBe('scheduled');
  });
});
