/**
 * An ERP's quota: never more than N calls in any second nor M at once, in one process and
 * across processes sharing Redis; and a Retry-After from the ERP pauses every caller.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localGate, redisGate, runGated, type CallGate } from '../../../sync/writeback/call-gate.ts';
import { exchange } from '../../../sync/writeback/http.ts';
import { REDIS_URL } from '../queue/queue-backends.ts';
import { startTestErp, type TestErp } from './test-erp.ts';

/** The most calls that started within any one second. */
function busiestSecond(starts: readonly number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function callMany(gates: readonly CallGate[], calls: number, holdMs = 0): Promise<{ starts: number[]; mostAtOnce: number }> {
  const starts: number[] = [];
  let running = 0;
  let mostAtOnce = 0;
  await Promise.all(Array.from({ length: calls }, async (_, i) => {
    const slot = (await gates[i % gates.length]!.acquire())!;
    starts.push(Date.now());
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    running -= 1;
    await slot.release();
  }));
  return { starts, mostAtOnce };
}

describe('call gates', () => {
  let redis: Redis;
  let erp: TestErp;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    erp = await startTestErp();
  });
  afterAll(async () => {
    redis.disconnect();
    await erp.close();
  });

  it('in one process: at most N calls in any second, M at once', async () => {
    const { starts, mostAtOnce } = await callMany([localGate({ callsPerSecond: 8, concurrency: 3 })], 20, 30);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(8);
    expect(mostAtOnce).toBeLessThanOrEqual(3);
    // 20 calls at 8 per second take two seconds and more.
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(2_000);
  });

  it('across processes on one Redis: the quota is for all of them', async () => {
    const key = `takt-test-gate-${randomUUID()}`;
    const others = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    try {
      const gates = [redisGate(redis, key, { callsPerSecond: 10, concurrency: 4 }), ...others.map((r) => redisGate(r, key, { callsPerSecond: 10, concurrency: 4 }))];
      const { starts, mostAtOnce } = await callMany(gates, 30, 50);
      expect(busiestSecond(starts)).toBeLessThanOrEqual(10);
      expect(mostAtOnce).toBeLessThanOrEqual(4);
    } finally {
      for (const r of others) r.disconnect();
    }
  });

  it('pauses every caller for the Retry-After of a 429', async () => {
    const gate = redisGate(redis, `takt-test-gate-${randomUUID()}`, { callsPerSecond: 100, concurrency: 0 });
    erp.respond((_request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } } : { status: 200, body: {} }));
    await runGated(gate, () => exchange(erp.url, { method: 'POST' }, 2_000));
    const refused = erp.requests.at(-1)!.at;
    await runGated(gate, () => exchange(erp.url, { method: 'POST' }, 2_000));
    expect(erp.requests.at(-1)!.at - refused).toBeGreaterThanOrEqual(950);
  });

  it('gives up at the deadline instead of waiting past it, and says the ERP was not asked', async () => {
    const gate = localGate({ callsPerSecond: 1, concurrency: 0 });
    erp.respond(() => ({ status: 200, body: {} }));
    const first = await runGated(gate, () => exchange(erp.url, { method: 'POST' }, 2_000), Date.now() + 200);
    expect(first).toMatchObject({ value: { ok: true }, answered: true, starved: false });
    const seen = erp.requests.length;
    const started = Date.now();
    const second = await runGated(gate, () => exchange(erp.url, { method: 'POST' }, 2_000), Date.now() + 200);
    expect(second).toMatchObject({ value: { ok: false, outcome: { kind: 'retry', reason: 'waited too long for the ERP quota' } }, answered: false, starved: true });
    expect(Date.now() - started).toBeLessThan(200);
    expect(erp.requests.length).toBe(seen);
  });

  it('counts any HTTP answer, a 503 included, as the ERP answering', async () => {
    erp.respond(() => ({ status: 503, body: { message: 'maintenance' } }));
    const { value, answered, starved } = await runGated(localGate({ callsPerSecond: 0, concurrency: 0 }), () => exchange(erp.url, { method: 'POST' }, 2_000));
    expect(value).toMatchObject({ ok: true, status: 503 });
    expect({ answered, starved }).toEqual({ answered: true, starved: false });
  });

  it('leaves calls outside runGated alone', async () => {
    erp.respond(() => ({ status: 200, body: {} }));
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => exchange(erp.url, { method: 'GET' }, 2_000)));
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
