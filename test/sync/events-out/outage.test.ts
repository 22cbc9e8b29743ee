/**
 * A receiver down for hours, in compressed time: the dispatcher runs its real loop with its
 * default backoff on a clock where one real second is one hour, so a 3-hour outage takes three
 * seconds. Nothing is lost within the window, nothing is sent twice, and only past the window
 * do the rows go to the dead letters.
 */
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookAdmin } from '../../../sync/events-out/admin.ts';
import { startWebhookDispatcher, type WebhookDispatcherOptions } from '../../../sync/events-out/dispatcher.ts';
import { enqueuePublicationEvents, type PublishedVersion } from '../../../sync/events-out/enqueue.ts';
import type { PollLoop } from '../../../sync/feeds/poll-loop.ts';
import type { Database } from '../../../sync/store/database.ts';
import { upsertPlant } from '../../../sync/store/plants.ts';
import { postgresBackend } from '../support/backends.ts';
import { sleep, waitFor } from '../queue/queue-backends.ts';
import { order, result } from './results.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const HOUR = 3_600_000;
/** Virtual milliseconds per real millisecond: a real second is an hour. */
const SCALE = 3_600;

describe('webhook dispatcher through a receiver outage (PostgreSQL, compressed time)', () => {
  const backend = postgresBackend();
  let db: Kysely<Database>;
  let receiver: Receiver;
  let loop: PollLoop | null = null;
  let origin = 0;
  let realStart = 0;
  const clock = () => origin + (Date.now() - realStart) * SCALE;
  /** Real milliseconds until the clock reads `virtualMs` after the origin. */
  const untilVirtual = (virtualMs: number) => Math.max(0, realStart + virtualMs / SCALE - Date.now());

  beforeAll(async () => {
    db = await backend.open();
    await upsertPlant(db, { id: 'P1', timeZone: 'UTC' });
    receiver = await startReceiver(clock);
  });
  afterAll(async () => {
    await receiver.close();
    await backend.close();
  });
  beforeEach(async () => {
    origin = Date.parse('2026-11-22T06:00:00Z');
    realStart = Date.now();
    receiver.requests.length = 0;
    receiver.accepted.clear();
    await receiver.up();
    await db.deleteFrom('webhook_subscriptions').execute();
    await db.deleteFrom('dead_letters').execute();
  });
  afterEach(async () => {
    await loop?.stop();
    loop = null;
  });

  function start(options: Partial<WebhookDispatcherOptions> = {}): void {
    // A lease of a virtual hour (a real second) outlasts any local request; the request timeout is real time.
    loop = startWebhookDispatcher({ db, clock, intervalMs: 5, leaseMs: HOUR, timeoutMs: 2_000, ...options });
  }

  /** Three publications in a row, each turning ten orders late or back on time: 33 events. */
  async function publishThree(): Promise<readonly string[]> {
    const created = await createWebhookAdmin(db, clock).createSubscription({ url: receiver.url });
    if (!created.ok) throw new Error(created.message);
    receiver.trust([created.value.secret]);
    const version = (n: number, lateness: number) => ({ version: n, result: result({ orders: Array.from({ length: 10 }, (_, i) => order(`WO-${i}`, lateness)) }) });
    const versions = [version(1, 15), version(2, -15), version(3, 15)];
    let previous: PublishedVersion | null = null;
    for (const current of versions) {
      await db.transaction().execute((trx) => enqueuePublicationEvents(trx, 'P1', previous, current, new Date(clock())));
      previous = current;
    }
    const rows = await db.selectFrom('webhook_deliveries').select('event_id').execute();
    return rows.map((r) => r.event_id).sort();
  }

  const statuses = async () => (await db.selectFrom('webhook_deliveries').select('status').execute()).map((r) => r.status);

  it('loses nothing to a 3-hour outage (503, then connections refused) and delivers each event once', async () => {
    receiver.respond(() => ({ status: 503, body: 'down for maintenance' }));
    const ids = await publishThree();
    expect(ids).toHaveLength(33);
    start();

    await sleep(untilVirtual(1.5 * HOUR));
    await receiver.down();
    const refusedFrom = receiver.requests.length;
    expect(refusedFrom).toBeGreaterThan(33);
    expect(await statuses()).toEqual(ids.map(() => 'pending'));
    await sleep(untilVirtual(3 * HOUR));
    expect(receiver.requests.length).toBe(refusedFrom);
    expect(await statuses()).toEqual(ids.map(() => 'pending'));
    const attempts = await db.selectFrom('webhook_deliveries').select(['attempts', 'last_error']).execute();
    // Every row kept being retried through both phases (how often depends on the machine's speed:
    // in compressed time, a real tenth of a second spent polling is six virtual minutes).
    expect(Math.min(...attempts.map((a) => a.attempts))).toBeGreaterThanOrEqual(3);
    expect(attempts.every((a) => a.last_error?.startsWith('network error'))).toBe(true);

    receiver.respond(() => ({ status: 200 }));
    await receiver.up();
    await waitFor(async () => (await statuses()).every((s) => s === 'delivered'), 10_000, 'every delivery delivered');

    // The receiver de-duplicates by event id: no id twice, none missing, every one signed right.
    expect([...receiver.accepted.keys()].sort()).toEqual(ids);
    expect([...receiver.accepted.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.requests.every((r) => r.signatureOk)).toBe(true);
    expect(await db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);
  });

  it('dead-letters a row only once its retry window is over', async () => {
    receiver.respond(() => ({ status: 500, body: 'still broken' }));
    const ids = await publishThree();
    start({ windowMs: 2 * HOUR });

    await sleep(untilVirtual(1.5 * HOUR));
    expect(await statuses()).toEqual(ids.map(() => 'pending'));
    await waitFor(async () => (await statuses()).every((s) => s === 'dead'), 10_000, 'every delivery dead');
    expect(clock() - origin).toBeGreaterThanOrEqual(2 * HOUR);

    const letters = await db.selectFrom('dead_letters').selectAll().execute();
    expect(letters.map((l) => l.key).sort()).toEqual(ids);
    expect(letters.every((l) => l.kind === 'webhook' && l.attempts >= 3)).toBe(true);
    expect(letters[0]?.error).toMatch(/^gave up after \d+ attempts over 2(\.\d+)? h: HTTP 500: still broken$/);
    expect(receiver.accepted.size).toBe(0);
  });

  it('waits as long as the receiver asks (Retry-After) before trying again', async () => {
    receiver.respond((_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1800' }, body: 'slow down' } : { status: 200 }));
    const created = await createWebhookAdmin(db, clock).createSubscription({ url: receiver.url, eventTypes: ['schedule.published'] });
    if (!created.ok) throw new Error(created.message);
    receiver.trust([created.value.secret]);
    await enqueuePublicationEvents(db, 'P1', null, { version: 1, result: result() }, new Date(clock()));
    start();
    await waitFor(() => receiver.accepted.size === 1, 10_000, 'the event accepted');
    const [first, second] = receiver.requests;
    expect(receiver.requests).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_800_000);
  });
});
