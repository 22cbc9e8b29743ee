import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { TokenBuckets, type RateLimits } from '../../api/rate-limit.ts';
import { ConfigError, readConfig } from '../../cli/config.ts';
import { KEYS } from './fake-takt.ts';
import { bearer, testApp, type TestApp } from './helpers.ts';

/** A fake clock the app reads through `deps.clock`; tests move it by hand. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.UTC(2026, 10, 23, 8, 0, 0);
  return { now: () => t, advance: (ms) => { t += ms; } };
}

async function limitedApp(limits: RateLimits, extra: { trustProxy?: readonly string[] } = {}): Promise<TestApp & ReturnType<typeof fakeClock>> {
  const clock = fakeClock();
  const built = await testApp({ rateLimits: limits, clock: clock.now, ...extra });
  return { ...built, ...clock };
}

const plants = (headers: Record<string, string> = {}, remoteAddress = '127.0.0.1'): InjectOptions => ({ url: '/v1/plants', headers, remoteAddress });

async function times(app: FastifyInstance, n: number, request: InjectOptions): Promise<LightMyRequestResponse[]> {
  const out: LightMyRequestResponse[] = [];
  for (let i = 0; i < n; i++) out.push(await app.inject(request));
  return out;
}

const statuses = (responses: readonly LightMyRequestResponse[]): number[] => responses.map((r) => r.statusCode);

describe('failed authentications per address', () => {
  it('answers the first N bad keys with 401 and the rest with 429 and Retry-After, without looking the key up', async () => {
    const { app, takt } = await limitedApp({ perKeyPerMinute: 1000, authFailuresPerMinute: 10 });
    const lookups = vi.spyOn(takt, 'authenticate');
    const responses = await times(app, 300, plants(bearer('guess')));
    expect(statuses(responses)).toEqual([...Array(10).fill(401), ...Array(290).fill(429)]);
    const refused = responses[299]!;
    // 10 a minute: one try back every 6 s.
    expect(refused.headers['retry-after']).toBe('6');
    expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/failed authentications from this address \(limit 10 per minute\)/) } });
    expect(lookups).toHaveBeenCalledTimes(10);
  });

  it('counts requests without a key, and gives one try back per token', async () => {
    const { app, advance } = await limitedApp({ perKeyPerMinute: 1000, authFailuresPerMinute: 10 });
    expect(statuses(await times(app, 11, plants()))).toEqual([...Array(10).fill(401), 429]);
    advance(5_999);
    expect((await app.inject(plants())).statusCode).toBe(429);
    advance(1);
    expect(statuses(await times(app, 2, plants()))).toEqual([401, 429]);
  });

  it('limits per address: another address keeps its budget; a good key from the spent address waits too', async () => {
    const { app } = await limitedApp({ perKeyPerMinute: 1000, authFailuresPerMinute: 5 });
    await times(app, 5, plants(bearer('guess'), '10.0.0.1'));
    expect((await app.inject(plants(bearer('guess'), '10.0.0.1'))).statusCode).toBe(429);
    // Checked before the key is looked up, so the address's good key is refused as well.
    expect((await app.inject(plants(bearer(KEYS.planner), '10.0.0.1'))).statusCode).toBe(429);
    expect((await app.inject(plants(bearer('guess'), '10.0.0.2'))).statusCode).toBe(401);
    expect((await app.inject(plants(bearer(KEYS.planner), '10.0.0.2'))).statusCode).toBe(200);
  });

  it('does not count successful or forbidden requests as failures', async () => {
    const { app } = await limitedApp({ perKeyPerMinute: 1000, authFailuresPerMinute: 5 });
    await times(app, 20, plants(bearer(KEYS.planner)));
    await times(app, 20, plants(bearer(KEYS.mes))); // 403 forbidden_scope
    expect(statuses(await times(app, 6, plants(bearer('guess'))))).toEqual([401, 401, 401, 401, 401, 429]);
  });

  /** 8 clients with 8 requests in flight at once, 50 ms of fake time a round; 80 rounds: 640 tries in 4 s. */
  async function guess(app: FastifyInstance, advance: (ms: number) => void, address: (client: number) => string, rounds = 80): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (let round = 0; round < rounds; round++) {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, client) => app.inject(plants(bearer(`guess-${round}-${client}`), address(client)))));
      for (const a of answers) counts.set(a.statusCode, (counts.get(a.statusCode) ?? 0) + 1);
      advance(50);
    }
    return counts;
  }

  it('holds 8 concurrent guessers on 8 addresses for 4 s to their budgets', async () => {
    const { app, advance } = await limitedApp({ perKeyPerMinute: 1200, authFailuresPerMinute: 30 });
    const counts = await guess(app, advance, (client) => `10.0.1.${client}`);
    // Each address: 30 at once, then one every 2 s: 31 by the last round at 3.95 s.
    expect(counts.get(401)).toBe(8 * 31);
    expect(counts.get(429)).toBe(640 - 8 * 31);
  });

  it('holds 8 concurrent guessers on one address to its budget: the requests in flight are paid back', async () => {
    const { app, advance } = await limitedApp({ perKeyPerMinute: 1200, authFailuresPerMinute: 30 });
    const first = await guess(app, advance, () => '10.0.2.1');
    // Four rounds pass the check (30, 22, 14, 6 tokens left): 32 tries, 2 into debt.
    expect(first.get(401)).toBe(32);
    // The next 60 s give back 30 tokens: about 30 tries, give or take one round in flight (without
    // the debt, each token would let a whole round of 8 through).
    const next = await guess(app, advance, () => '10.0.2.1', 1200);
    expect(next.get(401)).toBeGreaterThanOrEqual(30 - 8);
    expect(next.get(401)).toBeLessThanOrEqual(30 + 8);
  });

  it('lets many good requests from one address in at once, and leaves its failure budget whole', async () => {
    const { app } = await limitedApp({ perKeyPerMinute: 1200, authFailuresPerMinute: 5 });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => app.inject(plants(bearer(i % 2 === 0 ? KEYS.planner : KEYS.admin)))));
    expect(new Set(statuses(answers))).toEqual(new Set([200]));
    expect(statuses(await times(app, 6, plants(bearer('guess'))))).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    const forwarded = (i: number): InjectOptions => ({ url: '/v1/plants', headers: { ...bearer('guess'), 'x-forwarded-for': `203.0.113.${i}` } });
    const direct = await limitedApp({ perKeyPerMinute: 1000, authFailuresPerMinute: 3 });
    const spoofed: number[] = [];
    for (let i = 0; i < 6; i++) spoofed.push((await direct.app.inject(forwarded(i))).statusCode);
    expect(spoofed).toEqual([401, 401, 401, 429, 429, 429]);

    const proxied = await limitedApp({ perKeyPerMinute: 1000, authFailuresPerMinute: 3 }, { trustProxy: ['127.0.0.1'] });
    const clients: number[] = [];
    for (let i = 0; i < 6; i++) clients.push((await proxied.app.inject(forwarded(i))).statusCode);
    expect(clients).toEqual([401, 401, 401, 401, 401, 401]);
  });
});

