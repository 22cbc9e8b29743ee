import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CalendarSpec, PlantProblem } from '../../../scheduler/problem.ts';
import { solve } from '../../../scheduler/solve.ts';
import { DAY, HOUR, at, opOf, order, orderOf, plant, run, slot } from './support/tiny-plant.ts';

/** Monday to Friday 06:00–14:00 UTC. */
const dayShift: CalendarSpec = { id: 'day', shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '14:00' }] };
const onDayShift = (extra: Partial<PlantProblem> = {}): PlantProblem =>
  plant({ calendars: [dayShift], workCenters: [{ id: 'M', units: 1, calendar: 'day' }], ...extra });

describe('calendars', () => {
  it('pauses work overnight on a shift calendar', () => {
    // 600 working minutes: 480 on Monday 06–14, the last 120 on Tuesday 06–08.
    const result = run(onDayShift({ workOrders: [order('A', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 600 }] }])] }));
    expect(slot(result, 'A')).toEqual([at(6 * HOUR), at(DAY + 8 * HOUR)]);
    expect(opOf(result, 'A').workMinutes).toBe(600);
  });

  it('closes a holiday given as an exception', () => {
    const holiday: CalendarSpec = { ...dayShift, exceptions: [{ date: '2026-03-02', shifts: [], reason: 'holiday' }] };
    const result = run(plant({
      calendars: [holiday], workCenters: [{ id: 'M', units: 1, calendar: 'day' }],
      workOrders: [order('A', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 300 }] }])],
    }));
    expect(slot(result, 'A')).toEqual([at(DAY + 6 * HOUR), at(DAY + 11 * HOUR)]);
  });

  it('runs a 22:00–06:00 shift over the spring-forward night in Europe/Berlin', () => {
    // Sat 28 Mar 22:00 CET = 21:00Z to Sun 29 Mar 06:00 CEST = 04:00Z: only 7 hours. The 8th
    // hour runs in the next night's shift, Sun 22:00 CEST = 20:00Z.
    const problem: PlantProblem = {
      plant: { id: 'P', timeZone: 'Europe/Berlin', horizonDays: 10 },
      calendars: [{ id: 'night', shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '22:00', end: '06:00' }] }],
      workCenters: [{ id: 'M', units: 1, calendar: 'night' }],
      workOrders: [order('A', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 480 }] }], { due: '2026-04-30T00:00:00Z' })],
    };
    const result = solve(problem, { now: '2026-03-28T12:00:00Z', timeLimitMs: 0 });
    expect(slot(result, 'A')).toEqual(['2026-03-28T21:00:00.000Z', '2026-03-29T21:00:00.000Z']);
  });

  it('pauses work over a downtime (open breakdown with an expected end)', () => {
    const result = run(plant({
      workCenters: [{ id: 'M', units: 1, calendar: 'always', downtimes: [{ id: 'BD', start: at(HOUR), end: at(2 * HOUR), reason: 'breakdown' }] }],
      workOrders: [order('A', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 120 }] }])],
    }));
    expect(slot(result, 'A')).toEqual([at(0), at(3 * HOUR)]);
  });

  it('moves a non-interruptible operation to the next stretch long enough to hold it', () => {
    // Released Monday 12:00: only 2 hours of Monday's shift remain for 5 hours of work.
    const ops = (nonInterruptible: boolean) => [order('A', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 300 }], nonInterruptible }], { release: at(12 * HOUR) })];
    expect(slot(run(onDayShift({ workOrders: ops(true) })), 'A')).toEqual([at(DAY + 6 * HOUR), at(DAY + 11 * HOUR)]);
    expect(slot(run(onDayShift({ workOrders: ops(false) })), 'A')).toEqual([at(12 * HOUR), at(DAY + 9 * HOUR)]);
  });
});

