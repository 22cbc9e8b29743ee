import { describe, expect, it } from 'vitest';
import type { ErpLink, LinkIndex } from '../../../../sync/connectors/connector.ts';
import { resolveConfig } from '../../../../sync/connectors/sap/config.ts';
import { mapOrder } from '../../../../sync/connectors/sap/map-orders.ts';
import { mapReceipts } from '../../../../sync/connectors/sap/map-receipts.ts';
import { expiries, mapStock } from '../../../../sync/connectors/sap/map-stock.ts';
import { mapWorkCenters } from '../../../../sync/connectors/sap/map-work-centers.ts';
import type { Entity } from '../../../../sync/connectors/sap/odata-values.ts';
import { orderState, writeBlocker } from '../../../../sync/connectors/sap/order-status.ts';
import { unitsOfProduct, type UnitTable } from '../../../../sync/connectors/sap/units.ts';
import { fixture } from './sap-stub.ts';

const config = resolveConfig({ name: 'sap-1710', plant: 'P1', productionPlant: '1710', timeZone: 'Europe/Berlin' });
const NOW = Date.parse('2026-11-22T08:30:00Z');
const collection = (name: string): Entity[] => (fixture(name) as { d: { results: Entity[] } }).d.results;
const orders = [...collection('orders-delta-page-1.json'), ...collection('orders-delta-page-2.json'), ...collection('orders-delta-page-3.json')];
const order = (id: string): Entity => orders.find((o) => o.ManufacturingOrder === id)!;
const noUnits: UnitTable = new Map();
const units: UnitTable = new Map(collection('products.json').map((p) => [p.Product as string, unitsOfProduct(p)]));

function links(entries: readonly ErpLink[] = []): LinkIndex {
  return {
    get: (kind, key) => entries.find((l) => l.kind === kind && l.key === key),
    keys: (kind) => entries.filter((l) => l.kind === kind).map((l) => l.key),
    refresh: () => [],
  };
}

