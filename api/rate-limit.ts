/**
 * Inbound rate limits: one token-bucket table, used for two budgets.
 *
 * - Per API key (the principal's key id): `perKeyPerMinute` requests. Counted after the key is
 *   verified and before the body is read, so an over-budget client is not parsed for.
 * - Per client address, failed authentications (no key, unknown or revoked key):
 *   `authFailuresPerMinute`. An address that has spent this budget gets 429 before its key is even
 *   looked up, so guessing costs the attacker time and costs the database nothing. This also refuses
 *   a good key sent from that address until a token comes back: at that point nothing tells it apart.
 *
 * Token bucket, not a window: a bucket holds up to `limit` tokens and refills at `limit` per minute.
 * It lets a burst of up to `limit` through (an ERP pushing a batch) and caps the sustained rate,
 * with no double burst at a window's edge; it is two numbers per entry, and Retry-After is exactly
 * the time until the next token. A bucket left alone long enough is full again, i.e. the same as no
 * entry, which makes eviction of idle entries exact.
 *
 * Only routes that take a key (`config.scopes`) are limited. Health, readiness, metrics, /docs and
 * the board's files are exempt: they carry no key to guess and need no database; the board's files
 * are fetched by every browser behind one NAT, and a flood of static files is the reverse proxy's to
 * stop. In memory, per API process: several API processes each allow the full budget.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError } from './errors.ts';

export interface RateLimits {
  /** Requests per minute per API key; 0: no limit. */
  readonly perKeyPerMinute: number;
  /** Failed authentications per minute per client address; 0: no limit. */
  readonly authFailuresPerMinute: number;
}

const MINUTE_MS = 60_000;
/** Entries per table before the least recently used are dropped even if not idle (some 10–20 MB at most). */
export const MAX_ENTRIES = 100_000;

interface Bucket {
  tokens: number;
  /** When `tokens` was last set, ms. */
  at: number;
}

/** Token buckets by name, refilling `limit` tokens per `windowMs`; bounded in size. */
export class TokenBuckets {
  // Map keeps insertion order; every update re-inserts, so the front is the least recently used.
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: number,
    private readonly windowMs: number = MINUTE_MS,
    private readonly maxEntries: number = MAX_ENTRIES,
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  /** Milliseconds until `name` has a token; 0 when it has one now. */
  wait(name: string, now: number): number {
    const level = this.level(name, now);
    return level >= 1 ? 0 : ((1 - level) * this.windowMs) / this.limit;
  }

  /** Takes a token from `name` if it has one (returns 0), else returns the wait in milliseconds. */
  take(name: string, now: number): number {
    const wait = this.wait(name, now);
    if (wait > 0) return wait;
    this.set(name, this.level(name, now) - 1, now);
    return 0;
  }

  /**
   * Spends a token whether or not there is one: the bucket may go into debt, down to -limit, and
   * `wait` then counts the time to pay it back.
   */
  charge(name: string, now: number): void {
    this.set(name, Math.max(-this.limit, this.level(name, now) - 1), now);
  }

  private level(name: string, now: number): number {
    const bucket = this.buckets.get(name);
    if (bucket === undefined) return this.limit;
    // max(0, …): a clock stepping back must not drain a bucket.
    return Math.min(this.limit, bucket.tokens + (Math.max(0, now - bucket.at) * this.limit) / this.windowMs);
  }

  private set(name: string, tokens: number, now: number): void {
    this.buckets.delete(name);
    this.buckets.set(name, { tokens, at: now });
    // Drop entries idle for two windows (from -limit that refills to full, so nothing is lost),
    // then the least recently used beyond the cap.
    for (const [oldest, bucket] of this.buckets) {
      if (now - bucket.at < 2 * this.windowMs && this.buckets.size <= this.maxEntries) return;
      this.buckets.delete(oldest);
    }
  }
}

function refuse(reply: FastifyReply, waitMs: number, message: string): never {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  // The error handler keeps headers already set on the reply.
  reply.header('retry-after', String(seconds));
  throw new ApiError('rate_limited', `${message}; retry after ${seconds} s`);
}

/**
 * Installs the limits. Must be called before `installAuth`: hooks run in the order they were added,
 * and the failure check has to come ahead of the key lookup.
 */
export function installRateLimit(app: FastifyInstance, limits: RateLimits, clock: () => number): void {
  if (limits.authFailuresPerMinute > 0) {
    const failures = new TokenBuckets(limits.authFailuresPerMinute);
    const message = `too many failed authentications from this address (limit ${failures.limit} per minute)`;
    // Only a check: good requests write nothing here.
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config.scopes === undefined) return;
      const wait = failures.wait(request.ip, clock());
      if (wait > 0) refuse(reply, wait, message);
    });
    // Each 401 from auth is charged, in debt if need be: requests already in flight when the budget
    // runs out still get their 401, and the address then waits that much longer, so concurrency
    // makes guessing burstier but not faster than the limit.
    app.addHook('onError', async (request, _reply, error) => {
      if (error instanceof ApiError && error.code === 'unauthorized') failures.charge(request.ip, clock());
    });
  }
  if (limits.perKeyPerMinute > 0) {
    const keys = new TokenBuckets(limits.perKeyPerMinute);
    const message = `rate limit of this API key exceeded (limit ${keys.limit} requests per minute)`;
    // preParsing: after every onRequest hook (auth has set the principal), before the body is read.
    app.addHook('preParsing', async (request, reply) => {
      if (request.principal === null) return;
      const wait = keys.take(request.principal.keyId, clock());
      if (wait > 0) refuse(reply, wait, message);
    });
  }
}
