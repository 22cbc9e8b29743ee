import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollOnce, startFeedPoller, type FeedConfig, type PollOutcome } from '../../../sync/feeds/feed-poller.ts';
import { InProcessQueue } from '../../../sync/queue/in-process-queue.ts';
import type { Database } from '../../../sync/store/database.ts';
import { getFeedCursor, setFeedCursor } from '../../../sync/store/feed-cursors.ts';
import { countDeadLetters } from '../../../sync/sync-health.ts';
import { backends } from '../support/backends.ts';
import { order, seedPlant } from '../planning/plant-fixture.ts';
import { waitFor } from '../queue/queue-backends.ts';
import { startTestErp, type Reply, type TestErp } from '../writeback/test-erp.ts';

function event(n: number, quantity: number, workCenter = 'CNC') {
  const wo = order(`WO-${n}`, 10);
  return {
    id: `feed-${n}-${quantity}`, source: 'erp', type: 'work_order.upserted', plant: 'P1',
    occurredAt: '2026-11-23T05:00:00Z', version: quantity,
    data: { ...wo, quantity, operations: [{ id: '10', modes: [{ workCenter, runMinutesPerUnit: 10 }] }] },
  };
}

/** Five events; the fourth refers to an unknown work center and is rejected. */
const EVENTS = [event(1, 5), event(2, 6), event(1, 7), event(3, 1, 'NOPE'), event(2, 8)];

/** Serves EVENTS by offset cursor. */
function feedReply(url: string): Reply {
  const params = new URL(url, 'http://x').searchParams;
  const from = Number(params.get('cursor') ?? '0');
  const limit = Number(params.get('limit'));
  const page = EVENTS.slice(from, from + limit);
  return { status: 200, body: { events: page, nextCursor: String(from + page.length) } };
}

