/**
 * Strings PostgreSQL cannot store (a NUL, an unpaired surrogate), through the API on the real
 * core and PostgreSQL: an event carrying one is rejected alone with its field, its neighbours
 * stored; a path parameter, a query or another body with one is a 400 with the field; none is a 500.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { createKeyAdmin } from '../../sync/keys/admin.ts';
import { InProcessQueue } from '../../sync/queue/in-process-queue.ts';
import { createApiKey } from '../../sync/store/api-keys.ts';
import type { Db } from '../../sync/store/database.ts';
import { createTakt } from '../../sync/takt.ts';
import { postgresBackend } from '../sync/support/backends.ts';

const event = (id: string, data: Record<string, unknown>) => ({
  id, source: 'erp', type: 'item.upserted', plant: 'P1', occurredAt: '2026-11-23T06:00:00Z', version: 1, data,
});

describe('strings the store cannot hold (PostgreSQL)', () => {
  const backend = postgresBackend();
  let db: Db;
  let app: FastifyInstance;
  let token = '';

  beforeAll(async () => {
    db = await backend.open();
    app = await buildApp({ takt: createTakt({ db, queue: new InProcessQueue(), writebacks: false }), keys: createKeyAdmin(db) });
    token = (await createApiKey(db, { name: 'all', scopes: ['admin', 'erp', 'planner'] })).token;
    const plant = await app.inject({
      method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${token}` },
      payload: { events: [{ id: 'p', source: 'erp', type: 'plant.upserted', plant: 'P1', occurredAt: '2026-11-23T06:00:00Z', version: 1, data: { id: 'P1', timeZone: 'UTC' } }] },
    });
    expect(plant.statusCode, plant.body).toBe(202);
  });
  afterAll(async () => {
    await app?.close();
    await backend.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined && { payload: payload as object }) });

  it('rejects the event that carries one, with its field, and stores the others', async () => {
    const res = await call('POST', '/v1/events', {
      events: [
        event('good-1', { id: 'BOLT', name: 'Bolt M8', uom: 'pcs' }),
        event('nul-name', { id: 'NUT', name: 'Nut\u0000M8', uom: 'pcs' }),
        event('lone\uD800', { id: 'WASHER', name: 'Washer', uom: 'pcs' }),
        event('good-2', { id: 'PIN', name: 'Pin', uom: 'pcs' }),
      ],
    });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json() as { accepted: number; rejected: number; results: { id: string; status: string; code?: string; field?: string }[] };
    expect(body, JSON.stringify(body.results)).toMatchObject({ accepted: 2, rejected: 2 });
    expect(body.results[1]).toMatchObject({ id: 'nul-name', status: 'rejected', code: 'invalid-data', field: 'data.name' });
    expect(body.results[2]).toMatchObject({ id: '#2', status: 'rejected', code: 'invalid-envelope', field: 'id' });
    const items = await db.selectFrom('items').select('id').where('plant', '=', 'P1').orderBy('id').execute();
    expect(items.map((i) => i.id)).toEqual(['BOLT', 'PIN']);
  });

  it('answers a path parameter, a query or a body with one with 400 and the field', async () => {
    const path = await call('GET', '/v1/plants/P1%00/schedule');
    expect(path.statusCode).toBe(400);
    expect(path.json().error).toMatchObject({ code: 'validation_failed', field: 'params.plant' });
    const query = await call('GET', '/v1/sync/dead-letters?kind=write%00back');
    expect(query.statusCode).toBe(400);
    expect(query.json().error).toMatchObject({ code: 'validation_failed', field: 'query.kind' });
    const body = await call('POST', '/v1/keys', { name: 'bad\u0000name', scopes: ['mes'] });
    expect(body.statusCode).toBe(400);
    expect(body.json().error).toMatchObject({ code: 'validation_failed', field: 'body.name' });
    expect((await call('POST', '/v1/keys', { name: 'good name', scopes: ['mes'] })).statusCode).toBe(201);
  });
});