describe('requests per API key', () => {
  it('never refuses a key that stays under its limit', async () => {
    const { app, advance } = await limitedApp({ perKeyPerMinute: 60, authFailuresPerMinute: 10 });
    // A burst of the whole budget, then one a second (the refill rate) for three minutes.
    const answers = await times(app, 60, plants(bearer(KEYS.planner)));
    for (let i = 0; i < 180; i++) {
      advance(1000);
      answers.push(await app.inject(plants(bearer(KEYS.planner))));
    }
    expect(statuses(answers).filter((s) => s !== 200)).toEqual([]);
  });

  it('refuses a key over its limit with 429 and Retry-After, and lets it in again after the window', async () => {
    const { app, advance } = await limitedApp({ perKeyPerMinute: 20, authFailuresPerMinute: 10 });
    expect(statuses(await times(app, 25, plants(bearer(KEYS.planner))))).toEqual([...Array(20).fill(200), ...Array(5).fill(429)]);
    const refused = await app.inject(plants(bearer(KEYS.planner)));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('3');
    expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/this API key .*limit 20 requests per minute/) } });
    advance(60_000);
    expect(statuses(await times(app, 21, plants(bearer(KEYS.planner))))).toEqual([...Array(20).fill(200), 429]);
  });

  it('limits each key on its own', async () => {
    const { app } = await limitedApp({ perKeyPerMinute: 5, authFailuresPerMinute: 10 });
    await times(app, 6, plants(bearer(KEYS.planner)));
    expect((await app.inject(plants(bearer(KEYS.planner)))).statusCode).toBe(429);
    expect(statuses(await times(app, 5, plants(bearer(KEYS.admin))))).toEqual([200, 200, 200, 200, 200]);
  });

  it('refuses an over-limit key before reading its body', async () => {
    const { app } = await limitedApp({ perKeyPerMinute: 1, authFailuresPerMinute: 10 });
    const post = { method: 'POST' as const, url: '/v1/events', headers: { ...bearer(KEYS.erp), 'content-type': 'application/json' }, payload: '{not json' };
    expect((await app.inject(post)).statusCode).toBe(400);
    // Parsed, this would be 400 invalid_json again.
    expect((await app.inject(post)).statusCode).toBe(429);
  });
});

