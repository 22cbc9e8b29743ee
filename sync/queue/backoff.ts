/** Exponential backoff with full jitter, shared by both queues and the write-back worker. */

export interface RetryPolicy {
  /** Runs of one job in all (the first run included) before it fails for good. */
  readonly attempts: number;
  /** Delay before the first retry, before jitter. */
  readonly baseDelayMs: number;
  /** Ceiling of any single delay (a Retry-After above it is still honoured). */
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 8, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/**
 * The delay before retry number `retry` (1 = the first retry): base·2^(retry-1), capped, with
 * "equal jitter" (half fixed, half random) so that a burst of failures does not retry in step
 * while no retry comes back sooner than half its nominal delay.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, retry - 1);
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
