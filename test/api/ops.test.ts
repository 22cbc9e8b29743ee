import { describe, expect, it } from 'vitest';
import { KEYS } from './fake-takt.ts';
import { bearer, testApp } from './helpers.ts';

describe('GET /health', () => {
  it('always answers 200 ok, without a key', async () => {
    const { app, takt } = await testApp();
    takt.readiness = { database: false, queue: false };
    const res = await app.inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /ready', () => {
  it('answers 200 when database and queue are reachable', async () => {
    const { app } = await testApp();
    const res = await app.inject('/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { database: true, queue: true } });
  });

  it.each([
    [{ database: false, queue: true }, 'database unreachable'],
    [{ database: true, queue: false }, 'queue unreachable'],
    [{ database: false, queue: false }, 'database and queue unreachable'],
  ])('answers 503 naming what is down (%j)', async (readiness, message) => {
    const { app, takt } = await testApp();
    takt.readiness = readiness;
    const res = await app.inject('/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: { code: 'not_ready', message }, checks: readiness });
  });

  it('answers 503 when the core cannot even say', async () => {
    const { app, takt } = await testApp();
    takt.ready = async () => {
      throw new Error('pool exhausted');
    };
    const res = await app.inject('/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json().checks).toEqual({ database: false, queue: false });
  });
});

describe('GET /metrics', () => {
  it('serves the core’s metrics and counts HTTP requests by route template and status', async () => {
    const { app } = await testApp();
    await app.inject({ url: '/v1/plants/P1/schedule', headers: bearer(KEYS.planner) });
    await app.inject({ url: '/v1/plants/P1/schedule', headers: bearer(KEYS.planner) });
    await app.inject({ url: '/v1/plants/P2/schedule', headers: bearer(KEYS.planner) });
    await app.inject({ url: '/v1/plants/P1/schedule' });
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('takt_events_ingested_total 0');
    expect(text).toContain('takt_http_requests_total{method="GET",route="/v1/plants/:plant/schedule",status="200"} 2');
    expect(text).toContain('takt_http_requests_total{method="GET",route="/v1/plants/:plant/schedule",status="404"} 1');
    expect(text).toContain('takt_http_requests_total{method="GET",route="/v1/plants/:plant/schedule",status="401"} 1');
    expect(text).toContain('takt_http_request_duration_seconds_count{method="GET",route="/v1/plants/:plant/schedule"} 4');
    expect(text).toContain('takt_http_request_duration_seconds_bucket{method="GET",route="/v1/plants/:plant/schedule",le="+Inf"} 4');
  });

  it('counts a request to no route under one label', async () => {
    const { app } = await testApp();
    await app.inject({ method: 'DELETE', url: '/v1/whatever/123' });
    const text = (await app.inject('/metrics')).body;
    expect(text).toContain('takt_http_requests_total{method="DELETE",route="unmatched",status="404"} 1');
  });
});
