/**
 * The loop behind every poller (change feeds, ERP connectors): poll, then wait the interval
 * (no wait while a full page says there is more), back off exponentially while the source is
 * down or the poll throws (honouring Retry-After), and poll again at once when woken.
 */
import { backoffDelay, type RetryPolicy } from '../queue/backoff.ts';

export type PollStep =
  | { readonly kind: 'done'; readonly more: boolean }
  | { readonly kind: 'unavailable'; readonly retryAfterMs: number | null };

export interface PollLoopOptions {
  poll(): Promise<PollStep>;
  /** Wait after a poll that left nothing to read (default 5 s). */
  readonly intervalMs?: number;
  /** Backoff while the source is down (attempts is ignored: a source is polled forever). */
  readonly backoff?: RetryPolicy;
  readonly random?: () => number;
  readonly onError?: (error: unknown) => void;
}

export interface PollLoop {
  /** Consecutive failed polls (0 when healthy). */
  readonly failures: number;
  /** Ends the current wait: the next poll starts now. */
  wake(): void;
  stop(): Promise<void>;
}

export const defaultPollBackoff: RetryPolicy = { attempts: Infinity, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

export function startPollLoop(options: PollLoopOptions): PollLoop {
  const backoff = options.backoff ?? defaultPollBackoff;
  const interval = options.intervalMs ?? 5_000;
  let stopped = false;
  let failures = 0;
  let woken = false;
  let timer: NodeJS.Timeout | null = null;
  let resume: (() => void) | null = null;

  const pause = (ms: number): Promise<void> => new Promise((resolve) => {
    resume = resolve;
    timer = setTimeout(resolve, ms);
  });

  async function run(): Promise<void> {
    while (!stopped) {
      woken = false;
      let delay = interval;
      try {
        const step = await options.poll();
        if (step.kind === 'done') {
          failures = 0;
          delay = step.more ? 0 : interval;
        } else {
          failures += 1;
          delay = Math.max(step.retryAfterMs ?? 0, backoffDelay(failures, backoff, options.random));
        }
      } catch (error) {
        failures += 1;
        options.onError?.(error);
        delay = backoffDelay(failures, backoff, options.random);
      }
      if (!stopped && delay > 0 && !woken) await pause(delay);
    }
  }

  const loop = run();
  return {
    get failures() { return failures; },
    wake() {
      woken = true;
      if (timer) clearTimeout(timer);
      resume?.();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      resume?.();
      await loop;
    },
  };
}
