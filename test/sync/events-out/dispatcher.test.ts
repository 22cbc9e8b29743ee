/**
 * The dispatcher against a local receiver, one round at a time on a clock the test moves:
 * signatures, refusals, redirects, replay, rotation, a crash mid-delivery.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySignature as verifyInbound } from '../../../api/signature.ts';
import { createWebhookAdmin } from '../../../sync/events-out/admin.ts';
import { claimDueDeliveries } from '../../../sync/events-out/deliveries.ts';
import { createWebhookDispatch } from '../../../sync/events-out/dispatcher.ts';
import { enqueuePublicationEvents } from '../../../sync/events-out/enqueue.ts';
import type { NewSubscriptionRequest } from '../../../sync/events-out/port.ts';
import { replayWebhookDeadLetter } from '../../../sync/events-out/replay.ts';
import { toJson, type Database } from '../../../sync/store/database.ts';
import { upsertPlant } from '../../../sync/store/plants.ts';
import { verifySignature } from '../../../sync/webhook-signature.ts';
import { backends } from '../support/backends.ts';
import { order, result } from './results.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const HOUR = 3_600_000;
const onTime = { version: 1, result: result({ orders: [order('WO-1', -5), order('WO-2', -5)] }) };
const late = { version: 2, result: result({ orders: [order('WO-1', 30), order('WO-2', -5)] }) };

describe.each(backends)('webhook dispatcher on $name', (makeBackend) => {
  const backend = makeBackend();
  let db: Kysely<Database>;
  let receiver: Receiver;
  let now = Date.now();
  const clock = () => now;

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
    now = Date.now();
    receiver.requests.length = 0;
    receiver.accepted.clear();
    receiver.respond(() => ({ status: 200 }));
    await db.deleteFrom('webhook_deliveries').execute();
    await db.deleteFrom('webhook_subscriptions').execute();
    await db.deleteFrom('dead_letters').execute();
  });

  const admin = () => createWebhookAdmin(db, clock);
  async function subscribe(request: Partial<NewSubscriptionRequest> = {}): Promise<{ id: string; secret: string }> {
    const created = await admin().createSubscription({ url: receiver.url, ...request });
    if (!created.ok) throw new Error(created.message);
    receiver.trust([created.value.secret]);
    return { id: created.value.subscription.id, secret: created.value.secret };
  }
  async function drain(): Promise<void> {
    const dispatch = createWebhookDispatch({ db, clock, retry: { attempts: Infinity, baseDelayMs: 1_000, maxDelayMs: 60_000 }, windowMs: HOUR, random: () => 0.5 });
    while ((await dispatch()).more);
  }
  const deliveries = () => db.selectFrom('webhook_deliveries').selectAll().orderBy('event_id').execute();

  it('POSTs each event once, signed as takt verifies inbound webhooks, with the event id as idempotency key', async () => {
    const { secret } = await subscribe({ eventTypes: ['order.late', 'schedule.published'] });
    await enqueuePublicationEvents(db, 'P1', onTime, late, new Date(now));
    await drain();
    await drain();

    expect(receiver.requests.map((r) => r.eventId).sort()).toEqual(['P1:v2:order.late:WO-1', 'P1:v2:schedule.published']);
    const stored = new Map((await deliveries()).map((d) => [d.event_id, d]));
    for (const request of receiver.requests) {
      const header = String(request.headers['x-takt-signature']);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      // Both verifiers, the inbound one of api/ and the shared one of sync/, at the real time.
      const nowSeconds = Math.floor(Date.now() / 1000);
      expect(verifyInbound(header, Buffer.from(request.body), [secret], nowSeconds)).toEqual({ ok: true });
      expect(verifySignature(header, Buffer.from(request.body), [secret], nowSeconds)).toEqual({ ok: true });
      expect(verifyInbound(header, Buffer.from(request.body), ['whsec_other'], nowSeconds).ok).toBe(false);
      expect(verifyInbound(header, Buffer.from(`${request.body} `), [secret], nowSeconds).ok).toBe(false);

      const event = JSON.parse(request.body) as { id: string; type: string; plant: string; version: number; occurredAt: string; data: unknown };
      expect(request.headers['idempotency-key']).toBe(event.id);
      expect(request.headers['x-takt-event-id']).toBe(event.id);
      expect(request.headers['x-takt-event-type']).toBe(event.type);
      expect(request.headers['content-type']).toBe('application/json');
      expect(event).toMatchObject({ plant: 'P1', version: 2, occurredAt: new Date(now).toISOString() });
      expect(event).toEqual(stored.get(event.id)?.payload);
    }
    for (const row of stored.values()) {
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_error: null, in_flight_until: null });
      expect(new Date(row.delivered_at!).getTime()).toBe(now);
    }
  });

  it('dead-letters a refusal (400) at once, with the receiver\'s message, and replays it', async () => {
    const { id: subscription } = await subscribe({ eventTypes: ['order.late'] });
    receiver.respond(() => ({ status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message: 'unknown order WO-1' } }) }));
    await enqueuePublicationEvents(db, 'P1', onTime, late, new Date(now));
    await drain();
    now += 10 * HOUR;
    await drain();

    expect(receiver.requests).toHaveLength(1);
    const [row] = await deliveries();
    expect(row).toMatchObject({ status: 'dead', attempts: 1, last_error: 'refused with HTTP 400: unknown order WO-1' });
    const letters = await db.selectFrom('dead_letters').selectAll().execute();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ kind: 'webhook', plant: 'P1', key: 'P1:v2:order.late:WO-1', attempts: 1, error: 'refused with HTTP 400: unknown order WO-1' });
    expect(letters[0]?.payload).toMatchObject({ deliveryId: row?.id, subscription, url: receiver.url, event: { id: 'P1:v2:order.late:WO-1' } });

    receiver.respond(() => ({ status: 204 }));
    const letter = letters[0]!.id;
    expect(await replayWebhookDeadLetter(db, letter, new Date(now))).toEqual({ ok: true, value: { id: letter, requeued: true } });
    expect(await replayWebhookDeadLetter(db, letter, new Date(now))).toMatchObject({ ok: false, code: 'already-replayed' });
    await drain();
    expect(receiver.accepted.get('P1:v2:order.late:WO-1')).toBe(1);
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('leaves other kinds of dead letters to their own replay', async () => {
    await db.insertInto('dead_letters').values({ id: 'wb-1', kind: 'writeback', plant: 'P1', key: 'k', error: 'x', attempts: 1, payload: toJson({ outboxId: 'o' }) }).execute();
    expect(await replayWebhookDeadLetter(db, 'wb-1')).toMatchObject({ ok: false, code: 'not-replayable' });
    expect(await replayWebhookDeadLetter(db, 'nope')).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('does not follow a redirect: the signed body goes only where it was subscribed', async () => {
    await subscribe({ eventTypes: ['order.late'] });
    receiver.respond((_r, i) => (i === 0 ? { status: 302, headers: { location: `${receiver.url}/elsewhere` } } : { status: 200 }));
    await enqueuePublicationEvents(db, 'P1', onTime, late, new Date(now));
    await drain();
    expect(receiver.requests).toHaveLength(1);
    expect((await deliveries())[0]).toMatchObject({ status: 'dead' });
  });

  it('retries a failure with backoff and honours Retry-After', async () => {
    await subscribe({ eventTypes: ['order.late'] });
    receiver.respond((_r, i) => (i === 0 ? { status: 503, headers: { 'retry-after': '120' }, body: 'maintenance' } : { status: 200 }));
    await enqueuePublicationEvents(db, 'P1', onTime, late, new Date(now));
    await drain();
    const [waiting] = await deliveries();
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 503: maintenance', in_flight_until: null });
    expect(new Date(waiting!.next_attempt_at).getTime()).toBe(now + 120_000);
    now += 119_000;
    await drain();
    expect(receiver.requests).toHaveLength(1);
    now += 1_000;
    await drain();
    expect(receiver.requests).toHaveLength(2);
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('sends again under the same id when a dispatcher died mid-delivery (its lease ran out)', async () => {
    await subscribe({ eventTypes: ['order.late'] });
    await enqueuePublicationEvents(db, 'P1', onTime, late, new Date(now));
    // A dispatcher claims the row and dies before sending or recording anything.
    expect(await claimDueDeliveries(db, new Date(now), 60_000, 8)).toHaveLength(1);
    await drain();
    expect(receiver.requests).toHaveLength(0);
    now += 60_000;
    await drain();
    expect(receiver.requests.map((r) => r.eventId)).toEqual(['P1:v2:order.late:WO-1']);
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('signs with both secrets during a rotation\'s overlap, then with the new one only', async () => {
    const { id, secret: oldSecret } = await subscribe({ eventTypes: ['order.late'] });
    const rotated = await admin().rotateSecret(id, { overlapSeconds: 3600 });
    if (!rotated.ok) throw new Error(rotated.message);
    const newSecret = rotated.value.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.value.subscription.previousSecretValidUntil).toBe(new Date(now + HOUR).toISOString());

    await enqueuePublicationEvents(db, 'P1', onTime, late, new Date(now));
    await drain();
    const during = receiver.requests[0]!;
    const header = String(during.headers['x-takt-signature']);
    const t = Number(/t=(\d+)/.exec(header)?.[1]);
    expect(header.match(/v1=/g)).toHaveLength(2);
    // A receiver still on the old secret and one already on the new one both accept it.
    expect(verifyInbound(header, Buffer.from(during.body), [oldSecret], t).ok).toBe(true);
    expect(verifyInbound(header, Buffer.from(during.body), [newSecret], t).ok).toBe(true);

    now += HOUR;
    await enqueuePublicationEvents(db, 'P1', late, { version: 3, result: result({ orders: [order('WO-1', 30), order('WO-2', 5)] }) }, new Date(now));
    receiver.trust([newSecret]);
    await drain();
    const after = receiver.requests[1]!;
    const afterHeader = String(after.headers['x-takt-signature']);
    const t2 = Number(/t=(\d+)/.exec(afterHeader)?.[1]);
    expect(afterHeader.match(/v1=/g)).toHaveLength(1);
    expect(verifyInbound(afterHeader, Buffer.from(after.body), [oldSecret], t2).ok).toBe(false);
    expect(verifyInbound(afterHeader, Buffer.from(after.body), [newSecret], t2).ok).toBe(true);
    expect(after.signatureOk).toBe(true);
  });

  it('drops the old secret at once when rotated with no overlap (after a leak)', async () => {
    const { id, secret: oldSecret } = await subscribe({ eventTypes: ['order.late'] });
    const rotated = await admin().rotateSecret(id, { overlapSeconds: 0 });
    if (!rotated.ok) throw new Error(rotated.message);
    expect(rotated.value.subscription.previousSecretValidUntil).toBeNull();
    receiver.trust([oldSecret]);
    await enqueuePublicationEvents(db, 'P1', onTime, late, new Date(now));
    await drain();
    // The receiver on the leaked secret refuses (401): a refusal, dead at once, replayable once it has the new secret.
    expect(receiver.requests[0]?.signatureOk).toBe(false);
    expect((await deliveries())[0]).toMatchObject({ status: 'dead' });
  });

  it('sends nothing for a paused subscription and nothing for a deleted one', async () => {
    const paused = await subscribe({ eventTypes: ['order.late'] });
    const deleted = await subscribe({ eventTypes: ['order.late'] });
    await enqueuePublicationEvents(db, 'P1', onTime, late, new Date(now));
    await db.updateTable('webhook_subscriptions').set({ active: false }).where('id', '=', paused.id).execute();
    expect(await admin().deleteSubscription(deleted.id)).toEqual({ ok: true, value: { id: deleted.id, deleted: true } });
    await drain();
    expect(receiver.requests).toHaveLength(0);
    expect((await deliveries()).map((d) => [d.subscription, d.status])).toEqual([[paused.id, 'pending']]);
  });
});
