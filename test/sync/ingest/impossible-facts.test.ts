/**
 * Facts that cannot be true are refused with a code and the field, and nothing of them is
 * written: more made than ordered (beyond the plant's tolerance), ends before starts, reports
 * on closed orders or completed operations, and dates no plan can use. A completion whose start
 * was never reported is believed, by rule.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../../sync/ingest/ingest-events.ts';
import type { EventOutcome } from '../../../sync/ports.ts';
import type { Database } from '../../../sync/store/database.ts';
import { listRelevantDowntimes } from '../../../sync/store/downtimes.ts';
import { setPlantPolicy, DEFAULT_POLICY } from '../../../sync/store/plant-policies.ts';
import { backends } from '../support/backends.ts';
import { event, everySource, smallPlant } from '../support/events.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const clock = () => NOW;

describe.each(backends.map((make) => [make().name, make] as const))('impossible facts on %s', (_name, make) => {
  const backend = make();
  let db: Kysely<Database>;
  let plantSeq = 0;
  beforeAll(async () => { db = await backend.open(); });
  afterAll(async () => { await backend.close(); });

  const ingest = (events: readonly unknown[]) => ingestEvents(db, events, everySource, { clock });
  const verdicts = (outcomes: readonly EventOutcome[]) => outcomes.map((o) => (o.status === 'rejected' ? `${o.code}:${o.field}` : o.status));
  const progressRows = (plant: string) => db.selectFrom('operation_progress').selectAll().where('plant', '=', plant).execute();

  async function freshPlant(): Promise<string> {
    const plant = `IF${++plantSeq}`;
    const report = await ingest(smallPlant(plant));
    expect(report.outcomes.every((o) => o.status === 'accepted')).toBe(true);
    return plant;
  }

  it('refuses more good plus scrap than the order quantity allows, with the plant\'s tolerance', async () => {
    const plant = await freshPlant(); // WO1: 10 pieces; default tolerance 10 %
    const o = { plant };
    const report = await ingest([
      event('operation.started', { workOrder: 'WO1', operation: '10', workCenter: 'CNC' }, { ...o, version: 1 }),
      event('operation.progressed', { workOrder: 'WO1', operation: '10', quantityGood: 10_000 }, { ...o, version: 2 }),
      event('operation.progressed', { workOrder: 'WO1', operation: '10', quantityGood: 0, quantityScrap: 12 }, { ...o, version: 3 }),
      event('operation.completed', { workOrder: 'WO1', operation: '10', quantityGood: 10, quantityScrap: 2 }, { ...o, version: 4 }),
      event('operation.completed', { workOrder: 'WO1', operation: '10', quantityGood: 10, quantityScrap: 1 }, { ...o, version: 5 }),
    ]);
    expect(verdicts(report.outcomes)).toEqual([
      'accepted', 'implausible-quantity:data.quantityGood', 'implausible-quantity:data.quantityScrap', 'implausible-quantity:data.quantityGood', 'accepted',
    ]);
    expect((report.outcomes[1] as { reason: string }).reason).toContain('order quantity 10');
    const [row] = await progressRows(plant);
    expect([row!.status, Number(row!.quantity_good), Number(row!.quantity_scrap)]).toEqual(['completed', 10, 1]);

    // A plant that tolerates more: 50 % over.
    const tolerant = await freshPlant();
    await setPlantPolicy(db, tolerant, { ...DEFAULT_POLICY, shopFloor: { overProductionPercent: 50 } }, 'test');
    expect(verdicts((await ingest([
      event('operation.progressed', { workOrder: 'WO1', operation: '10', quantityGood: 14, workCenter: 'CNC' }, { plant: tolerant }),
    ])).outcomes)).toEqual(['accepted']);
  });

  it('refuses an end before its start: a completion, a downtime', async () => {
    const plant = await freshPlant();
    const o = { plant };
    const report = await ingest([
      event('operation.started', { workOrder: 'WO1', operation: '10', workCenter: 'CNC', startedAt: '2026-11-23T08:00:00Z' }, { ...o, version: 1 }),
      event('operation.completed', { workOrder: 'WO1', operation: '10', completedAt: '2026-11-23T07:00:00Z' }, { ...o, version: 2 }),
      event('operation.completed', { workOrder: 'WO1', operation: '10' }, { ...o, version: 3, occurredAt: '2026-11-23T07:30:00Z' }),
      event('downtime.started', { id: 'BD1', workCenter: 'CNC', start: '2026-11-23T09:00:00Z', expectedEnd: '2026-11-23T11:00:00Z' }, o),
      event('downtime.ended', { id: 'BD1', end: '2026-11-23T08:00:00Z' }, { ...o, version: 2 }),
      event('downtime.ended', { id: 'BD1' }, { ...o, version: 3, occurredAt: '2026-11-23T08:30:00Z' }),
    ]);
    expect(verdicts(report.outcomes)).toEqual([
      'accepted', 'invalid-data:data.completedAt', 'invalid-data:occurredAt', 'accepted', 'invalid-data:data.end', 'invalid-data:occurredAt',
    ]);
    expect((await progressRows(plant))[0]!.status).toBe('started');
    expect((await listRelevantDowntimes(db, plant, '2026-11-23T00:00:00Z')).map((d) => [d.id, d.open, d.end])).toEqual([['BD1', true, '2026-11-23T11:00:00.000Z']]);
  });

  it('refuses reports on a cancelled order and a second start or progress of a completed operation', async () => {
    const plant = await freshPlant();
    const o = { plant };
    const report = await ingest([
      event('operation.completed', { workOrder: 'WO1', operation: '10', workCenter: 'CNC', quantityGood: 10 }, { ...o, version: 1 }),
      event('operation.started', { workOrder: 'WO1', operation: '10', workCenter: 'CNC' }, { ...o, version: 2 }),
      event('operation.progressed', { workOrder: 'WO1', operation: '10', quantityGood: 3 }, { ...o, version: 3 }),
      event('work_order.cancelled', { id: 'WO1', reason: 'customer' }, { ...o, version: 2 }),
      event('operation.started', { workOrder: 'WO1', operation: '20', workCenter: 'ASM' }, o),
      event('operation.completed', { workOrder: 'WO1', operation: '20', workCenter: 'ASM' }, o),
    ]);
    // The completion without a start is believed (rule): the start stays unknown.
    expect(verdicts(report.outcomes)).toEqual([
      'accepted', 'operation-completed:data.operation', 'operation-completed:data.operation', 'accepted',
      'order-closed:data.workOrder', 'order-closed:data.workOrder',
    ]);
    const rows = await progressRows(plant);
    expect(rows.map((r) => [r.operation, r.status, r.started_at])).toEqual([['10', 'completed', null]]);
  });

  it('refuses sentinel and absurd dates, and an occurredAt ahead of the clock, naming the field', async () => {
    const plant = await freshPlant();
    const o = { plant };
    const order = (due: string) => ({ id: 'WO9', item: 'PUMP', quantity: 1, due, operations: [{ id: '10', modes: [{ workCenter: 'CNC', runMinutesPerUnit: 5 }] }] });
    const report = await ingest([
      event('work_order.upserted', order('9999-12-31T00:00:00Z'), o),
      event('work_order.upserted', order('0001-01-01T00:00:00Z'), o),
      event('receipt.upserted', { id: 'R9', item: 'STEEL', quantity: 1, expectedAt: '2029-11-23T00:00:00Z' }, o),
      event('downtime.started', { id: 'BD9', workCenter: 'CNC', expectedEnd: '9999-01-01T00:00:00Z' }, { ...o, occurredAt: '2026-11-23T11:00:00Z' }),
      event('item.upserted', { id: 'NEW' }, { ...o, occurredAt: '2999-01-01T00:00:00Z' }),
      event('item.upserted', { id: 'NEW2' }, { ...o, occurredAt: '2026-11-23T12:04:00Z' }),
      event('work_center.upserted', { id: 'CNC', units: 2, calendar: 'two-shift', downtimes: [{ start: '2026-11-24T08:00:00Z', end: '3026-11-24T08:00:00Z' }] }, { ...o, version: 2 }),
      event('work_order.upserted', order('2027-03-01T00:00:00Z'), { ...o, version: 2 }),
    ]);
    expect(verdicts(report.outcomes)).toEqual([
      'implausible-date:data.due', 'implausible-date:data.due', 'implausible-date:data.expectedAt', 'implausible-date:data.expectedEnd',
      'implausible-date:occurredAt', 'accepted', 'implausible-date:data.downtimes[0].end', 'accepted',
    ]);
    expect((report.outcomes[4] as { reason: string }).reason).toContain('in the future');
    // Wider windows are configuration: a five-year horizon takes the receipt.
    const wide = await ingestEvents(db, [event('receipt.upserted', { id: 'R9', item: 'STEEL', quantity: 1, expectedAt: '2029-11-23T00:00:00Z' }, o)], everySource, {
      clock, dates: { historyDays: 3650, horizonDays: 5 * 365, clockSkewMs: 0 },
    });
    expect(verdicts(wide.outcomes)).toEqual(['accepted']);
  });
});
