import { describe, expect, it } from 'vitest';
import { summarize } from '../../api/routes/events.ts';
import { KEYS } from './fake-takt.ts';
import { bearer, event, testApp } from './helpers.ts';

const post = (payload: unknown, key: string = KEYS.erp) => ({
  method: 'POST' as const,
  url: '/v1/events',
  headers: bearer(key),
  payload: payload as object,
});

describe('POST /v1/events', () => {
  it('answers 202 with per-event outcomes and counts', async () => {
    const { app, takt } = await testApp();
    await app.inject(post({ events: [event({ id: 'e0', version: 5, data: { id: 'WO7' } })] }));
    const res = await app.inject(
      post({
        events: [
          event({ id: 'e1', data: { id: 'WO1' } }),
          event({ id: 'e0', version: 5, data: { id: 'WO7' } }),
          event({ id: 'e2', version: 4, data: { id: 'WO7' } }),
          event({ id: 'e3', plant: 'NOPE' }),
        ],
      }),
    );
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      results: [
        { id: 'e1', status: 'accepted' },
        { id: 'e0', status: 'duplicate' },
        { id: 'e2', status: 'stale', storedVersion: 5, reason: 'version is older than the stored version 5' },
        { id: 'e3', status: 'rejected', code: 'unknown_reference', field: 'plant', reason: 'unknown plant NOPE' },
      ],
      accepted: 1,
      duplicate: 1,
      stale: 1,
      rejected: 1,
    });
    expect(takt.ingested.map((e) => e.id)).toEqual(['e0', 'e1']);
  });

  it('passes the envelope through unchanged', async () => {
    const { app, takt } = await testApp();
    const sent = event({ id: 'w1', source: 'wms', type: 'lot.upserted', data: { id: 'L1', item: 'A', quantity: 5 } });
    await app.inject(post({ events: [sent] }, KEYS.wms));
    expect(takt.ingested).toEqual([sent]);
  });

  it('rejects a malformed envelope on its own, naming its field, and still accepts the rest of the batch', async () => {
    const { app, takt } = await testApp();
    const res = await app.inject(post({ events: [event(), event({ id: 'e2', version: 'seven' })] }));
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected).toBe(1);
    expect(body.results[1]).toMatchObject({ id: 'e2', status: 'rejected', code: 'invalid-envelope', field: 'version' });
    expect(takt.ingested.map((e) => e.id)).toEqual([event().id]);
  });

  it.each([
    ['a missing field', { ...event(), plant: undefined }, 'plant'],
    ['an unknown source', event({ source: 'crm' }), 'source'],
    ['an instant without offset', event({ occurredAt: '2026-11-22T08:00:00' }), 'occurredAt'],
    ['an unknown envelope field', event({ tenant: 'x' }), 'tenant'],
    ['a non-object data', event({ data: [] }), 'data'],
  ])('rejects an envelope with %s, naming the field', async (_name, envelope, field) => {
    const { app, takt } = await testApp();
    const res = await app.inject(post({ events: [envelope] }));
    expect(res.statusCode).toBe(202);
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', code: 'invalid-envelope', field });
    expect(takt.ingested).toEqual([]);
  });

  it.each([
    ['an empty batch', { events: [] }, 'body.events', 'must NOT have fewer than 1 items'],
    ['no events at all', {}, 'body.events', 'is required'],
    ['an unknown top-level field', { events: [event()], extra: 1 }, 'body.extra', 'is not an allowed field'],
  ])('rejects %s', async (_name, payload, field, message) => {
    const { app } = await testApp();
    const res = await app.inject(post(payload));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'validation_failed', field, message: `${field} ${message}` });
  });

  it('rejects more than 1000 events', async () => {
    const { app } = await testApp();
    const events = Array.from({ length: 1001 }, (_, i) => event({ id: `e${i}` }));
    const res = await app.inject(post({ events }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('body.events');
    const ok = await app.inject(post({ events: events.slice(0, 1000) }));
    expect(ok.statusCode).toBe(202);
    expect(ok.json().accepted).toBe(1000);
    expect(ok.json().results).toHaveLength(1000);
  });

  it('refuses events of a source the key does not send for (403 forbidden_scope, whole batch)', async () => {
    const { app, takt } = await testApp();
    const res = await app.inject(post({ events: [event(), event({ id: 'q1', source: 'qms', type: 'hold.placed' })] }));
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'forbidden_scope', field: 'body.events[1].source' });
    expect(takt.ingested).toEqual([]);
  });

  it('refuses events for a plant outside the key’s list (403 forbidden_plant)', async () => {
    const { app } = await testApp();
    const res = await app.inject(post({ events: [event({ plant: 'P2', id: 'a' }), event({ plant: 'P1', id: 'b' })] }, KEYS.erpP2));
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'forbidden_plant', field: 'body.events[1].plant' });
  });

  it('lets an admin key send for any source', async () => {
    const { app } = await testApp();
    const res = await app.inject(post({ events: [event({ source: 'mes', type: 'downtime.started', data: { id: 'D1' } })] }, KEYS.admin));
    expect(res.statusCode).toBe(202);
    expect(res.json().accepted).toBe(1);
  });
});

describe('summarize', () => {
  it('counts each status and keeps a rejection without field free of one', () => {
    expect(
      summarize([
        { id: 'a', status: 'accepted' },
        { id: 'b', status: 'rejected', code: 'bad', reason: 'no' },
        { id: 'c', status: 'accepted' },
      ]),
    ).toEqual({
      results: [
        { id: 'a', status: 'accepted' },
        { id: 'b', status: 'rejected', code: 'bad', reason: 'no' },
        { id: 'c', status: 'accepted' },
      ],
      accepted: 2,
      duplicate: 0,
      stale: 0,
      rejected: 1,
    });
  });
});
