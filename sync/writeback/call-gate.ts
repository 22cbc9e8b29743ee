/**
 * An ERP's quota: at most `callsPerSecond` calls in any second and `concurrency` calls at once,
 * per connection and for all of takt; and when the ERP answers 429 or 503 with Retry-After,
 * no call to it from anyone until then. Every HTTP call a connector or adapter makes inside
 * `runGated` waits for the gate (`exchange` asks `currentGate()`), so a connector need not know
 * about quotas, and none of its calls can slip past one. Several worker processes share a gate
 * through Redis; a single process (the embedded setup) keeps it in memory.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface Quota {
  /** 0: no limit. */
  readonly callsPerSecond: number;
  /** 0: no limit. */
  readonly concurrency: number;
}

export interface CallSlot {
  /** The call is over; `retryAfterMs` (from a 429 or 503) pauses every caller of the gate. */
  release(retryAfterMs?: number | null): Promise<void>;
}

export interface CallGate {
  /** A slot within the quota, or null when none came free before `deadline` (ms since the epoch). */
  acquire(deadline?: number): Promise<CallSlot | null>;
}

/** What the ERP calls inside one `runGated` share: the gate, how long they may wait for it, whether the ERP answered. */
export interface GatedCalls {
  readonly gate: CallGate | null;
  readonly deadline: number | undefined;
  /** Set by the first HTTP answer (any status): the ERP is up, whatever it said. */
  answered: boolean;
  /** Set when a call gave up waiting for the quota (or its store): the ERP was never asked. */
  starved: boolean;
}

const ambient = new AsyncLocalStorage<GatedCalls>();

/**
 * Runs `work` with every ERP call in it through `gate` (none waits past `deadline`); the answer
 * says whether any call got an HTTP answer, and whether one gave up waiting for the quota.
 */
export async function runGated<T>(
  gate: CallGate | null, work: () => Promise<T>, deadline?: number,
): Promise<{ readonly value: T; readonly answered: boolean; readonly starved: boolean }> {
  const calls: GatedCalls = { gate, deadline, answered: false, starved: false };
  const value = await ambient.run(calls, work);
  return { value, answered: calls.answered, starved: calls.starved };
}

export function currentCalls(): GatedCalls | null {
  return ambient.getStore() ?? null;
}

/**
 * A call counts against the second after it *ended*: it reached the ERP at some moment before
 * its answer, so whatever the network or a busy event loop did to it, counting it until a
 * second after its release keeps every one-second window at the ERP within the quota. Calls in
 * flight count too (and against the concurrency).
 */
const WINDOW_MS = 1_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The gate of one process. */
export function localGate(quota: Quota, clock: () => number = Date.now): CallGate {
  /** Per call: when it was released, or Infinity while in flight. */
  const calls = new Map<string, number>();
  let pausedUntil = 0;
  function wait(): number {
    const now = clock();
    if (pausedUntil > now) return pausedUntil - now;
    for (const [id, released] of calls) if (released <= now - WINDOW_MS) calls.delete(id);
    const inFlight = [...calls.values()].filter((r) => r === Infinity).length;
    if (quota.concurrency > 0 && inFlight >= quota.concurrency) return 10;
    if (quota.callsPerSecond > 0 && calls.size >= quota.callsPerSecond) {
      const oldest = Math.min(...calls.values());
      return oldest === Infinity ? 10 : Math.max(1, oldest + WINDOW_MS - now);
    }
    return 0;
  }
  return {
    async acquire(deadline) {
      for (let delay = wait(); delay > 0; delay = wait()) {
        if (deadline !== undefined && clock() + delay > deadline) return null;
        await sleep(delay);
      }
      const id = randomUUID();
      calls.set(id, Infinity);
      return {
        async release(retryAfterMs) {
          if (calls.get(id) !== Infinity) return;
          calls.set(id, clock());
          if (retryAfterMs !== null && retryAfterMs !== undefined && retryAfterMs > 0) pausedUntil = Math.max(pausedUntil, clock() + retryAfterMs);
        },
      };
    },
  };
}

/**
 * One atomic step on Redis' clock over one sorted set of calls, scored by their release time
 * (or, in flight, by the lease's expiry, in the future, so a worker that dies mid-call frees its
 * place): a paused gate answers its remaining pause; a full one how long to wait; else the call
 * is recorded in flight and the answer is 0.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused end
local rate = tonumber(ARGV[1]); local concurrency = tonumber(ARGV[2]); local lease = tonumber(ARGV[3]); local window = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if concurrency > 0 and redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf') >= concurrency then return 10 end
if rate > 0 and redis.call('ZCARD', KEYS[1]) >= rate then
  local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
  if oldest > now then return 10 end
  return math.max(1, oldest + window - now)
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
redis.call('PEXPIRE', KEYS[1], lease + window)
return 0
`;

const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
local pause = tonumber(ARGV[2])
if pause > 0 and redis.call('PTTL', KEYS[2]) < pause then redis.call('SET', KEYS[2], '1', 'PX', pause) end
return 0
`;

/** The gate shared by every process on the same Redis, under `key`. */
export function redisGate(redis: Redis, key: string, quota: Quota, leaseMs = 120_000): CallGate {
  const keys = [`${key}:calls`, `${key}:paused`];
  return {
    async acquire(deadline) {
      const id = randomUUID();
      for (;;) {
        const wait = Number(await redis.eval(ACQUIRE, 2, ...keys, quota.callsPerSecond, quota.concurrency, leaseMs, id, WINDOW_MS));
        if (wait <= 0) break;
        if (deadline !== undefined && Date.now() + wait > deadline) return null;
        await sleep(wait);
      }
      let released = false;
      return {
        async release(retryAfterMs) {
          if (released) return;
          released = true;
          await redis.eval(RELEASE, 2, ...keys, id, Math.max(0, Math.round(retryAfterMs ?? 0))).catch(() => undefined);
        },
      };
    },
  };
}