describe('production orders → work orders', () => {
  it('maps a released order: durations in MIN, H and S to minutes per unit, components still to withdraw, the due date at the end of the basic end day', () => {
    const { records, materials } = mapOrder(order('1000100'), noUnits, undefined, config, NOW);
    expect(records).toEqual([{
      type: 'work_order.upserted',
      data: {
        id: '1000100', item: 'FG-100', quantity: 40,
        // Basic end 27 Nov without a time: the end of that day in Berlin.
        due: '2026-11-27T23:00:00Z',
        status: 'released',
        operations: [
          // 30 MIN setup; 2 H processing for 40 pieces.
          { id: '0010', name: 'Assembly', modes: [{ workCenter: 'ASSY1', setupMinutes: 30, runMinutesPerUnit: 3 }] },
          // 900 S setup + 0.25 H teardown; 4800 S processing for 40 pieces.
          { id: '0020', name: 'Painting', modes: [{ workCenter: 'PAINT1', setupMinutes: 30, runMinutesPerUnit: 2 }] },
        ],
        // 80 KG required, 20 withdrawn; the phantom SUB-900 is not planned.
        materials: [{ item: 'RM-100', quantity: 60, operation: '0010' }, { item: 'RM-200', quantity: 40, operation: '0020' }],
      },
      ref: {
        order: '1000100',
        operations: { '0010': { orderInternalId: '4711', operationInternalId: '1' }, '0020': { orderInternalId: '4711', operationInternalId: '2' } },
      },
      stamp: '20261120081500',
      held: {
        start: '2026-11-23T06:00:00', end: '2026-11-24T10:30:00', importance: '2',
        operations: {
          '0010': { start: '2026-11-23T06:00:00', end: '2026-11-23T08:30:00', workCenter: 'ASSY1' },
          '0020': { start: '2026-11-23T08:30:00', end: '2026-11-24T10:30:00', workCenter: 'PAINT1' },
        },
      },
      memo: { durations: 'durations' },
      changedAt: Date.UTC(2026, 10, 20, 8, 15, 0),
    }]);
    expect([...materials]).toEqual([['FG-100', null], ['RM-100', 'KG'], ['RM-200', 'PC']]);
  });

  it('converts the production unit to the base unit, leaves suboperations out and keeps parallel sequences apart', () => {
    const [record] = mapOrder(order('1000101'), units, undefined, config, NOW).records;
    expect(record?.data).toEqual({
      id: '1000101', item: 'FG-100',
      // 5 KAR × 12 PC.
      quantity: 60,
      due: '2026-11-30T13:00:00Z',
      status: 'planned',
      operations: [
        { id: '0010', name: 'Assembly', modes: [{ workCenter: 'ASSY1', runMinutesPerUnit: 3 }] },
        { id: '1/0010', name: 'Inspection', modes: [{ workCenter: 'QC1', runMinutesPerUnit: 1 }] },
      ],
    });
    expect(record?.ref).toEqual({
      order: '1000101',
      operations: { '0010': { orderInternalId: '4712', operationInternalId: '1' }, '1/0010': { orderInternalId: '4712', operationInternalId: '3' } },
    });
  });

  it('maps a technically completed order and reports its final confirmations as MES completions', () => {
    const { records } = mapOrder(order('1000102'), noUnits, undefined, config, NOW);
    expect(records.map((r) => [r.type, r.source ?? 'erp'])).toEqual([['work_order.upserted', 'erp'], ['operation.completed', 'mes']]);
    expect(records[0]?.data).toMatchObject({ id: '1000102', status: 'completed', due: '2026-11-20T21:00:00Z', quantity: 25 });
    // A confirmed operation is done: SAP will not reschedule it, so it is not part of what SAP holds for takt.
    expect(records[0]?.held).toEqual({ start: '2026-11-20T06:00:00', end: '2026-11-20T10:15:00', importance: '3', operations: {} });
    expect(records[1]).toEqual({
      type: 'operation.completed', source: 'mes',
      data: { workOrder: '1000102', operation: '0010', workCenter: 'ASSY1', quantityGood: 25, completedAt: '2026-11-21T09:15:00Z' },
      changedAt: Date.UTC(2026, 10, 21, 12, 0, 0),
    });
    expect(mapOrder(order('1000102'), noUnits, undefined, { ...config, readConfirmations: false }, NOW).records).toHaveLength(1);
  });

  it('cancels an order marked for deletion', () => {
    expect(mapOrder(order('1000103'), noUnits, undefined, config, NOW).records).toEqual([{
      type: 'work_order.cancelled',
      data: { id: '1000103', reason: 'marked for deletion in SAP' },
      ref: { order: '1000103', operations: {} },
      stamp: '20261122080000',
      held: { start: null, end: null, importance: '', operations: {} },
      changedAt: Date.UTC(2026, 10, 22, 8, 0, 0),
    }]);
  });

  it('derives the status from "X" flags, with deletion and closing first', () => {
    const base = { OrderIsCreated: 'X', OrderIsReleased: '', OrderIsPartiallyConfirmed: '', OrderIsConfirmed: '', OrderIsTechnicallyCompleted: '', OrderIsClosed: '', OrderIsDeleted: '', OrderIsMarkedForDeletion: '' };
    expect(orderState(base)).toEqual({ kind: 'active', status: 'planned' });
    expect(orderState({ ...base, OrderIsReleased: 'X' })).toEqual({ kind: 'active', status: 'released' });
    expect(orderState({ ...base, OrderIsReleased: 'X', OrderIsPartiallyConfirmed: 'X' })).toEqual({ kind: 'active', status: 'started' });
    expect(orderState({ ...base, OrderIsReleased: 'X', OrderIsConfirmed: 'X' })).toEqual({ kind: 'active', status: 'started' });
    expect(orderState({ ...base, OrderIsConfirmed: 'X', OrderIsTechnicallyCompleted: 'X' })).toEqual({ kind: 'active', status: 'completed' });
    expect(orderState({ ...base, OrderIsTechnicallyCompleted: 'X', OrderIsClosed: 'X' })).toEqual({ kind: 'active', status: 'closed' });
    expect(orderState({ ...base, OrderIsClosed: 'X', OrderIsDeleted: 'X' })).toEqual({ kind: 'cancelled', reason: 'deleted in SAP' });
    // "" is not set: a string flag must never be taken for truthy by its mere presence.
    expect(writeBlocker(base)).toBeNull();
    expect(writeBlocker({ ...base, OrderIsLocked: 'X' })).toBe('OrderIsLocked');
  });

  it('keeps the due date SAP set while takt writes the basic dates itself', () => {
    const basic = { ...config, orderDates: 'basic' as const };
    const first = mapOrder(order('1000100'), noUnits, undefined, basic, NOW).records[0]!;
    expect(first.memo).toEqual({ due: '2026-11-27T23:00:00Z', durations: 'durations' });
    // takt then wrote 1 Dec 12:00 as the basic end; SAP now shows that end.
    const echoed = { ...order('1000100'), MfgOrderPlannedEndDate: '/Date(1796083200000)/', MfgOrderPlannedEndTime: 'PT12H00M00S' };
    const link: ErpLink = {
      kind: 'work_order', key: '1000100', ref: first.ref, stamp: '20261120081500', pending: null,
      held: { start: '2026-11-23T06:00:00', end: '2026-12-01T12:00:00', importance: '2', operations: {} }, memo: first.memo,
    };
    expect(mapOrder(echoed, noUnits, link, basic, NOW).records[0]?.data.due).toBe('2026-11-27T23:00:00Z');
    // A planner in SAP moves the basic end elsewhere: that is a new due date.
    const moved = { ...echoed, MfgOrderPlannedEndDate: '/Date(1796342400000)/' };
    expect(mapOrder(moved, noUnits, link, basic, NOW).records[0]?.data.due).toBe('2026-12-04T11:00:00Z');
  });

  it('reads importance as priority only when configured to', () => {
    expect(mapOrder(order('1000101'), units, undefined, config, NOW).records[0]?.data).not.toHaveProperty('priority');
    const mapped = mapOrder(order('1000101'), units, undefined, { ...config, priorityByImportance: { '1': 4, '2': 3 } }, NOW);
    expect(mapped.records[0]?.data.priority).toBe(4);
  });

  it('falls back to the scheduled window when a release has no duration fields', () => {
    const legacy = order('1000100');
    const ops = (legacy.to_ProductionOrderOperation as { results: Entity[] }).results.map((op) => {
      const { OpPlannedSetupDurn, OpPlannedSetupDurnUnit, OpPlannedProcessingDurn, OpPlannedProcessingDurnUnit, OpPlannedTeardownDurn, OpPlannedTeardownDurnUnit, ...rest } = op;
      return rest;
    });
    const record = mapOrder({ ...legacy, to_ProductionOrderOperation: { results: ops } }, noUnits, undefined, config, NOW).records[0]!;
    // 06:00–08:30 for 40 pieces; 23 Nov 08:30 – 24 Nov 10:30 (26 h) for 40 pieces.
    expect((record.data.operations as { modes: unknown[] }[]).map((op) => op.modes)).toEqual([
      [{ workCenter: 'ASSY1', runMinutesPerUnit: 150 / 40 }],
      [{ workCenter: 'PAINT1', runMinutesPerUnit: 1560 / 40 }],
    ]);
    expect(record.memo).toEqual({ durations: 'window' });
  });
});

