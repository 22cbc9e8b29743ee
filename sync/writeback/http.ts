/**
 * One HTTP exchange with a timeout; the answer is always data, never a throw. Inside
 * `runGated` (call-gate.ts) the exchange waits for the ERP's quota first (a retry when no slot
 * comes free in time, or the quota's store is down), a 429 or 503 with Retry-After pauses every
 * caller of that ERP, and any answer tells the caller the ERP is up.
 */
import { currentCalls, type CallSlot } from './call-gate.ts';
import { classifyFetchError, parseRetryAfter, type DeliveryOutcome } from './outcome.ts';

export const DEFAULT_TIMEOUT_MS = 15_000;

export type Exchange =
  | { readonly ok: true; readonly status: number; readonly headers: Headers; readonly body: string }
  | { readonly ok: false; readonly outcome: DeliveryOutcome };

export async function exchange(url: string, init: RequestInit, timeoutMs: number): Promise<Exchange> {
  const calls = currentCalls();
  let slot: CallSlot | null = null;
  if (calls?.gate) {
    try {
      slot = await calls.gate.acquire(calls.deadline);
    } catch (error) {
      calls.starved = true;
      return { ok: false, outcome: { kind: 'retry', reason: `ERP quota unavailable: ${error instanceof Error ? error.message : String(error)}`, status: null, retryAfterMs: null } };
    }
    if (slot === null) {
      calls.starved = true;
      return { ok: false, outcome: { kind: 'retry', reason: 'waited too long for the ERP quota', status: null, retryAfterMs: null } };
    }
  }
  let retryAfterMs: number | null = null;
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, { ...init, signal });
    if (calls) calls.answered = true;
    // The body read is under the same signal: a server that stalls mid-body is a timeout too.
    const body = await response.text();
    if (response.status === 429 || response.status === 503) retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return { ok: true, status: response.status, headers: response.headers, body };
  } catch (error) {
    return { ok: false, outcome: classifyFetchError(error) };
  } finally {
    await slot?.release(retryAfterMs);
  }
}
