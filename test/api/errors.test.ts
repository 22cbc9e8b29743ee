import { describe, expect, it } from 'vitest';
import { errorStatus, statusOfCode } from '../../api/errors.ts';
import { toApiError } from '../../api/error-handler.ts';
import { KEYS } from './fake-takt.ts';
import { bearer, event, testApp } from './helpers.ts';

describe('error registry', () => {
  it('maps each code to its status, *_not_found to 404 and other core codes to 422', () => {
    expect(statusOfCode('unauthorized')).toBe(401);
    expect(statusOfCode('forbidden_plant')).toBe(403);
    expect(statusOfCode('payload_too_large')).toBe(413);
    expect(statusOfCode('lot_not_found')).toBe(404);
    expect(statusOfCode('routing_cycle')).toBe(422);
    expect(Object.values(errorStatus).every((s) => s >= 400 && s < 600)).toBe(true);
  });

  it('hides the message of an unexpected error', () => {
    const error = toApiError(new TypeError('cannot read x of undefined'));
    expect({ code: error.code, status: error.status, message: error.message }).toEqual({
      code: 'internal',
      status: 500,
      message: 'internal server error',
    });
  });
});

describe('error answers', () => {
  const erp = { ...bearer(KEYS.erp), 'content-type': 'application/json' };

  it('413 payload_too_large above the default 5 MB', async () => {
    const { app } = await testApp();
    const payload = JSON.stringify({ events: [event({ data: { id: 'x', blob: 'x'.repeat(5 * 1024 * 1024) } })] });
    const res = await app.inject({ method: 'POST', url: '/v1/events', headers: erp, payload });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'payload_too_large', message: 'request body is larger than the limit' } });
  });

  it('honours a configured body limit', async () => {
    const { app } = await testApp({ bodyLimitBytes: 1024 });
    const small = JSON.stringify({ events: [event()] });
    expect((await app.inject({ method: 'POST', url: '/v1/events', headers: erp, payload: small })).statusCode).toBe(202);
    const big = JSON.stringify({ events: [event({ data: { id: 'x', pad: 'x'.repeat(2000) } })] });
    expect((await app.inject({ method: 'POST', url: '/v1/events', headers: erp, payload: big })).statusCode).toBe(413);
  });

  it('415 unsupported_media_type for a non-JSON body', async () => {
    const { app } = await testApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...bearer(KEYS.erp), 'content-type': 'text/plain' },
      payload: 'events=1',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('400 invalid_json for malformed JSON', async () => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/events', headers: erp, payload: '{"events": [' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
    // Where it breaks, as JSON.parse says it.
    expect(res.json().error.message).toMatch(/^request body is not valid JSON: .+/);
  });

  it.each([
    '{"events":[],"__proto__":{"x":1}}',
    '{"events":[{"id":"e1","data":{"constructor":{"prototype":{"x":1}}}}]}',
  ])('refuses prototype poisoning in JSON, saying so (%s)', async (payload) => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/events', headers: erp, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'forbidden_json_key', message: 'request body holds a "__proto__" or "constructor.prototype" key, which takt refuses' });
  });

  it('accepts JSON with a charset parameter', async () => {
    const { app } = await testApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...bearer(KEYS.erp), 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ events: [event()] }),
    });
    expect(res.statusCode).toBe(202);
  });

  it('404 not_found for an unknown route', async () => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route POST /v1/nowhere' } });
  });

  it('500 internal when the core throws, without leaking the cause', async () => {
    const { app, takt } = await testApp();
    takt.syncStatus = async () => {
      throw new Error('connection to 10.0.0.5:5432 refused');
    };
    const res = await app.inject({ url: '/v1/sync/status', headers: bearer(KEYS.admin) });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal', message: 'internal server error' } });
  });

  it('400 validation_failed for a too-long path parameter', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: `/v1/plants/P1/work-orders/${'x'.repeat(201)}`, headers: bearer(KEYS.planner) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', field: 'params.id' });
  });
});
