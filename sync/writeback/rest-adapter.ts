/** The generic adapter: POSTs the canonical JSON with an Idempotency-Key header. */
import type { WritebackAdapter } from './adapter.ts';
import { DEFAULT_TIMEOUT_MS, exchange } from './http.ts';
import { classifyResponse, type DeliveryOutcome } from './outcome.ts';
import type { WritebackPayload } from './payload.ts';

export interface RestAdapterConfig {
  readonly url: string;
  /** Extra headers, e.g. `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export function restAdapter(config: RestAdapterConfig): WritebackAdapter {
  return {
    kind: 'rest',
    async deliver(payload: WritebackPayload): Promise<DeliveryOutcome> {
      const answer = await exchange(config.url, {
        method: 'POST',
        headers: {
          ...config.headers,
          'content-type': 'application/json',
          accept: 'application/json',
          'idempotency-key': payload.idempotencyKey,
          ...(payload.correlationId !== undefined && { 'x-correlation-id': payload.correlationId }),
        },
        body: JSON.stringify(payload),
      }, config.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      return answer.ok ? classifyResponse(answer.status, answer.headers, answer.body) : answer.outcome;
    },
  };
}