describe('exempt routes and switches', () => {
  it('never limits health, readiness, metrics, docs or the board', async () => {
    const { app } = await limitedApp({ perKeyPerMinute: 1, authFailuresPerMinute: 1 });
    await times(app, 3, plants(bearer('guess')));
    expect((await app.inject(plants(bearer('guess')))).statusCode).toBe(429);
    for (const url of ['/health', '/ready', '/metrics', '/docs/json', '/', '/board.css']) {
      const answers = await times(app, 5, { url, headers: bearer('guess') });
      expect({ url, statuses: statuses(answers) }).toEqual({ url, statuses: [200, 200, 200, 200, 200] });
    }
  });

  it('turns each limit off with 0, and both when the app gets none', async () => {
    const off = await limitedApp({ perKeyPerMinute: 0, authFailuresPerMinute: 0 });
    expect(new Set(statuses(await times(off.app, 300, plants(bearer('guess')))))).toEqual(new Set([401]));
    expect(new Set(statuses(await times(off.app, 300, plants(bearer(KEYS.planner)))))).toEqual(new Set([200]));
    const { app } = await testApp();
    expect(new Set(statuses(await times(app, 300, plants(bearer('guess')))))).toEqual(new Set([401]));
  });
});

describe('token buckets', () => {
  it('forget idle entries, so a flood of distinct addresses does not stay in memory', () => {
    const buckets = new TokenBuckets(10, 60_000);
    for (let i = 0; i < 10_000; i++) buckets.take(`10.${i >> 8}.${i & 255}.1`, 0);
    expect(buckets.size).toBe(10_000);
    // Idle for two windows: full again even from the deepest debt.
    buckets.take('late', 120_000);
    expect(buckets.size).toBe(1);
  });

  it('stay within their cap when the flood comes within one window', () => {
    const buckets = new TokenBuckets(10, 60_000, 100);
    for (let i = 0; i < 1000; i++) buckets.take(`a${i}`, i);
    expect(buckets.size).toBe(100);
    // The most recent are kept: a999 has spent a token, a0 was dropped (full again).
    expect(buckets.wait('a999', 1000)).toBe(0);
    for (let i = 0; i < 9; i++) buckets.take('a999', 1000);
    expect(buckets.wait('a999', 1000)).toBeGreaterThan(0);
  });
});

describe('rate-limit configuration', () => {
  it('has defaults: 1200 requests a minute per key, 30 failed authentications per address, no trusted proxy', () => {
    expect(readConfig({})).toMatchObject({ rateLimits: { perKeyPerMinute: 1200, authFailuresPerMinute: 30 }, trustProxy: [] });
  });

  it('reads the variables', () => {
    const config = readConfig({ TAKT_RATE_LIMIT: '600', TAKT_AUTH_FAILURE_LIMIT: '0', TAKT_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16, ::1, loopback' });
    expect(config.rateLimits).toEqual({ perKeyPerMinute: 600, authFailuresPerMinute: 0 });
    expect(config.trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'loopback']);
  });

  it.each([
    [{ TAKT_RATE_LIMIT: 'fast' }, /TAKT_RATE_LIMIT/],
    [{ TAKT_RATE_LIMIT: '1.5' }, /TAKT_RATE_LIMIT/],
    [{ TAKT_AUTH_FAILURE_LIMIT: '-1' }, /TAKT_AUTH_FAILURE_LIMIT/],
    [{ TAKT_TRUST_PROXY: 'proxy.internal' }, /TAKT_TRUST_PROXY.*proxy\.internal/],
    [{ TAKT_TRUST_PROXY: '10.0.0.0/33' }, /TAKT_TRUST_PROXY/],
    [{ TAKT_TRUST_PROXY: 'true' }, /TAKT_TRUST_PROXY/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
