import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_WINDOW_MS, defaultWebhookRetry, nextStep } from '../../../sync/events-out/decide.ts';
import { classifyResponse } from '../../../sync/writeback/outcome.ts';

const HOUR = 3_600_000;
const settings = { retry: defaultWebhookRetry, windowMs: DEFAULT_RETRY_WINDOW_MS, random: () => 1 };
const answer = (status: number, headers: Record<string, string> = {}, body = '') => classifyResponse(status, new Headers(headers), body, 0);
const from = { attempts: 1, windowFrom: 0 };

describe('nextStep', () => {
  it('delivers on 2xx', () => {
    expect(nextStep(answer(204), from, 1_000, settings)).toEqual({ kind: 'delivered' });
  });

  it.each([408, 409, 425, 429, 500, 502, 503])('retries %i inside the window with capped exponential backoff', (status) => {
    expect(nextStep(answer(status), { attempts: 1, windowFrom: 0 }, 1_000, settings)).toMatchObject({ kind: 'retry', at: 1_000 + 5_000 });
    expect(nextStep(answer(status), { attempts: 4, windowFrom: 0 }, 1_000, settings)).toMatchObject({ kind: 'retry', at: 1_000 + 40_000 });
    // Capped at ten minutes however many attempts failed: a receiver down for hours is tried every few minutes.
    expect(nextStep(answer(status), { attempts: 80, windowFrom: 0 }, 23 * HOUR, settings)).toMatchObject({ kind: 'retry', at: 23 * HOUR + 10 * 60_000 });
  });

  it('waits for a Retry-After longer than its backoff, and its backoff when that is longer', () => {
    expect(nextStep(answer(503, { 'retry-after': '3600' }), from, 0, settings)).toMatchObject({ kind: 'retry', at: HOUR });
    expect(nextStep(answer(429, { 'retry-after': '1' }), from, 0, settings)).toMatchObject({ kind: 'retry', at: 5_000 });
  });

  it.each([400, 401, 403, 404, 410, 422, 301])('dead-letters a refusal (%i) at once', (status) => {
    expect(nextStep(answer(status, {}, 'no such order'), from, 1_000, settings)).toEqual({ kind: 'dead', error: `refused with HTTP ${status}: no such order` });
  });

  it('dead-letters a failure only once the window, counted from the row\'s creation or replay, is over', () => {
    const down = answer(503, {}, 'down');
    expect(nextStep(down, { attempts: 150, windowFrom: HOUR }, 25 * HOUR - 1, settings).kind).toBe('retry');
    expect(nextStep(down, { attempts: 150, windowFrom: HOUR }, 25 * HOUR, settings)).toEqual({ kind: 'dead', error: 'gave up after 150 attempts over 24 h: HTTP 503: down' });
  });
});
