import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookAdmin } from '../../sync/events-out/admin.ts';
import { enqueuePublicationEvents } from '../../sync/events-out/enqueue.ts';
import type { Database } from '../../sync/store/database.ts';
import { upsertPlant } from '../../sync/store/plants.ts';
import { pgliteBackend } from '../sync/support/backends.ts';
import { order, result } from '../sync/events-out/results.ts';
import { KEYS } from './fake-takt.ts';
import { bearer, testApp } from './helpers.ts';

const NOW = Date.parse('2026-11-22T06:00:00Z');
const HOUR = 3_600_000;

describe('/v1/webhooks', () => {
  const backend = pgliteBackend();
  let db: Kysely<Database>;
  let now = NOW;

  beforeAll(async () => {
    db = await backend.open();
    await upsertPlant(db, { id: 'P1', timeZone: 'UTC' });
  });
  afterAll(() => backend.close());
  beforeEach(async () => {
    now = NOW;
    await db.deleteFrom('webhook_subscriptions').execute();
  });

  const app = async () => (await testApp({ webhooks: createWebhookAdmin(db, () => now) })).app;
  const admin = bearer(KEYS.admin);

  async function create(body: Record<string, unknown>) {
    return (await app()).inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers: admin, payload: body });
  }

  it('creates a subscription and answers its secret, this once', async () => {
    const res = await create({ url: 'https://erp.example.com/takt', eventTypes: ['shortage.raised', 'shortage.cleared'], plants: ['P1'], description: 'procurement' });
    expect(res.statusCode).toBe(201);
    const body = res.json() as { subscription: Record<string, unknown>; secret: string };
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(body.subscription).toEqual({
      id: expect.stringMatching(/^whs_[0-9a-f]{16}$/), url: 'https://erp.example.com/takt', description: 'procurement',
      plants: ['P1'], eventTypes: ['shortage.raised', 'shortage.cleared'], active: true,
      createdAt: '2026-11-22T06:00:00.000Z', secretRotatedAt: null, previousSecretValidUntil: null,
    });
    // Stored as is: takt signs with it.
    const row = await db.selectFrom('webhook_subscriptions').select('secret').executeTakeFirstOrThrow();
    expect(row.secret).toBe(body.secret);
  });

  it('lists subscriptions without any secret', async () => {
    const created = (await create({ url: 'https://mes.example.com/hook' })).json() as { secret: string; subscription: { id: string } };
    const server = await app();
    await server.inject({ method: 'POST', url: `/v1/webhooks/subscriptions/${created.subscription.id}/rotate-secret`, headers: admin });
    const res = await server.inject({ method: 'GET', url: '/v1/webhooks/subscriptions', headers: admin });
    expect(res.statusCode).toBe(200);
    const [listed] = (res.json() as { subscriptions: Record<string, unknown>[] }).subscriptions;
    expect(listed).toMatchObject({ id: created.subscription.id, plants: null, eventTypes: null, description: null });
    expect(Object.keys(listed!).filter((k) => /secret$/i.test(k))).toEqual([]);
    const stored = await db.selectFrom('webhook_subscriptions').select(['secret', 'previous_secret']).executeTakeFirstOrThrow();
    for (const secret of [created.secret, stored.secret, stored.previous_secret!]) expect(res.body).not.toContain(secret);
  });

  it('rotates: a new secret once, the old one signing too for the overlap', async () => {
    const created = (await create({ url: 'https://mes.example.com/hook' })).json() as { secret: string; subscription: { id: string } };
    now += HOUR;
    const server = await app();
    const rotate = (payload?: Record<string, unknown>) => server.inject({
      method: 'POST', url: `/v1/webhooks/subscriptions/${created.subscription.id}/rotate-secret`, headers: admin, ...(payload && { payload }),
    });

    const first = await rotate();
    expect(first.statusCode).toBe(200);
    const rotated = first.json() as { secret: string; subscription: Record<string, unknown> };
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.subscription).toMatchObject({ secretRotatedAt: new Date(now).toISOString(), previousSecretValidUntil: new Date(now + 24 * HOUR).toISOString() });
    expect(await db.selectFrom('webhook_subscriptions').select(['secret', 'previous_secret']).executeTakeFirstOrThrow())
      .toEqual({ secret: rotated.secret, previous_secret: created.secret });

    const short = (await rotate({ overlapSeconds: 600 })).json() as { subscription: Record<string, unknown> };
    expect(short.subscription['previousSecretValidUntil']).toBe(new Date(now + 600_000).toISOString());
    const cut = (await rotate({ overlapSeconds: 0 })).json() as { subscription: Record<string, unknown> };
    expect(cut.subscription['previousSecretValidUntil']).toBeNull();

    expect((await rotate({ overlapSeconds: -1 })).json()).toMatchObject({ error: { code: 'validation_failed' } });
    const missing = await server.inject({ method: 'POST', url: '/v1/webhooks/subscriptions/whs_nope/rotate-secret', headers: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'webhook_subscription_not_found', field: 'params.id' } });
  });

  it('deletes a subscription with its deliveries', async () => {
    const created = (await create({ url: 'https://mes.example.com/hook' })).json() as { subscription: { id: string } };
    await enqueuePublicationEvents(db, 'P1', null, { version: 1, result: result() }, new Date(now));
    const server = await app();
    const url = `/v1/webhooks/subscriptions/${created.subscription.id}`;
    const res = await server.inject({ method: 'DELETE', url, headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: created.subscription.id, deleted: true });
    expect(await db.selectFrom('webhook_deliveries').selectAll().execute()).toEqual([]);
    expect((await server.inject({ method: 'DELETE', url, headers: admin })).json()).toMatchObject({ error: { code: 'webhook_subscription_not_found' } });
  });

  it('lists deliveries by status and subscription, newest first', async () => {
    const a = (await create({ url: 'https://a.example.com/hook' })).json() as { subscription: { id: string } };
    const b = (await create({ url: 'https://b.example.com/hook', eventTypes: ['schedule.published'] })).json() as { subscription: { id: string } };
    await enqueuePublicationEvents(db, 'P1', null, { version: 1, result: result({ orders: [order('WO-1', 10)] }) }, new Date(now));
    await db.updateTable('webhook_deliveries').set({ status: 'delivered', delivered_at: new Date(now), attempts: 1 })
      .where('event_id', '=', 'P1:v1:schedule.published').where('subscription', '=', a.subscription.id).execute();
    const server = await app();
    const list = async (query: string) => server.inject({ method: 'GET', url: `/v1/webhooks/deliveries${query}`, headers: admin });

    const all = (await list('')).json() as { deliveries: { eventId: string; subscription: string; status: string }[] };
    expect(all.deliveries).toHaveLength(3);
    const mine = (await list(`?subscription=${a.subscription.id}&status=pending`)).json() as typeof all;
    expect(mine.deliveries.map((d) => [d.subscription, d.eventId, d.status])).toEqual([[a.subscription.id, 'P1:v1:order.late:WO-1', 'pending']]);
    expect(mine.deliveries[0]).toMatchObject({
      type: 'order.late', plant: 'P1', attempts: 0, lastError: null, deliveredAt: null, createdAt: '2026-11-22T06:00:00.000Z',
      event: { id: 'P1:v1:order.late:WO-1', type: 'order.late', version: 1, data: { workOrder: 'WO-1', latenessMinutes: 10 } },
    });
    expect(((await list(`?subscription=${b.subscription.id}`)).json() as typeof all).deliveries.map((d) => d.eventId)).toEqual(['P1:v1:schedule.published']);
    expect(((await list('?status=delivered')).json() as typeof all).deliveries).toHaveLength(1);
    expect(((await list('?limit=1')).json() as typeof all).deliveries).toHaveLength(1);
    expect((await list('?status=lost')).json()).toMatchObject({ error: { code: 'validation_failed' } });
    const unknown = await list('?subscription=whs_nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'webhook_subscription_not_found', field: 'query.subscription' } });
  });

  it.each([
    [{ url: 'ftp://erp.example.com/x' }, 400, 'validation_failed'],
    [{ url: 'not a url' }, 400, 'validation_failed'],
    [{ url: 'https://user:pw@erp.example.com/x' }, 400, 'invalid_webhook_url'],
    [{ url: 'https://erp.example.com/x', eventTypes: ['order.lost'] }, 400, 'validation_failed'],
    [{ url: 'https://erp.example.com/x', eventTypes: [] }, 400, 'validation_failed'],
    [{ url: 'https://erp.example.com/x', secret: 'mine' }, 400, 'validation_failed'],
    [{ url: 'https://erp.example.com/x', plants: ['P9'] }, 404, 'plant_not_found'],
  ])('refuses %j with %i %s', async (body, status, code) => {
    const res = await create(body);
    expect(res.statusCode).toBe(status);
    expect((res.json() as { error: { code: string } }).error.code).toBe(code);
    expect(await db.selectFrom('webhook_subscriptions').selectAll().execute()).toEqual([]);
  });

  it('is for admins only', async () => {
    const server = await app();
    for (const [method, url] of [['GET', '/v1/webhooks/subscriptions'], ['POST', '/v1/webhooks/subscriptions'], ['GET', '/v1/webhooks/deliveries'],
      ['DELETE', '/v1/webhooks/subscriptions/whs_1'], ['POST', '/v1/webhooks/subscriptions/whs_1/rotate-secret']] as const) {
      expect((await server.inject({ method, url })).statusCode).toBe(401);
      const planner = await server.inject({ method, url, headers: bearer(KEYS.planner) });
      expect(planner.statusCode).toBe(403);
      expect(planner.json()).toMatchObject({ error: { code: 'forbidden_scope' } });
    }
  });

  it('is served, and documented, only when the app is given a WebhookAdmin', async () => {
    const { app: without } = await testApp();
    expect((await without.inject({ method: 'GET', url: '/v1/webhooks/subscriptions', headers: admin })).statusCode).toBe(404);
    const doc = (await (await app()).inject('/docs/json')).json() as { paths: Record<string, Record<string, { security?: unknown; tags?: string[] }>> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/v1/webhooks')).sort()).toEqual([
      '/v1/webhooks/deliveries', '/v1/webhooks/subscriptions', '/v1/webhooks/subscriptions/{id}', '/v1/webhooks/subscriptions/{id}/rotate-secret',
    ]);
    expect(doc.paths['/v1/webhooks/subscriptions']?.['post']).toMatchObject({ security: [{ bearer: [] }], tags: ['webhooks'] });
  });
});
