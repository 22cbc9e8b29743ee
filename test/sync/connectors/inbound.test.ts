/**
 * The inbound core that every connector goes through, with a connector whose reads the test
 * scripts: records become events through the one ingest path; a record whose canonical content
 * did not change (a re-read, the echo of takt's own write) is not ingested again and starts no
 * plan run, though its link takes the new stamp; a rejected record costs only itself (one dead
 * letter per content) and the cursor moves on; an ERP that is down leaves the cursor alone; a
 * newer version from another writer does not shadow the ERP's state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { ErpConnector, ErpRecord, ReadOutcome, ReadRequest } from '../../../sync/connectors/connector.ts';
import { connectorFeed, pollConnector } from '../../../sync/connectors/inbound.ts';
import { ingestEvents } from '../../../sync/ingest/ingest-events.ts';
import type { Database } from '../../../sync/store/database.ts';
import { loadLinks, recordPending } from '../../../sync/store/erp-links.ts';
import { getFeedCursor } from '../../../sync/store/feed-cursors.ts';
import { getPlantState, markPlantClean } from '../../../sync/store/plant-state.ts';
import { listWorkOrders } from '../../../sync/store/work-orders.ts';
import { backends } from '../support/backends.ts';
import { everySource, smallPlant } from '../support/events.ts';

/** A connector that answers each read with the next scripted outcome, and records the requests. */
function scripted(plant: string, reads: (ReadOutcome | ((request: ReadRequest) => ReadOutcome | Promise<ReadOutcome>))[]): ErpConnector & { readonly requests: ReadRequest[] } {
  const requests: ReadRequest[] = [];
  return {
    kind: 'script', name: `script-${plant}`, plant, inbound: true, outbound: false, requests,
    async read(request) {
      requests.push(request);
      const next = reads.shift();
      if (next === undefined) throw new Error('no read scripted');
      return typeof next === 'function' ? next(request) : next;
    },
    async write() { throw new Error('not used'); },
    project: () => null,
  };
}

const order = (quantity: number, extra: Partial<ErpRecord> = {}): ErpRecord => ({
  type: 'work_order.upserted',
  data: { id: 'MO-1', item: 'PUMP', quantity, due: '2026-12-10T00:00:00Z', operations: [{ id: '10', modes: [{ workCenter: 'CNC', runMinutesPerUnit: 5 }] }] },
  ref: { production: 1 }, stamp: `s${quantity}`, held: { end: '2026-12-09' }, changedAt: Date.parse('2026-12-01T10:00:00Z'),
  ...extra,
});
const changes = (records: readonly ErpRecord[], cursor: string): ReadOutcome => ({ kind: 'changes', records, cursor, more: false });

