/**
 * One HTTP exchange with a timeout; the answer is always data, never a throw. Inside
 * `runGated` (call-gate.ts) the exchange waits for the ERP's quota first, and a 429 or 503 with
 * Retry-After pauses every caller of that ERP.
 */
import { currentGate } from './call-gate.ts';
import { classifyFetchError, parseRetryAfter, type DeliveryOutcome } from './outcome.ts';

export const DEFAULT_TIMEOUT_MS = 15_000;

export type Exchange =
  | { readonly ok: true; readonly status: number; readonly headers: Headers; readonly body: string }
  | { readonly ok: false; readonly outcome: DeliveryOutcome };

export async function exchange(url: string, init: RequestInit, timeoutMs: number): Promise<Exchange> {
  const slot = await currentGate()?.acquire();
  let retryAfterMs: number | null = null;
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, { ...init, signal });
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
