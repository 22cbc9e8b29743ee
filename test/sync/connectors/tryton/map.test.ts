/**
 * The Tryton mapping on hand-built records: candidate work centers as Tryton's picker would
 * choose them (the operation's category within the production's work center tree), quantities
 * in the product's unit, the due date kept once takt writes its own planned date, works that
 * are running staying where they run (and reported as progress), and a production without a
 * routing as one operation named after its product.
 */
import { describe, expect, it } from 'vitest';
import { endOfLocalDay } from '../../../../sync/connectors/tryton/dates.ts';
import { candidateCenters, mapProduction, productionStamp, type MapContext, type TrytonProduction } from '../../../../sync/connectors/tryton/map.ts';
import type { ReferenceData } from '../../../../sync/connectors/tryton/session.ts';
import type { ErpLink } from '../../../../sync/connectors/connector.ts';

const ZONE = 'Europe/Berlin';
const center = (id: number, name: string, parent: number | null, category: number | null, active = true) =>
  [id, { id, name, parent, category, active, warehouse: 1 }] as const;

const reference: ReferenceData = {
  uoms: new Map([
    [1, { id: 1, symbol: 'u', factor: 1, category: 1 }],
    [2, { id: 2, symbol: 'kg', factor: 1, category: 2 }],
    [3, { id: 3, symbol: 'g', factor: 0.001, category: 2 }],
    [4, { id: 4, symbol: 'dozen', factor: 12, category: 1 }],
  ]),
  workCenters: new Map([
    center(10, 'LINE-1', null, null), center(11, 'SAW-B', 10, 1), center(12, 'SAW-A', 10, 1), center(13, 'OLD-SAW', 10, 1, false),
    center(14, 'CELL-2', 10, null), center(15, 'SAW-C', 14, 1), center(20, 'LINE-2', null, null), center(21, 'SAW-Z', 20, 1),
    center(16, 'LATHE', 10, 2),
  ]),
  categories: new Map([[1, 'Saws'], [2, 'Lathes']]),
  operations: new Map([[100, { id: 100, name: 'Cutting', category: 1 }], [101, { id: 101, name: 'Turning', category: 2 }], [102, { id: 102, name: 'Inspect', category: null }]]),
  routings: new Map([[7, [
    { id: 2, sequence: 20, operation: 101, routing: 7 },
    { id: 1, sequence: 10, operation: 100, routing: 7 },
    { id: 3, sequence: 30, operation: 102, routing: 7 },
  ]]]),
  digest: 'r1',
};

const ctx: MapContext = {
  reference, timeZone: ZONE, defaultDueDays: 14, progress: true,
  products: new Map([
    [1, { id: 1, code: 'FRAME', name: 'Frame', uom: 1, uomSymbol: 'u' }],
    [2, { id: 2, code: 'STEEL', name: 'Steel', uom: 2, uomSymbol: 'kg' }],
    [3, { id: 3, code: null, name: 'Unnamed', uom: 1, uomSymbol: 'u' }],
  ]),
};

const production = (extra: Partial<TrytonProduction> = {}): TrytonProduction => ({
  id: 5, number: 'MO5', product: 1, quantity: 2, uom: 4, state: 'draft', plannedDate: '2026-12-10', plannedStartDate: '2026-12-08',
  routing: 7, workCenter: 10, works: [], inputs: [
    { id: 50, product: 2, quantity: 1.5, uom: 3, state: 'draft', plannedDate: null, stamp: '1' },
    { id: 51, product: 2, quantity: 0.5, uom: 2, state: 'draft', plannedDate: null, stamp: '1' },
    { id: 52, product: 3, quantity: 9, uom: 1, state: 'done', plannedDate: null, stamp: '1' },
  ],
  stamp: '1796170000', createdAt: '2026-12-01T08:00:00.000000Z', changedAt: '2026-12-01T09:00:00.000000Z', ...extra,
});

const link = (held: unknown, memo: unknown, pending: unknown = null): ErpLink => ({ kind: 'work_order', key: 'MO5', ref: null, stamp: null, held, pending, memo });

