/** Both queues under test: in-process, and BullMQ on the real Redis with a fresh prefix per queue. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RetryPolicy } from '../../../sync/queue/backoff.ts';
import { BullmqQueue } from '../../../sync/queue/bullmq-queue.ts';
import { InProcessQueue } from '../../../sync/queue/in-process-queue.ts';
import type { JobQueue } from '../../../sync/queue/job-queue.ts';

export const REDIS_URL = process.env.TAKT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const fastRetry: RetryPolicy = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };

export interface QueueBackend {
  readonly name: string;
  open(retry?: RetryPolicy): JobQueue;
}

export const queueBackends: readonly QueueBackend[] = [
  { name: 'in-process', open: (retry = fastRetry) => new InProcessQueue({ retry }) },
  {
    name: 'bullmq',
    open: (retry = fastRetry) => new BullmqQueue({ redisUrl: REDIS_URL, prefix: `takt-test-${randomBytes(6).toString('hex')}`, retry }),
  },
];

/** Closes a queue and, for BullMQ, removes its keys. */
export async function disposeQueue(queue: JobQueue): Promise<void> {
  await queue.close();
  if (queue instanceof BullmqQueue) await deleteKeys(`${queue.prefix}:*`);
}

/** Workers write bookkeeping keys until they stop, so the prefix is cleared after closing. */
export async function deleteKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