describe('capacity and routing', () => {
  it('runs orders side by side on parallel units', () => {
    const result = run(plant({ workCenters: [{ id: 'M', units: 2, calendar: 'always' }], workOrders: [order('A', [{}]), order('B', [{}])] }));
    expect([opOf(result, 'A').unit, opOf(result, 'B').unit].sort()).toEqual([1, 2]);
    expect(slot(result, 'A')).toEqual([at(0), at(HOUR)]);
    expect(slot(result, 'B')).toEqual([at(0), at(HOUR)]);
  });

  it('chooses the alternate work center when it ends earlier', () => {
    const result = run(plant({
      workCenters: [{ id: 'M', units: 1, calendar: 'always' }, { id: 'ALT', units: 1, calendar: 'always' }],
      workOrders: [
        order('A', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 100 }] }], { priority: 5, due: at(100) }),
        // On M it would wait for A (ends at 200); on ALT, slower, it ends at 150.
        order('B', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 100 }, { workCenter: 'ALT', runMinutesPerUnit: 150 }] }]),
      ],
    }));
    expect(opOf(result, 'B').workCenter).toBe('ALT');
    expect(slot(result, 'B')).toEqual([at(0), at(150)]);
  });

  it('takes setup + quantity × run rate, rounded up to whole minutes', () => {
    const result = run(plant({ workOrders: [order('A', [{ modes: [{ workCenter: 'M', setupMinutes: 30, runMinutesPerUnit: 2.5 }] }], { quantity: 7 })] }));
    expect(opOf(result, 'A').workMinutes).toBe(48);
    expect(slot(result, 'A')).toEqual([at(0), at(48)]);
    expect(result.kpis.totalSetupMinutes).toBe(30);
  });

  it('starts an operation after its predecessor ends plus the minimum wait', () => {
    const result = run(plant({
      workCenters: [{ id: 'M', units: 1, calendar: 'always' }, { id: 'N', units: 1, calendar: 'always' }],
      workOrders: [order('A', [{ minWaitAfterMinutes: 120 }, { modes: [{ workCenter: 'N', runMinutesPerUnit: 30 }] }])],
    }));
    expect(slot(result, 'A', '10')).toEqual([at(0), at(HOUR)]);
    expect(slot(result, 'A', '20')).toEqual([at(3 * HOUR), at(3 * HOUR + 30)]);
  });

  it('starts no earlier than the release date', () => {
    const result = run(plant({ workOrders: [order('A', [{}], { release: at(5 * HOUR) })] }));
    expect(slot(result, 'A')).toEqual([at(5 * HOUR), at(6 * HOUR)]);
  });

  it('explains a late order by the capacity that blocks it', () => {
    const result = run(plant({
      workOrders: [
        order('A', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 600 }] }], { priority: 5, due: at(600) }),
        order('B', [{}], { due: at(HOUR) }),
      ],
    }));
    expect(slot(result, 'B')).toEqual([at(600), at(660)]);
    const b = orderOf(result, 'B');
    expect(b.latenessMinutes).toBe(600);
    expect(b.reasons[0]).toMatchObject({ kind: 'capacity', operation: 'B/10', workCenter: 'M', unit: 1, behind: 'A/10' });
    expect(result.status).toBe('feasible-late');
    expect(result.problems).toContainEqual({ type: 'late', workOrder: 'B', latenessMinutes: 600 });
  });
});