describe('work centers → calendars and work centers', () => {
  it('takes units and shifts from the interval valid today, standard times otherwise, the default calendar last', () => {
    const records = mapWorkCenters(collection('work-centers.json'), '2026-11-22', NOW, config);
    expect(records).toEqual([
      {
        type: 'calendar.upserted',
        data: {
          id: 'sap-capacity-10000201',
          shifts: [
            { days: ['mon', 'tue', 'fri'], start: '06:00', end: '14:00' },
            { days: ['mon', 'tue'], start: '14:00', end: '22:00' },
            { days: ['sat'], start: '22:00', end: '06:00' },
          ],
        },
        ref: { capacityInternalId: '10000201' }, stamp: null, changedAt: 1795046400000,
      },
      {
        type: 'calendar.upserted',
        data: { id: 'sap-capacity-10000202', shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '22:00' }] },
        ref: { capacityInternalId: '10000202' }, stamp: null, changedAt: 1795046400000,
      },
      {
        type: 'work_center.upserted',
        data: { id: 'ASSY1', name: 'Assembly line 1', units: 2, calendar: 'sap-capacity-10000201' },
        ref: { workCenterInternalId: '10000128', workCenterTypeCode: 'A' }, stamp: '/Date(1794787200000+0000)/', changedAt: 1795046400000,
      },
      {
        type: 'work_center.upserted',
        data: { id: 'PAINT1', name: 'Paint shop', units: 3, calendar: 'sap-capacity-10000202' },
        ref: { workCenterInternalId: '10000134', workCenterTypeCode: 'A' }, stamp: '/Date(1795046400000+0000)/', changedAt: 1795046400000,
      },
      {
        type: 'work_center.upserted',
        data: { id: 'QC1', units: 1, calendar: 'P1-default' },
        ref: { workCenterInternalId: '10000140', workCenterTypeCode: 'A' }, stamp: '/Date(1794700800000+0000)/', changedAt: 1794700800000,
      },
    ]);
  });

  it('uses the shifts of last year on a day last year', () => {
    const records = mapWorkCenters(collection('work-centers.json'), '2025-06-02', NOW, config);
    expect(records[0]?.data).toEqual({ id: 'sap-capacity-10000201', shifts: [{ days: ['mon'], start: '07:00', end: '15:00' }] });
    expect(records.find((r) => r.data.id === 'ASSY1')?.data.units).toBe(1);
  });
});

