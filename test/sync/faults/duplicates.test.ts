/**
 * Nothing twice: the same event sent again — one after the other, at the same moment, once by
 * webhook and once by change feed — has exactly one effect (one inbox row, state changed
 * once, one 'accepted' and one 'duplicate'); an older version after a newer one is 'stale'
 * and leaves the newer state. On the real PostgreSQL, where concurrent transactions are real.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../api/app.ts';
import { pollOnce, type FeedConfig } from '../../../sync/feeds/feed-poller.ts';
import type { EventEnvelope, EventOutcome } from '../../../sync/ports.ts';
import { InProcessQueue } from '../../../sync/queue/in-process-queue.ts';
import { createApiKey } from '../../../sync/store/api-keys.ts';
import type { Db } from '../../../sync/store/database.ts';
import { getFeedCursor } from '../../../sync/store/feed-cursors.ts';
import { getPlantState } from '../../../sync/store/plant-state.ts';
import { getReceipt } from '../../../sync/store/receipts.ts';
import { listWorkOrders } from '../../../sync/store/work-orders.ts';
import { createTakt, type TaktCore } from '../../../sync/takt.ts';
import { startEventFeed, type EventFeed } from '../../support/event-feed.ts';
import { postgresBackend } from '../support/backends.ts';
import { event, everySource, smallPlant } from '../support/events.ts';

const PLANT = 'P1';

const workOrder = (id: string, quantity: number) => ({
  id, item: 'PUMP', quantity, due: '2026-11-30T16:00:00Z',
  operations: [{ id: '10', modes: [{ workCenter: 'CNC', runMinutesPerUnit: 5 }] }],
});

describe('the same event twice (PostgreSQL)', () => {
  const backend = postgresBackend();
  let db: Db;
  let queue: InProcessQueue;
  let takt: TaktCore;
  let app: FastifyInstance;
  let feed: EventFeed;
  let feedConfig: FeedConfig;
  let erpToken: string;

  beforeAll(async () => {
    db = await backend.open();
    // No workers: the reschedule requests just wait; these tests look at ingestion only.
    queue = new InProcessQueue();
    takt = createTakt({ db, queue, writebacks: false });
    app = await buildApp({ takt });
    erpToken = (await createApiKey(db, { name: 'erp', scopes: ['erp'], plants: [PLANT] })).token;
    feed = await startEventFeed();
    feedConfig = { name: 'erp-changes', source: 'erp', url: feed.url, limit: 50, timeoutMs: 2_000 };
    const loaded = await takt.ingest(smallPlant(PLANT), everySource);
    expect(loaded.every((o) => o.status === 'accepted')).toBe(true);
  });
  afterAll(async () => {
    await app?.close();
    await queue?.close();
    await feed?.close();
    await backend.close();
  });

  const inboxRows = (id: string) => db.selectFrom('inbox').selectAll().where('source', '=', 'erp').where('event_id', '=', id).execute();
  const generation = async () => (await getPlantState(db, PLANT))?.generation ?? 0;
  const quantityOf = async (id: string) => (await listWorkOrders(db, PLANT, { ids: [id], includeClosed: true }))[0]?.quantity;
  const statuses = (outcomes: readonly EventOutcome[]) => outcomes.map((o) => o.status).sort();

  async function webhook(events: readonly EventEnvelope[]): Promise<readonly EventOutcome[]> {
    const response = await app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${erpToken}` }, payload: { events } });
    expect(response.statusCode, response.body).toBe(202);
    return (response.json() as { results: EventOutcome[] }).results;
  }

  async function poll(): Promise<readonly EventOutcome[]> {
    const outcome = await pollOnce(db, feedConfig, queue);
    if (outcome.kind !== 'applied') throw new Error(`feed unavailable: ${outcome.reason}`);
    return outcome.outcomes;
  }

  it('sequentially: accepted, then duplicate with no second effect', async () => {
    const first = event('receipt.upserted', { id: 'R-SEQ', item: 'STEEL', quantity: 100, expectedAt: '2026-11-25T08:00:00Z' }, { id: 'erp-seq-1' });
    // Other data under the same id is not a repeat but a conflict: refused, not applied.
    const reused = { ...first, data: { ...first.data, quantity: 555 } };
    const before = await generation();
    expect(statuses(await takt.ingest([first], everySource))).toEqual(['accepted']);
    expect(statuses(await takt.ingest([{ ...first }], everySource))).toEqual(['duplicate']);
    expect(await takt.ingest([reused], everySource)).toMatchObject([{ status: 'rejected', code: 'id-conflict', field: 'id' }]);
    expect(await inboxRows('erp-seq-1')).toHaveLength(1);
    expect((await getReceipt(db, PLANT, 'R-SEQ'))?.quantity).toBe(100);
    expect(await generation()).toBe(before + 1);
  });

  it('concurrently: two ingests of one event id race, one wins, the other is a duplicate or, with other data, a conflict', async () => {
    for (let round = 0; round < 5; round += 1) {
      const id = `erp-race-${round}`;
      const a = event('work_order.upserted', workOrder(`WO-R${round}`, 10 + round), { id, version: 1 });
      const b = { ...a, data: { ...a.data, quantity: 900 + round } };
      const before = await generation();
      const [left, right] = await Promise.all([takt.ingest([a], everySource), takt.ingest([b], everySource)]);
      expect(statuses([...left, ...right])).toEqual(['accepted', 'rejected']);
      expect([...left, ...right].find((o) => o.status === 'rejected')).toMatchObject({ code: 'id-conflict' });
      const [same, again] = await Promise.all([takt.ingest([a], everySource), takt.ingest([{ ...a }], everySource)]);
      if (left[0]?.status === 'accepted') expect(statuses([...same, ...again])).toEqual(['duplicate', 'duplicate']);
      expect(await inboxRows(id)).toHaveLength(1);
      // The stored order is the winner's, whole: never a mix, never both.
      const winner = left[0]?.status === 'accepted' ? a : b;
      expect(await quantityOf(`WO-R${round}`)).toBe((winner.data as { quantity: number }).quantity);
      expect(await generation()).toBe(before + 1);
    }
  });

  it('once by webhook, once by change feed (either order): one effect, the feed cursor still moves', async () => {
    const viaWebhookFirst = event('work_order.upserted', workOrder('WO-W1', 7), { id: 'erp-wo-w1-v1' });
    const viaFeedFirst = event('work_order.upserted', workOrder('WO-F1', 8), { id: 'erp-wo-f1-v1' });
    const before = await generation();

    expect((await webhook([viaWebhookFirst])).map((o) => o.status)).toEqual(['accepted']);
    feed.push(viaWebhookFirst, viaFeedFirst);
    expect((await poll()).map((o) => o.status)).toEqual(['duplicate', 'accepted']);
    expect(await getFeedCursor(db, 'erp', 'erp-changes')).toBe('2');
    expect((await webhook([viaFeedFirst])).map((o) => o.status)).toEqual(['duplicate']);
    // Polled again from the start (a lost cursor): all duplicates, nothing marked dirty.
    const replay = await pollOnce(db, { ...feedConfig, name: 'erp-replay' }, queue);
    expect(replay).toMatchObject({ kind: 'applied', dirtyPlants: [] });
    if (replay.kind === 'applied') expect(replay.outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate']);

    expect(await inboxRows('erp-wo-w1-v1')).toHaveLength(1);
    expect(await inboxRows('erp-wo-f1-v1')).toHaveLength(1);
    expect(await quantityOf('WO-W1')).toBe(7);
    expect(await quantityOf('WO-F1')).toBe(8);
    // One marking for the webhook, one for the feed page: none for any repeat.
    expect(await generation()).toBe(before + 2);
  });

  it('out of order: version 2 then version 1 is stale and version 2 stays', async () => {
    const v2 = event('work_order.upserted', workOrder('WO-OOO', 20), { id: 'erp-ooo-v2', version: 2 });
    const v1 = event('work_order.upserted', workOrder('WO-OOO', 10), { id: 'erp-ooo-v1', version: 1 });
    expect(await takt.ingest([v2], everySource)).toEqual([{ id: 'erp-ooo-v2', status: 'accepted' }]);
    expect(await takt.ingest([v1], everySource)).toEqual([{ id: 'erp-ooo-v1', status: 'stale', storedVersion: 2 }]);
    expect(await quantityOf('WO-OOO')).toBe(20);
    // The stale one is remembered: sent again (by feed), it is a duplicate, not a second stale.
    feed.push(v1);
    const outcomes = await poll();
    expect(outcomes.map((o) => o.status)).toEqual(['duplicate']);
    expect((await inboxRows('erp-ooo-v1')).map((r) => r.outcome)).toEqual(['stale']);
  });

  it('out of order and concurrent: whichever commits first, the newest version is what stays', async () => {
    for (let round = 0; round < 5; round += 1) {
      const order = `WO-OC${round}`;
      const v1 = event('work_order.upserted', workOrder(order, 1), { id: `erp-oc${round}-v1`, version: 1 });
      const v2 = event('work_order.upserted', workOrder(order, 2), { id: `erp-oc${round}-v2`, version: 2 });
      const [older, newer] = await Promise.all([takt.ingest([v1], everySource), takt.ingest([v2], everySource)]);
      expect(newer[0]?.status).toBe('accepted');
      expect(['accepted', 'stale']).toContain(older[0]?.status);
      expect(await quantityOf(order)).toBe(2);
      const stored = await db.selectFrom('object_versions').select('version')
        .where('source', '=', 'erp').where('plant', '=', PLANT).where('kind', '=', 'work_order').where('key', '=', order)
        .executeTakeFirstOrThrow();
      expect(stored.version).toBe(2);
    }
  });
});
