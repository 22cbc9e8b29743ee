/** One HTTP exchange with a timeout; the answer is always data, never a throw. */
import { classifyFetchError, type DeliveryOutcome } from './outcome.ts';

export const DEFAULT_TIMEOUT_MS = 15_000;

export type Exchange =
  | { readonly ok: true; readonly status: number; readonly headers: Headers; readonly body: string }
  | { readonly ok: false; readonly outcome: DeliveryOutcome };

export async function exchange(url: string, init: RequestInit, timeoutMs: number): Promise<Exchange> {
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, { ...init, signal });
    // The body read is under the same signal: a server that stalls mid-body is a timeout too.
    const body = await response.text();
    return { ok: true, status: response.status, headers: response.headers, body };
  } catch (error) {
    return { ok: false, outcome: classifyFetchError(error) };
  }
}