describe('material', () => {
  const needsR1 = (id: string, quantity: number, extra = {}) => order(id, [{}], { materials: [{ item: 'R1', quantity }], ...extra });

  it('waits for a receipt and names it in the reason chain', () => {
    const result = run(plant({
      workOrders: [needsR1('A', 10, { due: at(HOUR) })],
      receipts: [{ id: 'PO-7', item: 'R1', quantity: 10, expectedAt: at(5 * HOUR) }],
    }));
    expect(slot(result, 'A')).toEqual([at(5 * HOUR), at(6 * HOUR)]);
    expect(opOf(result, 'A').materialReadyAt).toBe(at(5 * HOUR));
    expect(orderOf(result, 'A').reasons).toContainEqual({ kind: 'material', operation: 'A/10', item: 'R1', source: 'PO-7', at: at(5 * HOUR), waitMinutes: 5 * HOUR });
  });

  it('names the material wait behind the last hour on a machine, and says which held the order longest', () => {
    // A and B both wait for PO-7; B's last push is an hour behind A on M, but PO-7 held it 5 h.
    const result = run(plant({
      workOrders: [needsR1('A', 5, { due: at(HOUR), priority: 1 }), needsR1('B', 5, { due: at(HOUR), priority: 9 })],
      receipts: [{ id: 'PO-7', item: 'R1', quantity: 10, expectedAt: at(5 * HOUR) }],
    }));
    expect(orderOf(result, 'B').reasons).toEqual([
      { kind: 'capacity', operation: 'B/10', workCenter: 'M', unit: 1, behind: 'A/10', at: at(6 * HOUR), waitMinutes: HOUR },
      { kind: 'material', operation: 'B/10', item: 'R1', source: 'PO-7', at: at(5 * HOUR), waitMinutes: 5 * HOUR },
    ]);
  });

  it('says which orders got the stock on hand when an order waits for a receipt', () => {
    // L1 covers one order now; the one with the lower priority waits for PO-7, and is told who took L1.
    const result = run(plant({
      workOrders: [needsR1('A', 10, { due: at(HOUR), priority: 1 }), needsR1('B', 10, { due: at(HOUR), priority: 9 })],
      lots: [{ id: 'L1', item: 'R1', quantity: 10, status: 'available' }],
      receipts: [{ id: 'PO-7', item: 'R1', quantity: 10, expectedAt: at(5 * HOUR) }],
    }));
    const waiting = ['A', 'B'].find((id) => orderOf(result, id).reasons.some((r) => r.kind === 'material'))!;
    const other = waiting === 'A' ? 'B' : 'A';
    expect(orderOf(result, waiting).reasons).toContainEqual(expect.objectContaining({ kind: 'material', source: 'PO-7', stockTakenBy: [other] }));
  });

  it('gives a contended lot to the higher priority; the other is short with its earliest cover', () => {
    const result = run(plant({
      plant: { id: 'P', timeZone: 'UTC', horizonDays: 2 },
      workOrders: [needsR1('LOW', 10, { priority: 1 }), needsR1('HIGH', 10, { priority: 5 })],
      lots: [{ id: 'L1', item: 'R1', quantity: 10, status: 'available' }],
      // Beyond the horizon: it cannot serve within it, but it says when the shortage ends.
      receipts: [{ id: 'PO-9', item: 'R1', quantity: 10, expectedAt: at(5 * DAY) }],
    }));
    expect(orderOf(result, 'HIGH').status).toBe('scheduled');
    expect(orderOf(result, 'LOW').status).toBe('unscheduled');
    expect(orderOf(result, 'LOW').reasons).toEqual([{ kind: 'shortage', item: 'R1', missing: 10 }]);
    expect(result.problems).toContainEqual({
      type: 'shortage', workOrder: 'LOW', operation: '10', item: 'R1', missingQuantity: 10, earliestCoverAt: at(5 * DAY),
    });
    expect(result.status).toBe('partial');
  });

  it('waits for the sub-assembly order that makes its component (multi-level)', () => {
    const result = run(plant({
      workCenters: [{ id: 'M', units: 1, calendar: 'always' }, { id: 'ASSY', units: 1, calendar: 'always' }],
      workOrders: [
        order('FINAL', [{ modes: [{ workCenter: 'ASSY', runMinutesPerUnit: 30 }] }], { materials: [{ item: 'SUB', quantity: 4 }], due: at(HOUR) }),
        order('SUBASSY', [{ modes: [{ workCenter: 'M', runMinutesPerUnit: 30 }] }], { item: 'SUB', quantity: 4 }),
      ],
    }));
    expect(slot(result, 'SUBASSY')).toEqual([at(0), at(120)]);
    expect(slot(result, 'FINAL')).toEqual([at(120), at(150)]);
    expect(orderOf(result, 'FINAL').reasons).toContainEqual(expect.objectContaining({ kind: 'material', item: 'SUB', source: 'SUBASSY' }));
  });

  it('does not count a held lot as supply', () => {
    const result = run(plant({
      workOrders: [needsR1('A', 10)],
      lots: [{ id: 'L1', item: 'R1', quantity: 10, status: 'available' }],
      receipts: [{ id: 'PO-1', item: 'R1', quantity: 10, expectedAt: at(4 * HOUR) }],
      holds: [{ id: 'QH-1', target: { kind: 'lot', id: 'L1' } }],
    }));
    expect(slot(result, 'A')).toEqual([at(4 * HOUR), at(5 * HOUR)]);
  });

  it('takes every lot of a held item out of supply', () => {
    const result = run(plant({
      workOrders: [needsR1('A', 10), order('B', [{}])],
      lots: [{ id: 'L1', item: 'R1', quantity: 10, status: 'available' }, { id: 'L2', item: 'R1', quantity: 10, status: 'available' }],
      holds: [{ id: 'QH-2', target: { kind: 'item', id: 'R1' } }],
    }));
    expect(orderOf(result, 'A').status).toBe('unscheduled');
    expect(result.problems).toContainEqual(expect.objectContaining({ type: 'shortage', workOrder: 'A', item: 'R1', missingQuantity: 10 }));
    expect(orderOf(result, 'B').status).toBe('scheduled');
  });

  it('does not use a lot that expires before the operation can start', () => {
    const result = run(plant({
      workOrders: [needsR1('A', 10, { release: at(3 * HOUR) })],
      lots: [{ id: 'OLD', item: 'R1', quantity: 10, status: 'available', expiresAt: at(2 * HOUR) }],
      receipts: [{ id: 'PO-2', item: 'R1', quantity: 10, expectedAt: at(5 * HOUR) }],
    }));
    expect(slot(result, 'A')).toEqual([at(5 * HOUR), at(6 * HOUR)]);
  });
});

