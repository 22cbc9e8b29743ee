/**
 * What follows one delivery attempt. A receiver that refuses the event (a 4xx other than the
 * retryable ones) will refuse it again: dead at once. A receiver that is down is retried with
 * capped exponential backoff (or its Retry-After, if later) for the whole retry window, counted
 * from the row's creation: a receiver down for hours loses nothing; only once the window is
 * over does a failed attempt make a dead letter. Attempts are not capped, time is.
 */
import { backoffDelay, type RetryPolicy } from '../queue/backoff.ts';
import type { DeliveryOutcome } from '../writeback/outcome.ts';

/** `attempts` is ignored: the retry window bounds retries. */
export const defaultWebhookRetry: RetryPolicy = { attempts: Infinity, baseDelayMs: 5_000, maxDelayMs: 10 * 60_000 };
export const DEFAULT_RETRY_WINDOW_MS = 24 * 60 * 60_000;

export type NextStep =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly at: number; readonly error: string }
  | { readonly kind: 'dead'; readonly error: string };

export interface RetrySettings {
  readonly retry: RetryPolicy;
  readonly windowMs: number;
  readonly random: () => number;
}

export function nextStep(
  outcome: DeliveryOutcome,
  attempt: { readonly attempts: number; readonly windowFrom: number },
  now: number,
  settings: RetrySettings,
): NextStep {
  if (outcome.kind === 'delivered') return { kind: 'delivered' };
  if (outcome.kind === 'rejected') {
    return { kind: 'dead', error: `refused${outcome.status === null ? '' : ` with HTTP ${outcome.status}`}: ${outcome.reason}` };
  }
  if (now - attempt.windowFrom >= settings.windowMs) {
    const hours = Math.round((now - attempt.windowFrom) / 36_000) / 100;
    return { kind: 'dead', error: `gave up after ${attempt.attempts} attempts over ${hours} h: ${outcome.reason}` };
  }
  const delay = Math.max(outcome.retryAfterMs ?? 0, backoffDelay(attempt.attempts, settings.retry, settings.random));
  return { kind: 'retry', at: now + delay, error: outcome.reason };
}
