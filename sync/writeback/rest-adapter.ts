/**
 * The generic write-back: POSTs the canonical JSON with an Idempotency-Key header, for ERPs and
 * middleware that take takt's own shape. It holds no ERP ids or stamps: there is nothing to guard.
 */
import type { ErpOutbound, WriteOutcome } from '../connectors/connector.ts';
import { DEFAULT_TIMEOUT_MS, exchange } from './http.ts';
import { classifyResponse } from './outcome.ts';
import type { WritebackPayload } from './payload.ts';

export interface RestAdapterConfig {
  readonly url: string;
  /** Extra headers, e.g. `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** What the receiver holds after a POST: the canonical dates and rank as sent. */
function project(payload: WritebackPayload): unknown {
  return {
    plannedStart: payload.plannedStart,
    plannedEnd: payload.plannedEnd,
    dispatchPriority: payload.dispatchPriority,
    operations: payload.operations.map((op) => [op.operation, op.workCenter, op.plannedStart, op.plannedEnd]),
  };
}

export function restAdapter(config: RestAdapterConfig): ErpOutbound {
  return {
    project,
    async write({ payload }): Promise<WriteOutcome> {
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
      const outcome = answer.ok ? classifyResponse(answer.status, answer.headers, answer.body) : answer.outcome;
      return outcome.kind === 'delivered' ? { kind: 'written', held: project(payload), stamp: null, calls: 1 } : outcome;
    },
  };
}