describe('holds and shop-floor state', () => {
  it('keeps a held work order unscheduled with the hold as its reason', () => {
    const result = run(plant({
      workOrders: [order('A', [{}]), order('B', [{}])],
      holds: [{ id: 'QH-3', target: { kind: 'work_order', id: 'A' }, reason: 'first article' }],
    }));
    expect(orderOf(result, 'A')).toMatchObject({ status: 'unscheduled', plannedStart: null, reasons: [{ kind: 'hold', hold: 'QH-3' }] });
    expect(result.problems).toContainEqual({ type: 'hold', workOrder: 'A', hold: 'QH-3', reason: 'first article' });
    expect(slot(result, 'B')).toEqual([at(0), at(HOUR)]);
  });

  it('keeps a started operation on its unit and runs the remaining quantity from now', () => {
    const result = run(plant({
      workCenters: [{ id: 'M', units: 2, calendar: 'always' }],
      workOrders: [order('A', [{
        modes: [{ workCenter: 'M', setupMinutes: 45, runMinutesPerUnit: 10 }], status: 'started',
        progress: { workCenter: 'M', unit: 2, startedAt: at(-HOUR), quantityDone: 4 },
      }], { quantity: 10, status: 'started' })],
    }));
    const op = opOf(result, 'A');
    expect(op).toMatchObject({ workCenter: 'M', unit: 2, fixedBy: 'started', workMinutes: 60, quantity: 6 });
    expect(slot(result, 'A')).toEqual([at(-HOUR), at(HOUR)]);
  });

  it('leaves an order unscheduled when its started operation has no room on its unit before the horizon, rather than move it to another work center', () => {
    const result = run(plant({
      plant: { id: 'P', timeZone: 'UTC', horizonDays: 1 },
      workCenters: [{ id: 'M', units: 1, calendar: 'always' }, { id: 'N', units: 1, calendar: 'always' }],
      workOrders: [order('A', [{
        modes: [{ workCenter: 'M', runMinutesPerUnit: 600 }, { workCenter: 'N', runMinutesPerUnit: 1 }], status: 'started',
        progress: { workCenter: 'M', unit: 1, startedAt: at(-HOUR), quantityDone: 4 },
      }], { quantity: 10, status: 'started' })],
    }));
    expect(result.operations.filter((op) => op.workOrder === 'A')).toEqual([]);
    expect(orderOf(result, 'A')).toMatchObject({ status: 'unscheduled' });
    expect(result.problems).toContainEqual({ type: 'beyond-horizon', workOrder: 'A', operation: '10', workCenter: 'M' });
  });

  it('keeps an operation inside the frozen window in its previous slot', () => {
    const problem = plant({
      plant: { id: 'P', timeZone: 'UTC', horizonDays: 30, frozenWindowMinutes: 4 * HOUR },
      workCenters: [{ id: 'M', units: 2, calendar: 'always' }],
      workOrders: [order('A', [{}])],
      previous: [{ workOrder: 'A', operation: '10', workCenter: 'M', unit: 2, start: at(2 * HOUR), end: at(3 * HOUR) }],
    });
    expect(opOf(run(problem), 'A')).toMatchObject({ unit: 2, fixedBy: 'frozen', start: at(2 * HOUR) });
    // Outside the window the same slot is free to move: the order starts now.
    const free = run({ ...problem, plant: { ...problem.plant, frozenWindowMinutes: HOUR } });
    expect(opOf(free, 'A')).toMatchObject({ fixedBy: 'planned', start: at(0) });
  });

  it('puts a pinned operation on its machine and time', () => {
    const result = run(plant({
      workCenters: [{ id: 'M', units: 2, calendar: 'always' }],
      workOrders: [order('A', [{ pin: { workCenter: 'M', unit: 2, start: at(3 * HOUR) } }])],
    }));
    expect(opOf(result, 'A')).toMatchObject({ unit: 2, fixedBy: 'pinned', start: at(3 * HOUR), end: at(4 * HOUR) });
  });

  it('releases a pin that starts before its predecessor can end: scheduled after it, and said so', () => {
    const result = run(plant({
      workOrders: [order('A', [{}, { pin: { workCenter: 'M', start: at(30) } }])],
    }));
    const first = opOf(result, 'A', '10');
    expect(opOf(result, 'A', '20')).toMatchObject({ fixedBy: 'planned', start: first.end });
    expect(result.problems).toContainEqual({
      type: 'pin-conflict', workOrder: 'A', operation: '20',
      message: `pinned to start ${at(30)}, before operation 10 can be done (${first.end}); scheduled after it instead`,
    });
    expect(result.problems.some((p) => p.type === 'precedence-violated-by-fixed')).toBe(false);
  });

  it('keeps two pins of one order in routing order, releasing the one that would run first out of turn', () => {
    const result = run(plant({
      workOrders: [order('A', [{ pin: { workCenter: 'M', start: at(5 * HOUR) } }, { pin: { workCenter: 'M', start: at(HOUR) } }])],
    }));
    expect(opOf(result, 'A', '10')).toMatchObject({ fixedBy: 'pinned', start: at(5 * HOUR) });
    expect(opOf(result, 'A', '20')).toMatchObject({ fixedBy: 'planned', start: at(6 * HOUR) });
    expect(result.problems).toContainEqual(expect.objectContaining({ type: 'pin-conflict', workOrder: 'A', operation: '20' }));
  });

  it('keeps a pin in the past at now and says so', () => {
    const result = run(plant({ workOrders: [order('A', [{ pin: { workCenter: 'M', start: at(-2 * HOUR) } }])] }));
    expect(opOf(result, 'A')).toMatchObject({ fixedBy: 'pinned', start: at(0) });
    expect(result.problems).toContainEqual({ type: 'pin-conflict', workOrder: 'A', operation: '10', message: `pinned to start ${at(-2 * HOUR)}, before now; kept at now` });
  });
});