describe.each(backends.map((make) => [make().name, make] as const))('connector inbound on %s', (_name, make) => {
  const backend = make();
  let db: Kysely<Database>;
  let seq = 0;
  beforeAll(async () => { db = await backend.open(); });
  afterAll(async () => { await backend.close(); });

  async function plant(): Promise<string> {
    seq += 1;
    const id = `C${seq}`;
    await ingestEvents(db, smallPlant(id), everySource);
    await clean(id);
    return id;
  }
  async function clean(id: string): Promise<void> {
    const state = await getPlantState(db, id);
    await markPlantClean(db, id, state!.generation);
  }

  it('ingests new content, keeps the link, and drops an unchanged re-read (the echo) without a plan run', async () => {
    const id = await plant();
    const connector = scripted(id, [
      changes([order(4)], 'c1'),
      changes([order(4, { stamp: 'after-takt-wrote', held: { end: '2026-12-11' } })], 'c2'),
      changes([order(6, { stamp: 's6' })], 'c3'),
    ]);
    const first = await pollConnector(db, connector, null);
    expect(first).toMatchObject({ kind: 'applied', records: 1, dirtyPlants: [id] });
    expect(first.kind === 'applied' && first.outcomes.map((o) => o.status)).toEqual(['accepted']);
    expect((await listWorkOrders(db, id, { ids: ['MO-1'] }))[0]?.quantity).toBe(4);
    await clean(id);

    // Same canonical content, a new stamp: nothing ingested, the plant stays clean, the link follows.
    const echo = await pollConnector(db, connector, null);
    expect(echo).toMatchObject({ kind: 'applied', records: 1, outcomes: [] });
    const links = await loadLinks(db, connector.name);
    expect(links.get('work_order', 'MO-1')).toMatchObject({ ref: { production: 1 }, stamp: 'after-takt-wrote', version: Date.parse('2026-12-01T10:00:00Z') });
    // The ERP holds other dates than takt last saw: a plan run (and a write) follows.
    expect((await getPlantState(db, id))?.dirty).toBe(true);
    await clean(id);

    const changed = await pollConnector(db, connector, null);
    expect(changed.kind === 'applied' && changed.outcomes.map((o) => o.status)).toEqual(['accepted']);
    expect((await listWorkOrders(db, id, { ids: ['MO-1'] }))[0]?.quantity).toBe(6);
    expect(await getFeedCursor(db, 'erp', connectorFeed(connector))).toBe('c3');
    expect(connector.requests.map((r) => r.cursor)).toEqual([null, 'c1', 'c2']);
  });

  it('rejects a bad record alone (one dead letter per content), applies its neighbours and moves the cursor', async () => {
    const id = await plant();
    const bad: ErpRecord = { ...order(2), data: { ...order(2).data, id: 'MO-BAD', item: 'NO-SUCH-ITEM' } };
    const good: ErpRecord = { ...order(3), data: { ...order(3).data, id: 'MO-GOOD' } };
    const connector = scripted(id, [changes([bad, good], 'c1'), changes([bad], 'c2')]);
    const outcome = await pollConnector(db, connector, null);
    expect(outcome.kind === 'applied' && outcome.outcomes.map((o) => o.status)).toEqual(['rejected', 'accepted']);
    await pollConnector(db, connector, null);
    const letters = await db.selectFrom('dead_letters').selectAll().where('plant', '=', id).execute();
    expect(letters.map((l) => [l.kind, l.error])).toEqual([['erp-record', 'unknown-reference at data.item: unknown item "NO-SUCH-ITEM"']]);
    expect((await listWorkOrders(db, id)).map((o) => o.id)).toEqual(['MO-GOOD', 'WO1']);
    expect(await getFeedCursor(db, 'erp', connectorFeed(connector))).toBe('c2');
  });

  it('rejects records the store cannot hold (a NUL, a lone surrogate, in data or key) alone, and records them readable', async () => {
    const id = await plant();
    const nul: ErpRecord = { ...order(2), data: { ...order(2).data, id: 'MO-NUL', name: 'bad\u0000name' } };
    const lone: ErpRecord = { ...order(2), data: { ...order(2).data, id: 'MO-\uD800' } };
    const good: ErpRecord = { ...order(3), data: { ...order(3).data, id: 'MO-FINE' } };
    const connector = scripted(id, [changes([nul, lone, good], 'c1')]);
    const outcome = await pollConnector(db, connector, null);
    expect(outcome.kind === 'applied' && outcome.outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'accepted']);
    expect((await listWorkOrders(db, id)).map((o) => o.id)).toEqual(['MO-FINE', 'WO1']);
    expect(await getFeedCursor(db, 'erp', connectorFeed(connector))).toBe('c1');
    const letters = await db.selectFrom('dead_letters').select(['key', 'payload']).where('plant', '=', id).orderBy('key').execute();
    expect(letters.map((l) => l.key)).toEqual([expect.stringContaining('MO-NUL'), expect.stringContaining('MO-\\ud800')]);
    expect(JSON.stringify(letters[0]!.payload)).toContain('bad\\\\u0000name');
  });

  it('leaves the cursor where it was while the ERP is down', async () => {
    const id = await plant();
    const connector = scripted(id, [changes([order(1)], 'c1'), { kind: 'unavailable', reason: 'HTTP 503', retryAfterMs: 2_000 }]);
    await pollConnector(db, connector, null);
    expect(await pollConnector(db, connector, null)).toEqual({ kind: 'unavailable', reason: 'HTTP 503', retryAfterMs: 2_000 });
    expect(await getFeedCursor(db, 'erp', connectorFeed(connector))).toBe('c1');
  });

  it('tells the connector whether takt has the plant', async () => {
    const id = await plant();
    const connector = scripted(id, [changes([], 'c1')]);
    await pollConnector(db, connector, null);
    expect(connector.requests[0]?.plantExists).toBe(true);
  });

  it('applies the ERP state over a newer version another writer gave the object', async () => {
    const id = await plant();
    const later = Date.parse('2026-12-01T10:00:00Z') + 1_000;
    await ingestEvents(db, [{
      id: 'manual-1', source: 'erp', type: 'work_order.upserted', plant: id, occurredAt: '2026-12-01T10:00:00Z', version: later,
      data: { ...order(9).data },
    }], everySource);
    const connector = scripted(id, [changes([order(5)], 'c1')]);
    const outcome = await pollConnector(db, connector, null);
    expect(outcome.kind === 'applied' && outcome.outcomes.map((o) => o.status)).toEqual(['accepted']);
    expect((await listWorkOrders(db, id, { ids: ['MO-1'] }))[0]?.quantity).toBe(5);
    expect((await loadLinks(db, connector.name)).get('work_order', 'MO-1')?.version).toBe(later + 1);
  });

  it('lets one worker read a connection at a time: the lease holder, or whoever finds it expired', async () => {
    const id = await plant();
    const connector = scripted(id, [changes([], 'c1'), changes([], 'c2'), changes([], 'c3')]);
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const now = () => clock;
    const first = { owner: 'worker-a', ttlMs: 30_000 };
    const second = { owner: 'worker-b', ttlMs: 30_000 };
    await pollConnector(db, connector, null, { now, lease: first });
    expect(await pollConnector(db, connector, null, { now, lease: second })).toMatchObject({ kind: 'applied', records: 0 });
    expect(connector.requests.length).toBe(1);
    await pollConnector(db, connector, null, { now, lease: first });
    expect(connector.requests.length).toBe(2);
    clock += 31_000;
    await pollConnector(db, connector, null, { now, lease: second });
    expect(connector.requests.length).toBe(3);
  });

  it('applies a read that raced a write-back but for the object written, which the next read takes again', async () => {
    const id = await plant();
    const other: ErpRecord = { ...order(2), data: { ...order(2).data, id: 'MO-2' }, ref: { production: 2 } };
    const connector = {
      ...scripted(id, [
        changes([order(4), other], 'c1'),
        // Meanwhile a write-back of MO-1 begins: what this read says of MO-1 may be takt's own write.
        async () => {
          await recordPending(db, connector.name, 'work_order', 'MO-1', { end: '2026-12-12' });
          return changes([order(5), { ...other, data: { ...other.data, quantity: 3 } }], 'c2');
        },
        (request: ReadRequest) => changes(request.links.refresh('work_order').map(() => order(5)), 'c3'),
      ]),
      refreshes: true,
    };
    await pollConnector(db, connector, null);
    const raced = await pollConnector(db, connector, null);
    expect(raced.kind === 'applied' && raced.outcomes.map((o) => o.status)).toEqual(['accepted']);
    const orders = new Map((await listWorkOrders(db, id, { ids: ['MO-1', 'MO-2'] })).map((o) => [o.id, o.quantity]));
    expect([orders.get('MO-1'), orders.get('MO-2')]).toEqual([4, 3]);
    expect(await getFeedCursor(db, 'erp', connectorFeed(connector))).toBe('c2');
    // The next read is asked for MO-1 again, and applies it.
    await pollConnector(db, connector, null);
    expect(connector.requests[2]?.links.refresh('work_order').map((l) => l.key)).toEqual(['MO-1']);
    expect((await listWorkOrders(db, id, { ids: ['MO-1'] }))[0]?.quantity).toBe(5);
    expect((await loadLinks(db, connector.name)).refresh('work_order')).toEqual([]);
  });
});
