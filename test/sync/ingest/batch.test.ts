/**
 * Set-based ingestion: a batch costs a fixed number of statements whatever its size, and
 * deciding events in memory keeps the per-event semantics (batch order, ids repeated within a
 * batch, several changes to one row, concurrent batches on one new object).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely, KyselyPlugin } from 'kysely';
import { ingestEvents } from '../../../sync/ingest/ingest-events.ts';
import type { EventEnvelope, EventOutcome } from '../../../sync/ports.ts';
import type { Database } from '../../../sync/store/database.ts';
import { getReceipt } from '../../../sync/store/receipts.ts';
import { listLots } from '../../../sync/store/lots.ts';
import { backends } from '../support/backends.ts';
import { event, everySource, smallPlant } from '../support/events.ts';

const statuses = (outcomes: readonly EventOutcome[]) => outcomes.map((o) => o.status);

/** Counts the statements a Kysely instance sends. */
function statementCounter(): KyselyPlugin & { count: number } {
  return {
    count: 0,
    transformQuery(args) {
      this.count += 1;
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
}

describe.each(backends.map((make) => [make().name, make] as const))('set-based ingestion on %s', (_name, make) => {
  const backend = make();
  let db: Kysely<Database>;
  let plantSeq = 0;

  beforeAll(async () => { db = await backend.open(); });
  afterAll(async () => { await backend.close(); });

  async function freshPlant(): Promise<string> {
    plantSeq += 1;
    const plant = `B${plantSeq}`;
    const report = await ingestEvents(db, smallPlant(plant), everySource);
    expect(statuses(report.outcomes).every((s) => s === 'accepted')).toBe(true);
    return plant;
  }

  /** Lot, receipt and progress events on a started operation, as a running plant sends them. */
  function steadyTraffic(plant: string, size: number, run: string, firstVersion: number): EventEnvelope[] {
    return Array.from({ length: size }, (_, n) => {
      const version = firstVersion + n;
      const options = { plant, version, id: `${run}-${n}` };
      switch (n % 3) {
        case 0: return event('lot.upserted', { id: `L${n % 7}`, item: 'STEEL', quantity: n, status: 'available' }, options);
        case 1: return event('receipt.upserted', { id: `R${n % 5}`, item: 'BOLT', quantity: n, expectedAt: '2026-11-25T08:00:00Z' }, options);
        // Within WO1's quantity of 10: more would be refused as over-production.
        default: return event('operation.progressed', { workOrder: 'WO1', operation: '10', quantityGood: n / 100 }, options);
      }
    });
  }

  it('sends as many statements for 300 events as for 6', async () => {
    const plant = await freshPlant();
    const start = event('operation.started', { workOrder: 'WO1', operation: '10', workCenter: 'CNC', unit: 1 }, { plant });
    expect(statuses((await ingestEvents(db, [start], everySource)).outcomes)).toEqual(['accepted']);
    const counted = async (events: readonly EventEnvelope[]) => {
      const counter = statementCounter();
      const report = await ingestEvents(db.withPlugin(counter), events, everySource);
      expect(statuses(report.outcomes).every((s) => s === 'accepted')).toBe(true);
      return counter.count;
    };
    const small = await counted(steadyTraffic(plant, 6, 'small', 2));
    const large = await counted(steadyTraffic(plant, 300, 'large', 100));
    expect(large).toBe(small);
    expect(large).toBeLessThan(25);
    // The last event per object wins.
    expect((await listLots(db, plant)).find((l) => l.id === 'L4')?.quantity).toBe(291);
    expect((await getReceipt(db, plant, 'R3'))?.quantity).toBe(298);
    const progress = await db.selectFrom('operation_progress').selectAll().where('plant', '=', plant).executeTakeFirstOrThrow();
    expect([progress.work_center, Number(progress.quantity_good)]).toEqual(['CNC', 2.99]);
  });

  it('lets an id rejected earlier in the batch be accepted later in it, and stores the accepted one', async () => {
    const plant = await freshPlant();
    const broken = event('lot.upserted', { id: 'LX', item: 'NOSUCH', quantity: 1, status: 'available' }, { plant, id: 'wms-lx' });
    const fixed = event('lot.upserted', { id: 'LX', item: 'STEEL', quantity: 2, status: 'available' }, { plant, id: 'wms-lx' });
    const report = await ingestEvents(db, [broken, fixed, fixed], everySource);
    expect(statuses(report.outcomes)).toEqual(['rejected', 'accepted', 'duplicate']);
    const row = await db.selectFrom('inbox').select(['payload', 'outcome']).where('event_id', '=', 'wms-lx').executeTakeFirstOrThrow();
    expect([(row.payload as EventEnvelope).data.item, row.outcome]).toEqual(['STEEL', 'accepted']);
  });

  it('answers the second of one id in a batch as duplicate, also when the first was stale', async () => {
    const plant = await freshPlant();
    await ingestEvents(db, [event('item.upserted', { id: 'NUT' }, { plant, version: 9 })], everySource);
    const old = event('item.upserted', { id: 'NUT', name: 'old' }, { plant, version: 3, id: 'erp-nut-3' });
    const report = await ingestEvents(db, [old, old], everySource);
    expect(report.outcomes).toEqual([{ id: 'erp-nut-3', status: 'stale', storedVersion: 9 }, { id: 'erp-nut-3', status: 'duplicate' }]);
    const row = await db.selectFrom('inbox').select('outcome').where('event_id', '=', 'erp-nut-3').executeTakeFirstOrThrow();
    expect(row.outcome).toBe('stale');
    expect(report.dirtyPlants).toEqual([]);
  });

  it('keeps the batch order of changes to one row of different kinds', async () => {
    const plant = await freshPlant();
    const report = await ingestEvents(db, [
      event('receipt.upserted', { id: 'RA', item: 'BOLT', quantity: 10, expectedAt: '2026-11-25T08:00:00Z' }, { plant, version: 1 }),
      event('receipt.arrived', { receipt: 'RA', quantity: 9 }, { plant, version: 1 }),
      event('receipt.upserted', { id: 'RA', item: 'BOLT', quantity: 12, expectedAt: '2026-11-26T08:00:00Z' }, { plant, version: 2 }),
      event('hold.placed', { id: 'H-RA', target: { kind: 'lot', id: 'RA' } }, { plant }),
    ], everySource);
    expect(statuses(report.outcomes)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    // An arrived receipt stays arrived when the ERP updates it afterwards.
    expect(await getReceipt(db, plant, 'RA')).toMatchObject({ status: 'arrived', quantity: 12 });
    expect((await listLots(db, plant)).find((l) => l.id === 'RA')?.quantity).toBe(9);

    const cancelled = await ingestEvents(db, [
      event('receipt.cancelled', { id: 'RA' }, { plant, version: 3 }),
      event('receipt.upserted', { id: 'RA', item: 'BOLT', quantity: 5, expectedAt: '2026-11-27T08:00:00Z' }, { plant, version: 4 }),
    ], everySource);
    expect(statuses(cancelled.outcomes)).toEqual(['accepted', 'accepted']);
    // A cancelled receipt updated by the ERP is expected again.
    expect(await getReceipt(db, plant, 'RA')).toMatchObject({ status: 'expected', quantity: 5 });
  });

  it('serialises concurrent batches on one new object: the newer version wins, whichever commits first', async () => {
    const plant = await freshPlant();
    for (let round = 0; round < 5; round++) {
      const id = `LC${round}`;
      const older = event('lot.upserted', { id, item: 'STEEL', quantity: 2, status: 'available' }, { plant, version: 2 });
      const newer = event('lot.upserted', { id, item: 'STEEL', quantity: 3, status: 'available' }, { plant, version: 3 });
      const [a, b] = await Promise.all([ingestEvents(db, [older], everySource), ingestEvents(db, [newer], everySource)]);
      expect(statuses(b.outcomes)).toEqual(['accepted']);
      expect(['accepted', 'stale']).toContain(a.outcomes[0]?.status);
      expect((await listLots(db, plant)).find((l) => l.id === id)?.quantity).toBe(3);
      const version = await db.selectFrom('object_versions').select('version').where('plant', '=', plant).where('key', '=', id).executeTakeFirstOrThrow();
      expect(version.version).toBe(3);
    }
  });
});