describe('bad data', () => {
  it('reports an unknown work center with its path and still schedules the other orders', () => {
    const result = run(plant({ workOrders: [order('A', [{}]), order('B', [{ modes: [{ workCenter: 'NOPE', runMinutesPerUnit: 1 }] }])] }));
    expect(result.problems).toContainEqual({ type: 'unknown-reference', path: 'workOrders[1].operations[0].modes[0].workCenter', kind: 'work center', key: 'NOPE' });
    expect(orderOf(result, 'B').status).toBe('unscheduled');
    expect(orderOf(result, 'A').status).toBe('scheduled');
    expect(result.status).toBe('partial');
  });

  it('answers an invalid time zone with status invalid', () => {
    const result = run(plant({ plant: { id: 'P', timeZone: 'Mars/Olympus_Mons' }, workOrders: [order('A', [{}])] }));
    expect(result.status).toBe('invalid');
    expect(result.problems).toContainEqual(expect.objectContaining({ type: 'invalid-data', path: 'plant.timeZone' }));
  });
});

describe('examples', () => {
  const load = (file: string): PlantProblem => JSON.parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8')) as PlantProblem;

  it.each(['machining-job-shop.json', 'gearbox-assembly.json'])('%s: every order placed in full or reported', (file) => {
    const problem = load(file);
    const result = solve(problem, { now: problem.now!, timeLimitMs: 0 });
    expect(result.status).not.toBe('invalid');
    expect(result.problems.filter((p) => p.type === 'invalid-data' || p.type === 'unknown-reference')).toEqual([]);
    for (const o of result.orders) {
      const spec = problem.workOrders.find((w) => w.id === o.workOrder)!;
      const open = spec.operations.filter((op) => op.status !== 'completed');
      const placed = result.operations.filter((op) => op.workOrder === o.workOrder);
      if (o.status === 'scheduled') expect(placed.map((p) => p.operation).sort()).toEqual(open.map((op) => op.id).sort());
      if (o.status === 'unscheduled') {
        expect(o.reasons.length).toBeGreaterThan(0);
        expect(result.problems.some((p) => 'workOrder' in p && p.workOrder === o.workOrder && (p.type === 'shortage' || p.type === 'hold'))).toBe(true);
      }
    }
    expect(result.kpis.scheduledOrders).toBe(result.orders.filter((o) => o.status === 'scheduled').length);
    expect(result.kpis.makespanMinutes).toBeGreaterThan(0);
    for (const u of result.kpis.utilisation) expect(u.utilisation).toBeGreaterThanOrEqual(0);
    for (const u of result.kpis.utilisation) expect(u.utilisation).toBeLessThanOrEqual(1);
  });

  it('gearbox-assembly: the sub-assemblies feed the finals, the held lot leaves one final short', () => {
    const problem = load('gearbox-assembly.json');
    const result = solve(problem, { now: problem.now!, timeLimitMs: 0 });
    expect(result.status).toBe('partial');
    const shortages = result.problems.filter((p) => p.type === 'shortage');
    expect(shortages.length).toBeGreaterThan(0);
    for (const s of shortages) expect(orderOf(result, s.workOrder).status).toBe('unscheduled');
    // A final assembly that consumes a sub-assembly's item starts after that sub-assembly ends.
    for (const final of problem.workOrders) {
      const answer = orderOf(result, final.id);
      if (answer.status !== 'scheduled') continue;
      for (const req of final.materials ?? []) {
        for (const sub of problem.workOrders.filter((w) => w.item === req.item)) {
          const subAnswer = orderOf(result, sub.id);
          const consumer = opOf(result, final.id, req.operation ?? final.operations[0]!.id);
          if (subAnswer.status === 'scheduled' && consumer.materialReadyAt === subAnswer.plannedEnd) {
            expect(Date.parse(consumer.start)).toBeGreaterThanOrEqual(Date.parse(subAnswer.plannedEnd!));
          }
        }
      }
    }
  });

  it('machining-job-shop: plate demand exceeds supply by 35, so only the lowest-priority plate order is short', () => {
    const problem = load('machining-job-shop.json');
    const result = solve(problem, { now: problem.now!, timeLimitMs: 0 });
    expect(result.orders.filter((o) => o.status === 'unscheduled').map((o) => o.workOrder)).toEqual(['WO-1015']);
    expect(result.problems).toContainEqual(expect.objectContaining({ type: 'shortage', workOrder: 'WO-1015', item: 'PLATE-S355', missingQuantity: 75 }));
    expect(result.status).toBe('partial');
  });
});
