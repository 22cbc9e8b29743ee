/** Picks the queue: BullMQ when a Redis URL is configured, the in-process queue otherwise. */
import type { RetryPolicy } from './backoff.ts';
import { BullmqQueue } from './bullmq-queue.ts';
import { InProcessQueue } from './in-process-queue.ts';
import type { JobQueue } from './job-queue.ts';

export interface QueueConfig {
  readonly redisUrl?: string;
  readonly prefix?: string;
  readonly retry?: RetryPolicy;
}

export function openQueue(config: QueueConfig): JobQueue {
  if (config.redisUrl !== undefined && config.redisUrl !== '') {
    return new BullmqQueue({
      redisUrl: config.redisUrl,
      ...(config.prefix !== undefined && { prefix: config.prefix }),
      ...(config.retry !== undefined && { retry: config.retry }),
    });
  }
  return new InProcessQueue(config.retry !== undefined ? { retry: config.retry } : {});
}
