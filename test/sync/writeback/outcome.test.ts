import { describe, expect, it } from 'vitest';
import { classifyFetchError, classifyResponse, errorMessageFromBody, parseRetryAfter } from '../../../sync/writeback/outcome.ts';

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-11-22T08:00:00Z');
    expect(parseRetryAfter('Sun, 22 Nov 2026 08:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('classifyResponse', () => {
  const h = (init: Record<string, string> = {}): Headers => new Headers(init);
  it('treats 2xx as delivered', () => {
    expect(classifyResponse(204, h(), '')).toEqual({ kind: 'delivered', status: 204 });
  });
  it('retries 5xx, 429 (with Retry-After), 408 and 412', () => {
    expect(classifyResponse(503, h(), 'busy')).toMatchObject({ kind: 'retry', status: 503, retryAfterMs: null });
    expect(classifyResponse(429, h({ 'retry-after': '7' }), '')).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
    expect(classifyResponse(408, h(), '').kind).toBe('retry');
    expect(classifyResponse(412, h(), '').kind).toBe('retry');
  });
  it('rejects other 4xx with the ERP message', () => {
    expect(classifyResponse(400, h(), JSON.stringify({ message: 'due date in the past' })))
      .toEqual({ kind: 'rejected', reason: 'due date in the past', status: 400 });
    expect(classifyResponse(422, h(), JSON.stringify({ error: { code: 'X', message: { lang: 'en', value: 'Order 1 is locked' } } })).kind).toBe('rejected');
    expect(errorMessageFromBody(JSON.stringify({ error: { code: 'X', message: { lang: 'en', value: 'Order 1 is locked' } } }))).toBe('Order 1 is locked');
    expect(classifyResponse(404, h(), 'no such order')).toEqual({ kind: 'rejected', reason: 'no such order', status: 404 });
  });
  it('retries timeouts and network errors', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyFetchError(timeout)).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(classifyFetchError(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') })))
      .toMatchObject({ kind: 'retry', reason: 'network error: fetch failed: ECONNREFUSED' });
  });
});
