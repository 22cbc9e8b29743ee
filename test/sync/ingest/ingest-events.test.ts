import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { ingestEvents } from '../../../sync/ingest/ingest-events.ts';
import { eventSources, isEventType } from '../../../sync/ingest/schemas.ts';
import type { EventEnvelope, EventOutcome, Principal } from '../../../sync/ports.ts';
import type { Database } from '../../../sync/store/database.ts';
import { countInbox } from '../../../sync/store/inbox.ts';
import { getPlantState } from '../../../sync/store/plant-state.ts';
import { getReceipt } from '../../../sync/store/receipts.ts';
import { listWorkOrders } from '../../../sync/store/work-orders.ts';
import { loadPlantProblem } from '../../../sync/plant-problem.ts';
import { solve } from '../../../scheduler/solve.ts';
import { backends } from '../support/backends.ts';
import { event, everySource, smallPlant } from '../support/events.ts';

const order = (id: string, quantity: number, workCenter = 'CNC') => ({
  id, item: 'PUMP', quantity, due: '2026-11-30T16:00:00Z',
  operations: [{ id: '10', modes: [{ workCenter, runMinutesPerUnit: 5 }] }],
});

describe.each(backends.map((make) => [make().name, make] as const))('ingestEvents on %s', (_name, make) => {
  const backend = make();
  let db: Kysely<Database>;
  let plantSeq = 0;

  beforeAll(async () => { db = await backend.open(); });
  afterAll(async () => { await backend.close(); });

  const ingest = async (events: readonly unknown[], principal: Principal = everySource) => ingestEvents(db, events, principal);
  const statuses = (outcomes: readonly EventOutcome[]) => outcomes.map((o) => o.status);

  /** A fresh plant loaded with the small plant's master data and order WO1. */
  async function freshPlant(): Promise<string> {
    plantSeq += 1;
    const plant = `P${plantSeq}`;
    const report = await ingest(smallPlant(plant));
    expect(statuses(report.outcomes).every((s) => s === 'accepted')).toBe(true);
    return plant;
  }

  it('accepts a plant built from events and marks it dirty', async () => {
    const plant = await freshPlant();
    const orders = await listWorkOrders(db, plant);
    expect(orders.map((o) => [o.id, o.quantity, o.operations.map((op) => op.id)])).toEqual([['WO1', 10, ['10', '20']]]);
    const state = await getPlantState(db, plant);
    expect(state?.dirty).toBe(true);
    expect(state?.dirtySince).not.toBeNull();
  });

  it('answers a repeated (source, id) as duplicate with no second effect', async () => {
    const plant = await freshPlant();
    const first = event('receipt.upserted', { id: 'R1', item: 'STEEL', quantity: 100, expectedAt: '2026-11-25T08:00:00Z' }, { plant, id: 'erp-r1' });
    expect(statuses((await ingest([first])).outcomes)).toEqual(['accepted']);
    const before = await getPlantState(db, plant);
    const inboxBefore = await countInbox(db, plant);

    // The same event, its keys in another order, as a resending client might build it.
    const resent = Object.fromEntries(Object.entries(first).reverse());
    const report = await ingest([resent, resent]);
    expect(report.outcomes).toEqual([{ id: 'erp-r1', status: 'duplicate' }, { id: 'erp-r1', status: 'duplicate' }]);
    expect(report.dirtyPlants).toEqual([]);
    expect(await countInbox(db, plant)).toBe(inboxBefore);
    expect((await getPlantState(db, plant))?.generation).toBe(before?.generation);
  });

  it('refuses an event id used again with another payload, in a later batch or the same one, keeping the stored event', async () => {
    const plant = await freshPlant();
    const first = event('receipt.upserted', { id: 'R1', item: 'STEEL', quantity: 100, expectedAt: '2026-11-25T08:00:00Z' }, { plant, id: 'erp-reused-1' });
    const reused = { ...first, data: { ...first.data, quantity: 999 } };
    expect((await ingest([first])).outcomes).toEqual([{ id: 'erp-reused-1', status: 'accepted' }]);
    const later = await ingest([reused]);
    expect(later.outcomes).toEqual([{ id: 'erp-reused-1', status: 'rejected', code: 'id-conflict', field: 'id', reason: expect.stringContaining('another payload') }]);
    expect(later.dirtyPlants).toEqual([]);
    expect((await getReceipt(db, plant, 'R1'))?.quantity).toBe(100);

    const second = event('receipt.upserted', { id: 'R2', item: 'STEEL', quantity: 5, expectedAt: '2026-11-25T08:00:00Z' }, { plant, id: 'erp-reused-2' });
    const inOneBatch = await ingest([second, { ...second, data: { ...second.data, quantity: 6 } }, second]);
    expect(inOneBatch.outcomes.map((o) => (o.status === 'rejected' ? o.code : o.status))).toEqual(['accepted', 'id-conflict', 'duplicate']);
    expect((await getReceipt(db, plant, 'R2'))?.quantity).toBe(5);
  });

  it('answers an older version than the stored one as stale and keeps the newer state', async () => {
    const plant = await freshPlant();
    const newer = event('work_order.upserted', order('WO2', 10), { plant, version: 5 });
    const older = event('work_order.upserted', order('WO2', 99), { plant, version: 3 });
    const resent = event('work_order.upserted', order('WO2', 10), { plant, version: 5 });
    const report = await ingest([newer, older, resent]);
    expect(report.outcomes).toEqual([
      { id: newer.id, status: 'accepted' },
      { id: older.id, status: 'stale', storedVersion: 5 },
      { id: resent.id, status: 'accepted' },
    ]);
    const wo2 = (await listWorkOrders(db, plant)).find((o) => o.id === 'WO2');
    expect(wo2?.quantity).toBe(10);
    // A stale event re-sent is a duplicate: it is remembered.
    expect(statuses((await ingest([older])).outcomes)).toEqual(['duplicate']);
  });

  it('refuses a second version 5 of an object that says something else, in the same batch or later', async () => {
    const plant = await freshPlant();
    const five = event('work_order.upserted', order('WO3', 10), { plant, version: 5 });
    const otherFive = event('work_order.upserted', order('WO3', 12), { plant, version: 5 });
    const report = await ingest([five, otherFive]);
    expect(report.outcomes[1]).toEqual({ id: otherFive.id, status: 'rejected', code: 'version-conflict', field: 'version', reason: expect.stringContaining('version 5') });
    const later = await ingest([event('work_order.upserted', order('WO3', 14), { plant, version: 5 })]);
    expect(later.outcomes[0]).toMatchObject({ status: 'rejected', code: 'version-conflict' });
    expect((await listWorkOrders(db, plant)).find((o) => o.id === 'WO3')?.quantity).toBe(10);
    // A new version is the way to change it.
    expect(statuses((await ingest([event('work_order.upserted', order('WO3', 14), { plant, version: 6 })])).outcomes)).toEqual(['accepted']);
  });

  it('keeps versions per source: a WMS arrival does not compete with the ERP stamp', async () => {
    const plant = await freshPlant();
    const report = await ingest([
      event('receipt.upserted', { id: 'R7', item: 'BOLT', quantity: 500, expectedAt: '2026-11-24T08:00:00Z' }, { plant, version: 1000 }),
      event('receipt.arrived', { receipt: 'R7', lot: 'L7', quantity: 480 }, { plant, version: 1 }),
    ]);
    expect(statuses(report.outcomes)).toEqual(['accepted', 'accepted']);
    expect((await getReceipt(db, plant, 'R7'))?.status).toBe('arrived');
  });

  it('rejects bad data with a code and the path of the field', async () => {
    const plant = await freshPlant();
    const bad = (data: Record<string, unknown>, type = 'work_order.upserted') =>
      ({ ...event('item.upserted', { id: 'x' }, { plant }), type, data, source: isEventType(type) ? eventSources[type] : 'erp' });
    const wo = order('WO3', 10);
    const cases: [unknown, string, string][] = [
      [bad({ ...wo, operations: [{ id: '10', modes: [{ workCenter: 'CNC', runMinutesPerUnit: -1 }] }] }), 'invalid-data', 'data.operations[0].modes[0].runMinutesPerUnit'],
      [bad({ ...wo, operations: [{ id: '10', colour: 'red', modes: [{ workCenter: 'CNC', runMinutesPerUnit: 1 }] }] }), 'invalid-data', 'data.operations[0].colour'],
      [bad({ ...wo, due: '2026-11-30T16:00:00' }), 'invalid-data', 'data.due'],
      [bad({ ...wo, due: '2026-02-30T16:00:00Z' }), 'invalid-data', 'data.due'],
      [bad({ ...wo, quantity: Number.NaN }), 'invalid-data', 'data.quantity'],
      [bad({ ...wo, quantity: Number.POSITIVE_INFINITY }), 'invalid-data', 'data.quantity'],
      [bad({ ...wo, quantity: '10' }), 'invalid-data', 'data.quantity'],
      [bad({ ...wo, operations: [] }), 'invalid-data', 'data.operations'],
      [bad({ ...wo, operations: [wo.operations[0], wo.operations[0]] }), 'invalid-data', 'data.operations[1].id'],
      [bad({ ...wo, materials: [{ item: 'BOLT', quantity: 1, operation: '99' }] }), 'invalid-data', 'data.materials[0].operation'],
      [bad({ id: 'L1', item: 'BOLT', quantity: -5, status: 'available' }, 'lot.upserted'), 'invalid-data', 'data.quantity'],
      [bad({ id: plant, timeZone: 'Mars/Olympus' }, 'plant.upserted'), 'invalid-data', 'data.timeZone'],
      [bad({ id: 'OTHER', timeZone: 'UTC' }, 'plant.upserted'), 'plant-mismatch', 'data.id'],
      [bad({ id: 'c', shifts: [{ days: ['mon'], start: '25:00', end: '06:00' }] }, 'calendar.upserted'), 'invalid-data', 'data.shifts[0].start'],
      [bad({ id: 'D1', workCenter: 'CNC', start: '2026-11-22T10:00:00Z', expectedEnd: '2026-11-22T09:00:00Z' }, 'downtime.started'), 'invalid-data', 'data.expectedEnd'],
      [bad({ id: 'x' }, 'item.deleted'), 'unknown-type', 'type'],
      [{ ...bad({ id: 'x' }, 'item.upserted'), source: 'mes' }, 'wrong-source', 'source'],
      [{ ...bad({ id: 'x' }, 'item.upserted'), version: -1 }, 'invalid-envelope', 'version'],
      [{ ...bad({ id: 'x' }, 'item.upserted'), occurredAt: 'yesterday' }, 'invalid-envelope', 'occurredAt'],
      [{ ...bad({ id: 'x' }, 'item.upserted'), extra: true }, 'invalid-envelope', 'extra'],
    ];
    const report = await ingest(cases.map(([e]) => e));
    expect(report.outcomes.map((o) => (o.status === 'rejected' ? [o.code, o.field] : [o.status]))).toEqual(cases.map(([, code, field]) => [code, field]));
    expect(report.dirtyPlants).toEqual([]);
  });

  it('rejects events outside the key\'s scopes or plants', async () => {
    const plant = await freshPlant();
    const mesOnly: Principal = { keyId: 'k', name: 'mes', scopes: ['mes', 'planner'], plants: [plant] };
    const report = await ingest([
      event('item.upserted', { id: 'NEW' }, { plant }),
      event('downtime.started', { id: 'D1', workCenter: 'CNC', expectedEnd: '2026-11-22T12:00:00Z' }, { plant: 'ELSEWHERE' }),
      event('downtime.started', { id: 'D1', workCenter: 'CNC', expectedEnd: '2026-11-22T12:00:00Z' }, { plant }),
    ], mesOnly);
    expect(report.outcomes.map((o) => (o.status === 'rejected' ? o.code : o.status))).toEqual(['forbidden-source', 'forbidden-plant', 'accepted']);
  });

  it('rejects unknown references with the missing key and the field that names it', async () => {
    const plant = await freshPlant();
    const twoOps = {
      ...order('WO4', 3),
      operations: [
        { id: '10', modes: [{ workCenter: 'CNC', runMinutesPerUnit: 1 }] },
        { id: '20', modes: [{ workCenter: 'ASM', runMinutesPerUnit: 1 }, { workCenter: 'WC9', runMinutesPerUnit: 2 }] },
      ],
    };
    const report = await ingest([
      event('work_order.upserted', twoOps, { plant }),
      event('work_order.upserted', { ...order('WO5', 1), materials: [{ item: 'NICKEL', quantity: 1 }] }, { plant }),
      event('work_center.upserted', { id: 'PRESS', units: 1, calendar: 'nights' }, { plant }),
      event('hold.placed', { id: 'H1', target: { kind: 'lot', id: 'LOT-404' } }, { plant }),
      event('operation.started', { workOrder: 'WO1', operation: '30', workCenter: 'CNC' }, { plant }),
      event('operation.started', { workOrder: 'WO404', operation: '10', workCenter: 'CNC' }, { plant }),
      event('downtime.ended', { id: 'D404' }, { plant }),
      event('item.upserted', { id: 'X' }, { plant: 'NOPLANT' }),
    ]);
    expect(report.outcomes.map((o) => (o.status === 'rejected' ? [o.code, o.field, o.reason] : [o.status]))).toEqual([
      ['unknown-reference', 'data.operations[1].modes[1].workCenter', 'unknown work center "WC9"'],
      ['unknown-reference', 'data.materials[0].item', 'unknown item "NICKEL"'],
      ['unknown-reference', 'data.calendar', 'unknown calendar "nights"'],
      ['unknown-reference', 'data.target.id', 'unknown lot "LOT-404"'],
      ['unknown-reference', 'data.operation', 'unknown operation "30"'],
      ['unknown-reference', 'data.workOrder', 'unknown work order "WO404"'],
      ['unknown-reference', 'data.id', 'unknown downtime "D404"'],
      ['unknown-reference', 'plant', 'unknown plant "NOPLANT"'],
    ]);
    expect((await listWorkOrders(db, plant)).map((o) => o.id)).toEqual(['WO1']);
  });

  it('leaves nothing of a rejected event in a batch, and accepts it once fixed', async () => {
    const plant = await freshPlant();
    const inboxBefore = await countInbox(db, plant);
    const broken = event('work_order.upserted', { ...order('WO6', 4, 'LASER'), materials: [{ item: 'NEWITEM', quantity: 2 }] }, { plant, version: 7 });
    const batch: EventEnvelope[] = [
      event('item.upserted', { id: 'NEWITEM' }, { plant }),
      broken,
      event('lot.upserted', { id: 'L1', item: 'NEWITEM', quantity: 5, status: 'available' }, { plant }),
    ];
    const report = await ingest(batch);
    expect(statuses(report.outcomes)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(await countInbox(db, plant)).toBe(inboxBefore + 2);
    expect((await listWorkOrders(db, plant)).map((o) => o.id)).toEqual(['WO1']);
    const leftovers = await Promise.all([
      db.selectFrom('work_orders').select('id').where('plant', '=', plant).where('id', '=', 'WO6').execute(),
      db.selectFrom('work_order_operations').select('id').where('plant', '=', plant).where('work_order', '=', 'WO6').execute(),
      db.selectFrom('work_order_materials').select('item').where('plant', '=', plant).where('work_order', '=', 'WO6').execute(),
      db.selectFrom('object_versions').select('key').where('plant', '=', plant).where('key', '=', 'WO6').execute(),
      db.selectFrom('inbox').select('event_id').where('event_id', '=', broken.id).execute(),
    ]);
    expect(leftovers.map((rows) => rows.length)).toEqual([0, 0, 0, 0, 0]);

    const fixed = await ingest([event('work_center.upserted', { id: 'LASER', units: 1, calendar: 'two-shift' }, { plant }), broken]);
    expect(statuses(fixed.outcomes)).toEqual(['accepted', 'accepted']);
    expect((await listWorkOrders(db, plant)).map((o) => o.id)).toEqual(['WO1', 'WO6']);
  });

  it('keeps concurrent batches apart (one with a rejected event)', async () => {
    const plant = await freshPlant();
    const a = ingest([
      event('item.upserted', { id: 'A1' }, { plant }),
      event('work_order.upserted', order('WO-A', 1, 'NOWHERE'), { plant }),
      event('item.upserted', { id: 'A2' }, { plant }),
    ]);
    const b = ingest([event('item.upserted', { id: 'B1' }, { plant }), event('item.upserted', { id: 'B2' }, { plant })]);
    const [ra, rb] = await Promise.all([a, b]);
    expect(statuses(ra.outcomes)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(statuses(rb.outcomes)).toEqual(['accepted', 'accepted']);
    const items = await db.selectFrom('items').select('id').where('plant', '=', plant).where('id', 'in', ['A1', 'A2', 'B1', 'B2']).orderBy('id').execute();
    expect(items.map((r) => r.id)).toEqual(['A1', 'A2', 'B1', 'B2']);
  });

  it('applies shop-floor reports: cumulative progress, completion, no start without a machine', async () => {
    const plant = await freshPlant();
    const report = await ingest([
      event('operation.progressed', { workOrder: 'WO1', operation: '10', quantityGood: 1 }, { plant }),
      event('operation.started', { workOrder: 'WO1', operation: '10', workCenter: 'ASM' }, { plant }),
      event('operation.started', { workOrder: 'WO1', operation: '10', workCenter: 'CNC', unit: 3 }, { plant }),
      event('operation.started', { workOrder: 'WO1', operation: '10', workCenter: 'CNC', unit: 2, startedAt: '2026-11-22T07:00:00Z' }, { plant, version: 1 }),
      event('operation.progressed', { workOrder: 'WO1', operation: '10', quantityGood: 4, quantityScrap: 1 }, { plant, version: 2 }),
      event('operation.progressed', { workOrder: 'WO1', operation: '10', quantityGood: 6 }, { plant, version: 3 }),
      event('operation.completed', { workOrder: 'WO1', operation: '10', quantityGood: 10 }, { plant, version: 2 }),
    ]);
    expect(report.outcomes.map((o) => (o.status === 'rejected' ? `${o.code}:${o.field}` : o.status))).toEqual([
      'operation-not-started:data.workCenter', 'invalid-data:data.workCenter', 'invalid-data:data.unit',
      'accepted', 'accepted', 'accepted', 'stale',
    ]);
    const row = await db.selectFrom('operation_progress').selectAll().where('plant', '=', plant).executeTakeFirstOrThrow();
    expect([row.status, row.work_center, row.unit, row.quantity_good, row.quantity_scrap]).toEqual(['started', 'CNC', 2, 6, 1]);
    expect(row.started_at?.toISOString()).toBe('2026-11-22T07:00:00.000Z');
  });

  it('keeps standard operation times apart from orders and joins them when the plant is loaded', async () => {
    const plant = await freshPlant();
    const standardOrder = {
      id: 'WO2', item: 'PUMP', quantity: 4, due: '2026-11-30T16:00:00Z',
      operations: [
        { id: '10', name: 'Cutting', standard: { operation: 'Cutting', category: 'Mills', workCenters: ['CNC', 'MILL-9'] } },
        { id: '20', name: 'Packing' },
      ],
    };
    const report = await ingest([
      event('work_order.upserted', standardOrder, { plant }),
      event('work_order.upserted', { ...standardOrder, operations: standardOrder.operations.slice(0, 1) }, { plant }),
      event('operation_time.upserted', { operation: 'Cutting', category: 'Mills', setupMinutes: 10, runMinutesPerUnit: 2 }, { plant }),
      event('operation_time.upserted', { operation: 'Cutting', workCenter: 'CNC', category: 'Mills', runMinutesPerUnit: 1 }, { plant }),
    ]);
    expect(report.outcomes.map((o) => (o.status === 'rejected' ? `${o.code}:${o.field}` : o.status))).toEqual([
      'invalid-data:data.operations[1].modes', 'accepted', 'accepted', 'invalid-data:data.category',
    ]);
    const [stored] = await listWorkOrders(db, plant, { ids: ['WO2'] });
    expect(stored?.operations[0]).toEqual({
      id: '10', name: 'Cutting', modes: [], standard: { operation: 'Cutting', category: 'Mills', workCenters: ['CNC', 'MILL-9'] },
    });
    const problem = await loadPlantProblem(db, plant, '2026-11-23T06:00:00Z');
    expect(problem?.operationTimes).toEqual([{ operation: 'Cutting', category: 'Mills', setupMinutes: 10, runMinutesPerUnit: 2 }]);
    // The engine resolves it: CNC from the category's time, MILL-9 unknown to takt and left out.
    const result = solve(problem!, { now: '2026-11-23T06:00:00Z', timeLimitMs: 0 });
    expect(result.operations.filter((op) => op.workOrder === 'WO2').map((op) => [op.workCenter, op.workMinutes])).toEqual([['CNC', 18]]);
    // A start is accepted on a standard's candidate.
    const started = await ingest([event('operation.started', { workOrder: 'WO2', operation: '10', workCenter: 'CNC' }, { plant })]);
    expect(statuses(started.outcomes)).toEqual(['accepted']);
  });
});
