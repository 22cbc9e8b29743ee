import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { bearerToken, hasScope } from '../../api/auth.ts';
import { FakeTakt, KEYS } from './fake-takt.ts';
import { bearer, event, testApp } from './helpers.ts';

/** Refusals change nothing, so they share one app; admitted calls get a fresh one each. */
let shared: FastifyInstance;
beforeAll(async () => {
  shared = await buildApp({ takt: new FakeTakt() });
});
afterAll(() => shared.close());

interface RouteCase {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly payload?: object;
  /** A key with the route's scope, a key without it. */
  readonly allowed: string;
  readonly denied: string;
  readonly okStatus: number;
}

const routes: readonly RouteCase[] = [
  { method: 'POST', url: '/v1/events', payload: { events: [event()] }, allowed: KEYS.erp, denied: KEYS.planner, okStatus: 202 },
  { method: 'GET', url: '/v1/plants', allowed: KEYS.planner, denied: KEYS.mes, okStatus: 200 },
  { method: 'GET', url: '/v1/plants/P1/schedule', allowed: KEYS.mes, denied: KEYS.erp, okStatus: 200 },
  { method: 'POST', url: '/v1/plants/P1/reschedule', payload: {}, allowed: KEYS.planner, denied: KEYS.mes, okStatus: 200 },
  { method: 'POST', url: '/v1/plants/P1/what-if', payload: {}, allowed: KEYS.planner, denied: KEYS.mes, okStatus: 200 },
  { method: 'GET', url: '/v1/plants/P1/work-orders/WO1', allowed: KEYS.planner, denied: KEYS.mes, okStatus: 200 },
  { method: 'GET', url: '/v1/plants/P1/work-centers/WC1/dispatch-list', allowed: KEYS.mes, denied: KEYS.planner, okStatus: 200 },
  { method: 'GET', url: '/v1/plants/P1/state', allowed: KEYS.mes, denied: KEYS.wms, okStatus: 200 },
  { method: 'PUT', url: '/v1/plants/P1/work-orders/WO1/operations/10/pin', payload: { workCenter: 'WC1', start: '2026-11-24T06:00:00Z' }, allowed: KEYS.planner, denied: KEYS.mes, okStatus: 200 },
  { method: 'DELETE', url: '/v1/plants/P1/work-orders/WO1/operations/10/pin', allowed: KEYS.planner, denied: KEYS.mes, okStatus: 200 },
  { method: 'GET', url: '/v1/sync/status', allowed: KEYS.admin, denied: KEYS.planner, okStatus: 200 },
  { method: 'GET', url: '/v1/sync/dead-letters', allowed: KEYS.admin, denied: KEYS.erp, okStatus: 200 },
  { method: 'POST', url: '/v1/sync/dead-letters/dl-1/replay', allowed: KEYS.admin, denied: KEYS.planner, okStatus: 200 },
];

describe('authentication and scopes', () => {
  describe.each(routes)('$method $url', (route) => {
    const request = (headers: Record<string, string>) => ({
      method: route.method,
      url: route.url,
      headers,
      ...(route.payload === undefined ? {} : { payload: route.payload }),
    });

    it('answers 401 unauthorized without a token', async () => {
      const app = shared;
      const res = await app.inject(request({}));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String), field: 'headers.authorization' } });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers 401 unauthorized for an unknown key', async () => {
      const app = shared;
      const res = await app.inject(request(bearer('no-such-key')));
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    });

    it('answers 403 forbidden_scope for a key without the scope', async () => {
      const app = shared;
      const res = await app.inject(request(bearer(route.denied)));
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden_scope');
    });

    it('admits a key with the scope', async () => {
      const { app } = await testApp();
      const res = await app.inject(request(bearer(route.allowed)));
      expect(res.statusCode).toBe(route.okStatus);
    });

    it('admits an admin key', async () => {
      const { app } = await testApp();
      const res = await app.inject(request(bearer(KEYS.admin)));
      expect(res.statusCode).toBe(route.okStatus);
    });
  });

  it('answers a plant outside the key’s plant list as unknown (404), as if it did not exist', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants/P2/schedule', headers: bearer(KEYS.plannerP1) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'plant_not_found', message: 'plant P2 not found', field: 'params.plant' } });
    const own = await app.inject({ url: '/v1/plants/P1/schedule', headers: bearer(KEYS.plannerP1) });
    expect(own.statusCode).toBe(200);
  });

  it('answers a restricted key the same for a plant that does not exist and one it may not see', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants/NOPE/state', headers: bearer(KEYS.plannerP1) });
    const other = await app.inject({ url: '/v1/plants/P2/state', headers: bearer(KEYS.plannerP1) });
    expect([res.statusCode, other.statusCode]).toEqual([404, 404]);
    expect(other.json()).toEqual({ ...res.json(), error: { ...res.json().error, message: 'plant P2 not found' } });
  });

  it('checks the key before validating the body', async () => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/plants/P1/reschedule', payload: { timeLimitMs: 'soon' } });
    expect(res.statusCode).toBe(401);
  });

  it('reads the bearer token case-insensitively and rejects other schemes', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('lets admin do everything and others only their scopes', () => {
    const admin = { keyId: 'a', name: 'a', scopes: ['admin'] as const, plants: null };
    const mes = { keyId: 'm', name: 'm', scopes: ['mes'] as const, plants: null };
    expect(hasScope(admin, ['planner'])).toBe(true);
    expect(hasScope(mes, ['planner', 'mes'])).toBe(true);
    expect(hasScope(mes, ['planner'])).toBe(false);
  });
});
