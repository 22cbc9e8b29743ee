/**
 * The webhook dispatcher: claims due deliveries (deliveries.ts), POSTs them signed, records what
 * came of each. It runs on the poll loop of the feeds (poll, wait, poll at once while a full batch
 * says there is more, back off while the database is down), so any number of worker processes
 * may run one over the same table without a queue: the claim's lease keeps them apart.
 *
 * At least once: a dispatcher that dies after the receiver answered but before recording it sends
 * the row again when the lease runs out, under the same event id, which the receiver de-duplicates.
 * Not in order: rows go in parallel and retry independently; receivers order by `version`.
 */
import type { RetryPolicy } from '../queue/backoff.ts';
import type { Db } from '../store/database.ts';
import { startPollLoop, type PollLoop, type PollStep } from '../feeds/poll-loop.ts';
import { DEFAULT_RETRY_WINDOW_MS, defaultWebhookRetry, nextStep, type NextStep } from './decide.ts';
import { claimDueDeliveries, deadLetterDelivery, markDelivered, scheduleRetry, type ClaimedDelivery } from './deliveries.ts';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, postEvent } from './post-event.ts';
import { signingSecrets } from './secrets.ts';

export interface WebhookDispatchOptions {
  readonly db: Db;
  /** Milliseconds; every stored instant (due, lease, window) is read against it. */
  readonly clock?: () => number;
  /** Backoff between the attempts of one row (attempts is ignored: the window bounds them). */
  readonly retry?: RetryPolicy;
  /** How long after its creation (or replay) a failing row is still retried (default 24 h). */
  readonly windowMs?: number;
  /** How long a claim keeps other dispatchers off a row, in clock time; longer than `timeoutMs` (default 60 s). */
  readonly leaseMs?: number;
  /** Per request, in real time (default 10 s). */
  readonly timeoutMs?: number;
  /** Rows claimed and sent at once per poll (default 8). */
  readonly concurrency?: number;
  readonly random?: () => number;
  /** Told what became of each attempt (logs, metrics). */
  readonly onResult?: (step: NextStep, row: { readonly id: string; readonly eventId: string; readonly subscription: string; readonly attempts: number }) => void;
}

export interface WebhookDispatcherOptions extends WebhookDispatchOptions {
  /** Wait after a poll that found nothing due (default 1 s). */
  readonly intervalMs?: number;
  /** Backoff while polling itself fails (the database is down). */
  readonly pollBackoff?: RetryPolicy;
  readonly onError?: (error: unknown) => void;
}

/** One round: claim a batch, send it, record the outcomes. `more`: the batch was full. */
export function createWebhookDispatch(options: WebhookDispatchOptions): () => Promise<{ readonly sent: number; readonly more: boolean }> {
  const { db } = options;
  const clock = options.clock ?? Date.now;
  const settings = {
    retry: options.retry ?? defaultWebhookRetry,
    windowMs: options.windowMs ?? DEFAULT_RETRY_WINDOW_MS,
    random: options.random ?? Math.random,
  };
  const leaseMs = options.leaseMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? 8);

  async function deliver(row: ClaimedDelivery): Promise<void> {
    const sentAt = clock();
    const secrets = signingSecrets({ secret: row.secret, previous_secret: row.previousSecret, previous_secret_until: row.previousSecretUntil }, sentAt);
    // jsonb hands back the same object every attempt, so every attempt sends (and signs) the same bytes.
    const body = JSON.stringify(row.payload);
    const outcome = await postEvent(row.url, { eventId: row.eventId, type: row.type, body }, secrets, sentAt, timeoutMs);
    const done = clock();
    const step = nextStep(outcome, { attempts: row.attempts, windowFrom: row.retryWindowFrom.getTime() }, done, settings);
    if (step.kind === 'delivered') await markDelivered(db, row.id, new Date(done));
    else if (step.kind === 'retry') await scheduleRetry(db, row, new Date(step.at), step.error);
    else await deadLetterDelivery(db, row, step.error);
    options.onResult?.(step, { id: row.id, eventId: row.eventId, subscription: row.subscription, attempts: row.attempts });
  }

  return async function dispatch() {
    const claimed = await claimDueDeliveries(db, new Date(clock()), leaseMs, concurrency);
    // One row's failure to record (the database dropped) leaves its lease to run out: it goes again.
    const settled = await Promise.allSettled(claimed.map(deliver));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return { sent: claimed.length, more: claimed.length === concurrency };
  };
}

/**
 * Starts dispatching in this process until `stop()`; `wake()` sends what is due now (call it
 * after committing a publication, so receivers hear of it without waiting for the interval).
 */
export function startWebhookDispatcher(options: WebhookDispatcherOptions): PollLoop {
  const dispatch = createWebhookDispatch(options);
  return startPollLoop({
    async poll(): Promise<PollStep> {
      const round = await dispatch();
      return { kind: 'done', more: round.more };
    },
    intervalMs: options.intervalMs ?? 1_000,
    ...(options.pollBackoff !== undefined && { backoff: options.pollBackoff }),
    ...(options.random !== undefined && { random: options.random }),
    ...(options.onError !== undefined && { onError: options.onError }),
  });
}