describe.each(backends)('change-feed poller on %o', (makeBackend) => {
  const backend = makeBackend();
  let db: Kysely<Database>;
  let source: TestErp;
  let feed: FeedConfig;
  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db, 'P1', []);
    source = await startTestErp();
    feed = { name: 'erp-main', source: 'erp', url: `${source.url}/feed`, limit: 2, timeoutMs: 500 };
  });
  afterAll(async () => {
    await source.close();
    await backend.close();
  });
  beforeEach(() => { source.requests.length = 0; });

  it('applies pages through ingest, advancing the cursor after each commit and enqueuing the plant', async () => {
    source.respond((r) => feedReply(r.url));
    const queue = new InProcessQueue();
    const first = await pollOnce(db, feed, queue);
    expect(first).toMatchObject({ kind: 'applied', events: 2, cursor: '2', more: true, dirtyPlants: ['P1'] });
    expect(source.requests[0]?.url).toBe('/feed?limit=2');
    expect(await getFeedCursor(db, 'erp', 'erp-main')).toBe('2');
    expect((await queue.counts()).find((c) => c.name === 'reschedule')?.waiting).toBe(1);

    const second = await pollOnce(db, feed, queue);
    expect(source.requests[1]?.url).toBe('/feed?cursor=2&limit=2');
    expect(second).toMatchObject({ kind: 'applied', events: 2, cursor: '4' });
    if (second.kind !== 'applied') throw new Error('unreachable');
    expect(second.outcomes.map((o) => o.status)).toEqual(['accepted', 'rejected']);
    const letter = await db.selectFrom('dead_letters').selectAll().where('key', '=', 'erp:feed-3-1').executeTakeFirstOrThrow();
    expect(letter.kind).toBe('feed-event');

    const third = await pollOnce(db, feed, queue);
    expect(third).toMatchObject({ kind: 'applied', events: 1, cursor: '5', more: false });
    const orders = await db.selectFrom('work_orders').select(['id', 'quantity']).orderBy('id').execute();
    expect(orders).toEqual([{ id: 'WO-1', quantity: 7 }, { id: 'WO-2', quantity: 8 }]);
    await queue.close();
  });

  it('re-reading pages after a lost cursor changes nothing', async () => {
    source.respond((r) => feedReply(r.url));
    await setFeedCursor(db, 'erp', 'erp-main', null);
    const outcome = await pollOnce(db, { ...feed, limit: 10 }, null);
    if (outcome.kind !== 'applied') throw new Error(`unexpected ${outcome.kind}`);
    expect(outcome.outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'rejected', 'duplicate']);
    expect(outcome.dirtyPlants).toEqual([]);
    expect(await getFeedCursor(db, 'erp', 'erp-main')).toBe('5');
  });

  it('keeps the cursor when the source is down or answers garbage', async () => {
    await setFeedCursor(db, 'erp', 'erp-main', '5');
    source.respond(() => ({ status: 503, body: 'down' }));
    expect(await pollOnce(db, feed, null)).toMatchObject({ kind: 'unavailable' });
    source.respond(() => ({ status: 200, body: { items: [] } }));
    expect(await pollOnce(db, feed, null)).toMatchObject({ kind: 'unavailable', reason: 'feed page lacks events or nextCursor' });
    source.respond(() => 'hang');
    expect(await pollOnce(db, feed, null)).toMatchObject({ kind: 'unavailable', reason: 'timeout' });
    expect(await getFeedCursor(db, 'erp', 'erp-main')).toBe('5');
  });

  it('backs off while the source is down, honouring Retry-After, then catches up', async () => {
    await setFeedCursor(db, 'erp', 'erp-main', '3');
    source.respond((r, i) => (i < 2 ? { status: 503, body: 'down' } : i === 2 ? { status: 429, headers: { 'retry-after': '1' } } : feedReply(r.url)));
    const polls: PollOutcome[] = [];
    const poller = startFeedPoller({
      db, feed, queue: null, intervalMs: 60_000, backoff: { attempts: Infinity, baseDelayMs: 50, maxDelayMs: 200 }, onPoll: (o) => polls.push(o),
    });
    try {
      await waitFor(() => polls.some((p) => p.kind === 'applied' && !p.more), 10_000, 'the last page');
      expect(poller.failures).toBe(0);
    } finally {
      await poller.stop();
    }
    expect(polls.slice(0, 3).map((p) => p.kind)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    const at = source.requests.map((r) => r.at);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(20);
    expect((at[3] ?? 0) - (at[2] ?? 0)).toBeGreaterThanOrEqual(950);
    expect(await getFeedCursor(db, 'erp', 'erp-main')).toBe('5');
  });

  it('dead-letters a rejected feed event once, however often its page is read again', async () => {
    const local = { ...feed, name: 'erp-rejects' };
    source.respond(() => ({ status: 200, body: { events: [event(9, 1, 'NOPE')], nextCursor: null } }));
    for (let i = 0; i < 3; i++) expect(await pollOnce(db, local, null)).toMatchObject({ kind: 'applied', events: 1 });
    const letters = await db.selectFrom('dead_letters').select('key').where('kind', '=', 'feed-event').where('key', '=', 'erp:feed-9-1').execute();
    expect(letters).toHaveLength(1);
  });

  it('costs a poison event only itself: its neighbours and the next page applied, the cursor moved on, the event dead-lettered and counted', async () => {
    const local = { ...feed, name: 'erp-poison', limit: 3 };
    const poisoned = [event(20, 1), { ...event(21, 1), data: { ...event(21, 1).data, name: 'NUL\u0000here' } }, { ...event(22, 1), id: 'lone-\uD800' }];
    const pages = [{ events: poisoned, nextCursor: 'p2' }, { events: [event(23, 1)], nextCursor: 'p3' }, { events: [], nextCursor: 'p3' }];
    const lettersBefore = await countDeadLetters(db);
    source.respond((request) => {
      const cursor = new URL(request.url ?? '', 'http://x').searchParams.get('cursor');
      return { status: 200, body: pages[cursor === null ? 0 : cursor === 'p2' ? 1 : 2] };
    });
    expect(await pollOnce(db, local, null)).toMatchObject({ kind: 'applied', events: 3, cursor: 'p2' });
    expect(await pollOnce(db, local, null)).toMatchObject({ kind: 'applied', events: 1, cursor: 'p3' });
    expect(await getFeedCursor(db, 'erp', 'erp-poison')).toBe('p3');
    const stored = await db.selectFrom('work_orders').select('id').where('id', 'in', ['WO-20', 'WO-21', 'WO-22', 'WO-23']).orderBy('id').execute();
    expect(stored.map((r) => r.id)).toEqual(['WO-20', 'WO-23']);
    const letters = await db.selectFrom('dead_letters').select(['key', 'error', 'payload']).where('kind', '=', 'feed-event')
      .where((eb) => eb.or([eb('key', '=', 'erp:feed-21-1'), eb('key', 'like', 'erp:#%')])).orderBy('key').execute();
    // The one without a storable id is keyed by its content; each keeps, readable, what was sent.
    expect(letters.map((l) => l.key)).toEqual([expect.stringMatching(/^erp:#[0-9a-f]{16}$/), 'erp:feed-21-1']);
    expect(JSON.stringify(letters[0]!.payload)).toContain('lone-\\\\ud800');
    expect(JSON.stringify(letters[1]!.payload)).toContain('NUL\\\\u0000here');
    // Read again from the start: the same events, no new letters.
    await setFeedCursor(db, 'erp', 'erp-poison', null);
    await pollOnce(db, local, null);
    // Visible where an operator looks: sync status counts feed events among the dead letters.
    expect(await countDeadLetters(db)).toBe(lettersBefore + 2);
  });

  it('drops a page when another poller moved the cursor meanwhile, so the cursor never goes back', async () => {
    // A source that answers only once the test lets it: by then another poller has moved on.
    let answer: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { answer = resolve; });
    const server = createServer((request, response) => {
      const reply = feedReply(request.url ?? '');
      void gate.then(() => response.end(JSON.stringify(reply === 'hang' ? {} : reply.body)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const local = { ...feed, name: 'erp-race', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed` };
      await setFeedCursor(db, 'erp', 'erp-race', '2');
      const slow = pollOnce(db, local, null);
      await setFeedCursor(db, 'erp', 'erp-race', '4');
      answer();
      expect(await slow).toMatchObject({ kind: 'applied', events: 0, more: true });
      expect(await getFeedCursor(db, 'erp', 'erp-race')).toBe('4');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