describe('stock and batches → lots', () => {
  it('sums storage locations per batch and stock type, maps stock types to status, expires at the start of the shelf-life date, and empties lots that are gone', () => {
    const stock = [...collection('stock-page-1.json'), ...collection('stock-page-2.json')];
    const expiry = expiries(collection('batches.json'), '1710');
    const gone: ErpLink = { kind: 'lot', key: 'RM-500/B9', ref: { material: 'RM-500', batch: 'B9', status: 'available' }, stamp: null, held: null, pending: null, memo: null };
    const { records, materials } = mapStock(stock, expiry, links([gone]), true, NOW, config);
    expect(records.map((r) => ({ source: r.source, data: r.data }))).toEqual([
      { source: 'wms', data: { id: 'RM-100/B1', item: 'RM-100', quantity: 150, status: 'available', expiresAt: '2027-03-30T22:00:00Z' } },
      { source: 'wms', data: { id: 'RM-100/B1/held', item: 'RM-100', quantity: 20, status: 'held', expiresAt: '2027-03-30T22:00:00Z' } },
      { source: 'wms', data: { id: 'RM-100/B2/blocked', item: 'RM-100', quantity: 5, status: 'blocked' } },
      // Stock in transfer (04) is not usable here yet.
      { source: 'wms', data: { id: 'RM-200', item: 'RM-200', quantity: 500, status: 'available' } },
      { source: 'wms', data: { id: 'RM-500/B9', item: 'RM-500', quantity: 0, status: 'available' } },
    ]);
    expect(records.every((r) => r.changedAt === NOW)).toBe(true);
    expect([...materials]).toEqual([['RM-100', 'KG'], ['RM-200', 'PC']]);
    // An incomplete snapshot says nothing about what is gone.
    expect(mapStock(stock, expiry, links([gone]), false, NOW, config).records.map((r) => r.data.id)).not.toContain('RM-500/B9');
  });
});

describe('purchase order schedule lines → receipts', () => {
  it('expects the open quantity at the plant-local delivery date and time, and cancels what is received or gone', () => {
    const linked: ErpLink[] = ['4500000123/10/2', '4500000999/10/1'].map((key) => ({ kind: 'receipt', key, ref: null, stamp: null, held: null, pending: null, memo: null }));
    const { records } = mapReceipts(collection('purchase-items.json'), noUnits, links(linked), true, NOW, config);
    expect(records.map((r) => [r.type, r.data])).toEqual([
      ['receipt.upserted', { id: '4500000123/10/1', item: 'RM-300', quantity: 40, expectedAt: '2026-11-25T09:00:00Z' }],
      ['receipt.cancelled', { id: '4500000123/10/2', reason: 'received in full' }],
      ['receipt.upserted', { id: '4500000124/10/1', item: 'RM-200', quantity: 200, expectedAt: '2026-11-29T23:00:00Z' }],
      ['receipt.cancelled', { id: '4500000999/10/1', reason: 'no longer open in SAP' }],
    ]);
  });
});
