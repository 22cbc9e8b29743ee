/**
 * How a job handler tells the queue what to do with a failure. Both queues read these the same
 * way: `UnrecoverableJobError` (or BullMQ's own `UnrecoverableError`) fails the job without a
 * retry; `RetryLaterError` re-runs it after the given delay without spending an attempt (a busy
 * plant lock, an ERP's Retry-After); anything else is retried with exponential backoff.
 */

export class UnrecoverableJobError extends Error {
  override readonly name = 'UnrecoverableError';
}

export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(readonly delayMs: number, message = `retry in ${delayMs} ms`) {
    super(message);
  }
}

/** Matches ours and BullMQ's `UnrecoverableError` (by name, so this module needs no bullmq import). */
export function isUnrecoverable(error: unknown): boolean {
  return error instanceof Error && error.name === 'UnrecoverableError';
}

export function isRetryLater(error: unknown): error is RetryLaterError {
  return error instanceof RetryLaterError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
