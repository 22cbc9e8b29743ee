/**
 * What one delivery attempt came to, and how HTTP answers map onto it: 2xx delivered; 429, 5xx,
 * 408, 409 (an in-flight request with the same key), 412 (a concurrent change: re-read and
 * retry), timeouts and network errors are retried (honouring Retry-After); any other 4xx is the
 * ERP refusing the data, which no retry will change: a dead letter with the ERP's message.
 */

export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly reason: string; readonly status: number | null; readonly retryAfterMs: number | null }
  | { readonly kind: 'rejected'; readonly reason: string; readonly status: number | null };

const RETRYABLE_4XX = new Set([408, 409, 412, 425, 429]);
const MAX_MESSAGE = 2_000;

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The human message in an error body: common JSON shapes (SAP OData, problem+json, Odoo) or the text. */
export function errorMessageFromBody(body: string): string {
  const text = body.trim();
  try {
    const json: unknown = JSON.parse(text);
    const found = findMessage(json);
    if (found !== null) return found.slice(0, MAX_MESSAGE);
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, MAX_MESSAGE);
}

function findMessage(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  // SAP: {error: {message: {value}}}; Odoo: {error: {data: {message}}}; others: message/detail/title.
  for (const key of ['error', 'data', 'message', 'value', 'detail', 'title', 'error_description']) {
    if (key in record) {
      const found = findMessage(record[key]);
      if (found !== null && found !== '') return found;
    }
  }
  return null;
}

export function classifyResponse(status: number, headers: Headers, body: string, now: number = Date.now()): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const message = errorMessageFromBody(body) || `HTTP ${status}`;
  if (status >= 500 || RETRYABLE_4XX.has(status)) {
    return { kind: 'retry', reason: `HTTP ${status}: ${message}`, status, retryAfterMs: parseRetryAfter(headers.get('retry-after'), now) };
  }
  return { kind: 'rejected', reason: message, status };
}

/** A thrown fetch: a timeout or a network failure, both worth retrying. */
export function classifyFetchError(error: unknown): DeliveryOutcome {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { kind: 'retry', reason: 'timeout', status: null, retryAfterMs: null };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'retry', reason: `network error: ${message}${cause}`, status: null, retryAfterMs: null };
}
