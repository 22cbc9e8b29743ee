import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SolveResult } from '../../../scheduler/result.ts';
import { createWebhookAdmin } from '../../../sync/events-out/admin.ts';
import { enqueuePublicationEvents, latestPublishedBefore } from '../../../sync/events-out/enqueue.ts';
import { toJson, type Database } from '../../../sync/store/database.ts';
import { upsertPlant } from '../../../sync/store/plants.ts';
import { backends } from '../support/backends.ts';
import { order, result, shortage } from './results.ts';

const AT = new Date('2026-11-22T06:00:05Z');
const v1 = { version: 1, result: result({ orders: [order('WO-1', -5), order('WO-2', null)], problems: [shortage('WO-2', 'ITEM-A', 2)] }) };
const v2 = { version: 2, result: result({ orders: [order('WO-1', 20), order('WO-2', 0)] }) };

describe.each(backends)('enqueuePublicationEvents on $name', (makeBackend) => {
  const backend = makeBackend();
  let db: Kysely<Database>;

  beforeAll(async () => {
    db = await backend.open();
    for (const id of ['P1', 'P2']) await upsertPlant(db, { id, timeZone: 'UTC' });
  });
  afterAll(() => backend.close());
  beforeEach(async () => {
    await db.deleteFrom('webhook_deliveries').execute();
    await db.deleteFrom('webhook_subscriptions').execute();
  });

  const admin = () => createWebhookAdmin(db, () => AT.getTime());
  async function subscribe(request: Parameters<ReturnType<typeof admin>['createSubscription']>[0]): Promise<string> {
    const created = await admin().createSubscription(request);
    if (!created.ok) throw new Error(created.message);
    return created.value.subscription.id;
  }
  const rows = () => db.selectFrom('webhook_deliveries').selectAll().orderBy('event_id').execute();

  it('computes nothing and writes nothing when no subscription takes the plant', async () => {
    await subscribe({ url: 'https://example.test/p2', plants: ['P2'] });
    expect(await enqueuePublicationEvents(db, 'P1', v1, v2, AT)).toEqual({ events: 0, deliveries: 0 });
    expect(await rows()).toEqual([]);
  });

  it('writes one pending row per matching (subscription, event), filtered by plant, type and activity', async () => {
    const all = await subscribe({ url: 'https://example.test/all' });
    const procurement = await subscribe({ url: 'https://example.test/buy', plants: ['P1'], eventTypes: ['shortage.raised', 'shortage.cleared'] });
    await subscribe({ url: 'https://example.test/p2', plants: ['P2'] });
    const paused = await subscribe({ url: 'https://example.test/paused' });
    await db.updateTable('webhook_subscriptions').set({ active: false }).where('id', '=', paused).execute();

    const report = await enqueuePublicationEvents(db, 'P1', v1, v2, AT);
    expect(report).toEqual({ events: 4, deliveries: 5 });
    const written = await rows();
    expect(written.filter((r) => r.subscription === all).map((r) => r.event_id)).toEqual([
      'P1:v2:order.late:WO-1', 'P1:v2:order.on_time:WO-2', 'P1:v2:schedule.published', 'P1:v2:shortage.cleared:WO-2:ITEM-A',
    ]);
    expect(written.filter((r) => r.subscription === procurement).map((r) => r.event_id)).toEqual(['P1:v2:shortage.cleared:WO-2:ITEM-A']);
    const row = written.find((r) => r.subscription === procurement)!;
    expect(row).toMatchObject({ status: 'pending', attempts: 0, plant: 'P1', type: 'shortage.cleared', delivered_at: null, in_flight_until: null });
    expect(new Date(row.next_attempt_at).getTime()).toBe(AT.getTime());
    expect(new Date(row.retry_window_from).getTime()).toBe(AT.getTime());
    expect(row.payload).toEqual({
      id: 'P1:v2:shortage.cleared:WO-2:ITEM-A', type: 'shortage.cleared', plant: 'P1', occurredAt: AT.toISOString(), version: 2,
      data: { workOrder: 'WO-2', item: 'ITEM-A', reason: 'covered', previousMissingQuantity: 2 },
    });
  });

  it('enqueues the same version once, however often it is published', async () => {
    await subscribe({ url: 'https://example.test/all' });
    expect((await enqueuePublicationEvents(db, 'P1', v1, v2, AT)).deliveries).toBe(4);
    expect(await enqueuePublicationEvents(db, 'P1', v1, v2, new Date(AT.getTime() + 60_000))).toEqual({ events: 4, deliveries: 0 });
    expect(await rows()).toHaveLength(4);
  });

  it("writes in the caller's transaction: a publication rolled back leaves no event", async () => {
    await subscribe({ url: 'https://example.test/all' });
    await expect(db.transaction().execute(async (trx) => {
      expect((await enqueuePublicationEvents(trx, 'P1', v1, v2, AT)).deliveries).toBe(4);
      throw new Error('publish failed');
    })).rejects.toThrow('publish failed');
    expect(await rows()).toEqual([]);
  });

  it('is set-based: thousands of events for several subscribers in a few statements', async () => {
    for (let i = 0; i < 3; i += 1) await subscribe({ url: `https://example.test/${i}` });
    const many = (late: boolean): SolveResult => result({ orders: Array.from({ length: 2_500 }, (_, i) => order(`WO-${i}`, late ? 30 : -30)) });
    const report = await enqueuePublicationEvents(db, 'P1', { version: 1, result: many(false) }, { version: 2, result: many(true) }, AT);
    expect(report).toEqual({ events: 2_501, deliveries: 7_503 });
  });

  it('reads the release of a short order for its need date', async () => {
    await subscribe({ url: 'https://example.test/all', eventTypes: ['shortage.raised'] });
    await db.insertInto('items').values({ plant: 'P1', id: 'FG' }).onConflict((oc) => oc.doNothing()).execute();
    await db.insertInto('work_orders').values({ plant: 'P1', id: 'WO-9', item: 'FG', quantity: 1, due: '2026-12-01T00:00:00Z', release_at: '2026-11-25T06:00:00Z' })
      .onConflict((oc) => oc.doNothing()).execute();
    const short = { version: 3, result: result({ orders: [order('WO-9', null)], problems: [shortage('WO-9', 'ITEM-B', 1)] }) };
    await enqueuePublicationEvents(db, 'P1', v2, short, AT);
    const [row] = await rows();
    expect(row?.payload).toHaveProperty('data.neededBy', '2026-11-25T06:00:00.000Z');
  });

  it('finds the previously published version, skipping proposals', async () => {
    const insert = (version: number, state: 'published' | 'proposed' | 'discarded') => db.insertInto('schedule_versions').values({
      plant: 'P2', version, now: AT, reason: 'test', status: 'optimal-or-feasible', kpis: toJson(v1.result.kpis), result: toJson({ ...v1.result, now: `v${version}` }), state,
    }).execute();
    await insert(1, 'published');
    await insert(2, 'discarded');
    await insert(3, 'proposed');
    await insert(4, 'published');
    expect(await latestPublishedBefore(db, 'P2', 1)).toBeNull();
    expect((await latestPublishedBefore(db, 'P2', 4))?.version).toBe(1);
    expect((await latestPublishedBefore(db, 'P2', 4))?.result.now).toBe('v1');
    expect((await latestPublishedBefore(db, 'P2', 5))?.version).toBe(4);
  });
});
