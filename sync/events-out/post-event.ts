/**
 * One signed POST of one event to one receiver; the answer is always data (writeback/outcome.ts
 * classifies it: 2xx delivered; 408, 409, 412, 425, 429, 5xx, timeouts and network errors
 * retried; any other answer refused).
 *
 * Its own fetch, not writeback/http.ts's `exchange`: that one takes part in the ERP call gates
 * (a 429 there pauses every caller of the ERP), which a subscriber's answers must not touch.
 * Redirects are not followed: a 3xx is a refusal. Following one would re-send a signed body to
 * a place nobody subscribed (and fetch turns a redirected POST into a GET).
 */
import { SIGNATURE_HEADER, signatureHeaderFor } from '../webhook-signature.ts';
import { classifyFetchError, classifyResponse, type DeliveryOutcome } from '../writeback/outcome.ts';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Of a receiver's answer only an error message is kept: no need to read megabytes of it. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface OutgoingEvent {
  readonly eventId: string;
  readonly type: string;
  /** The exact bytes signed and sent. */
  readonly body: string;
}

export async function postEvent(
  url: string,
  event: OutgoingEvent,
  secrets: readonly string[],
  nowMs: number,
  timeoutMs: number = DEFAULT_WEBHOOK_TIMEOUT_MS,
): Promise<DeliveryOutcome> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'takt-webhooks/1',
    // The event id is the idempotency key: the same fact in the same version, however often sent.
    'idempotency-key': event.eventId,
    'x-takt-event-id': event.eventId,
    'x-takt-event-type': event.type,
    [SIGNATURE_HEADER]: signatureHeaderFor(secrets, Math.floor(nowMs / 1000), event.body),
  };
  try {
    // The body read is under the same signal: a receiver that stalls mid-answer is a timeout too.
    const response = await fetch(url, { method: 'POST', headers, body: event.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return classifyResponse(response.status, response.headers, await readCapped(response), nowMs);
  } catch (error) {
    return classifyFetchError(error);
  }
}

async function readCapped(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_ANSWER_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
}