describe('Tryton mapping', () => {
  it('picks candidates like Tryton: the category under the production\'s work center, active ones, by name', () => {
    expect(candidateCenters(reference, 10, 1).map((c) => c.name)).toEqual(['SAW-A', 'SAW-B', 'SAW-C']);
    expect(candidateCenters(reference, 14, 1).map((c) => c.name)).toEqual(['SAW-C']);
    expect(candidateCenters(reference, null, 1).map((c) => c.name)).toEqual(['SAW-A', 'SAW-B', 'SAW-C', 'SAW-Z']);
    // An operation without a category runs on the production's own work center.
    expect(candidateCenters(reference, 10, null).map((c) => c.name)).toEqual(['LINE-1']);
  });

  it('maps a draft production through its routing, in the product\'s unit, with the planned date as due date', () => {
    const [order] = mapProduction(production(), undefined, ctx);
    expect(order).toMatchObject({
      type: 'work_order.upserted',
      data: {
        id: 'MO5', item: 'FRAME', quantity: 24, status: 'planned', due: endOfLocalDay('2026-12-10', ZONE),
        operations: [
          { id: '10', name: 'Cutting', standard: { operation: 'Cutting', category: 'Saws', workCenters: ['SAW-A', 'SAW-B', 'SAW-C'] } },
          { id: '20', name: 'Turning', standard: { operation: 'Turning', category: 'Lathes', workCenters: ['LATHE'] } },
          { id: '30', name: 'Inspect', standard: { operation: 'Inspect', workCenters: ['LINE-1'] } },
        ],
        materials: [{ item: 'STEEL', quantity: 2, operation: '10' }],
      },
      ref: { production: 5, works: {} },
      held: { start: '2026-12-08', end: '2026-12-10', workCenters: {} },
      memo: { due: endOfLocalDay('2026-12-10', ZONE), state: 'draft', timeZone: ZONE },
    });
    expect(order?.data.due).toBe('2026-12-10T23:00:00.000Z');
  });

  it('keeps the due date while Tryton holds takt\'s own planned date, and takes a date someone else set', () => {
    const due = endOfLocalDay('2026-12-10', ZONE);
    const memo = { due, state: 'draft', timeZone: ZONE };
    // takt wrote 12-14 (held), or is writing it (pending): still due on the 10th.
    expect(mapProduction(production({ plannedDate: '2026-12-14' }), link({ end: '2026-12-14' }, memo), ctx)[0]?.data.due).toBe(due);
    expect(mapProduction(production({ plannedDate: '2026-12-14' }), link({ end: '2026-12-11' }, memo, { end: '2026-12-14' }), ctx)[0]?.data.due).toBe(due);
    // A planner in Tryton moved it to the 20th: the new due date.
    expect(mapProduction(production({ plannedDate: '2026-12-20' }), link({ end: '2026-12-14' }, memo), ctx)[0]?.data.due).toBe(endOfLocalDay('2026-12-20', ZONE));
    // No planned date at all: two weeks after Tryton created it.
    expect(mapProduction(production({ plannedDate: null }), undefined, ctx)[0]?.data.due).toBe('2026-12-15T08:00:00.000Z');
  });

  it('keeps a running work on its work center and reports it started, a finished one completed', () => {
    const works = [
      { id: 61, sequence: 10, operation: 100, workCenter: 11, state: 'finished', stamp: '2', changedAt: '2026-12-02T07:00:00.000000Z' },
      { id: 62, sequence: 20, operation: 101, workCenter: 16, state: 'running', stamp: '3', changedAt: '2026-12-02T08:00:00.000000Z' },
      { id: 63, sequence: 30, operation: 102, workCenter: 10, state: 'draft', stamp: '4', changedAt: null },
    ];
    const records = mapProduction(production({ state: 'running', works }), undefined, ctx);
    const order = records[0]!;
    expect(order.data.status).toBe('started');
    expect((order.data.operations as { standard: { workCenters: string[] } }[]).map((op) => op.standard.workCenters)).toEqual([['SAW-B'], ['LATHE'], ['LINE-1']]);
    expect(order.ref).toEqual({ production: 5, works: { 10: { id: 61, movable: false }, 20: { id: 62, movable: false }, 30: { id: 63, movable: true } } });
    expect(order.held).toEqual({ start: '2026-12-08', end: '2026-12-10', workCenters: { 30: 'LINE-1' } });
    expect(records.slice(1)).toEqual([
      { type: 'operation.completed', source: 'mes', data: { workOrder: 'MO5', operation: '10', workCenter: 'SAW-B', quantityGood: 24, completedAt: '2026-12-02T07:00:00.000000Z' }, changedAt: Date.parse('2026-12-02T07:00:00.000Z') },
      { type: 'operation.started', source: 'mes', data: { workOrder: 'MO5', operation: '20', workCenter: 'LATHE', startedAt: '2026-12-02T08:00:00.000000Z' }, changedAt: Date.parse('2026-12-02T08:00:00.000Z') },
    ]);
    // The stamp covers the production, its works and its inputs.
    expect(productionStamp(production({ works }))).toBe('1796170000|61@2,62@3,63@4|50@1,51@1,52@1');
  });

  it('makes a production without a routing one operation named after its product, and a cancelled one cancelled', () => {
    const [order] = mapProduction(production({ routing: null, product: 3, uom: 1 }), undefined, ctx);
    expect(order?.data).toMatchObject({ item: 'product-3', quantity: 2, operations: [{ id: '10', name: 'product-3', standard: { operation: 'product-3', workCenters: ['LINE-1'] } }] });
    expect(mapProduction(production({ state: 'cancelled' }), undefined, ctx)).toHaveLength(1);
    expect(mapProduction(production({ state: 'cancelled' }), undefined, ctx)[0]?.data.status).toBe('cancelled');
  });
});
