/**
 * Event ingestion under load: `clients` concurrent keep-alive connections, each sending
 * batches of `batchSize` events back to back until the duration (or the batch cap) is spent.
 * Events count only when the service answered 202 and called them accepted.
 */
import type { EventMix } from './event-mix.ts';
import type { JsonClient } from './http-client.ts';
import { summarize, type LatencySummary } from './stats.ts';

export interface ThroughputOptions {
  readonly batchSize: number;
  readonly durationMs: number;
  /** Upper bound on requests per client, whatever the duration. */
  readonly maxRequestsPerClient: number;
}

export interface ThroughputResult {
  readonly clients: number;
  readonly batchSize: number;
  readonly seconds: number;
  readonly requests: number;
  readonly failedRequests: number;
  readonly events: number;
  readonly accepted: number;
  readonly duplicate: number;
  readonly stale: number;
  readonly rejected: number;
  /** Accepted events per second of wall time. */
  readonly eventsPerSecond: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: LatencySummary;
  /** First few rejections, to tell a broken bench from a slow service. */
  readonly sampleRejections: readonly string[];
  /** Wall-clock window, for reading what the workers did meanwhile. */
  readonly window: { readonly from: string; readonly to: string };
}

interface BatchAnswer {
  readonly accepted?: number;
  readonly duplicate?: number;
  readonly stale?: number;
  readonly rejected?: number;
  readonly results?: readonly { readonly status: string; readonly code?: string; readonly reason?: string }[];
}

export async function measureThroughput(client: JsonClient, mixes: readonly EventMix[], options: ThroughputOptions): Promise<ThroughputResult> {
  const latencies: number[] = [];
  const counts = { requests: 0, failed: 0, events: 0, accepted: 0, duplicate: 0, stale: 0, rejected: 0 };
  const sampleRejections: string[] = [];
  const from = new Date().toISOString();
  const started = performance.now();
  const deadline = started + options.durationMs;

  await Promise.all(mixes.map(async (mix) => {
    for (let sent = 0; sent < options.maxRequestsPerClient && performance.now() < deadline; sent++) {
      const events = mix.batch(options.batchSize);
      const answer = await client.post('/v1/events', { events });
      counts.requests += 1;
      counts.events += events.length;
      if (answer.status !== 202) {
        counts.failed += 1;
        if (sampleRejections.length < 5) sampleRejections.push(`HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
        continue;
      }
      latencies.push(answer.ms);
      const body = answer.body as BatchAnswer;
      counts.accepted += body.accepted ?? 0;
      counts.duplicate += body.duplicate ?? 0;
      counts.stale += body.stale ?? 0;
      counts.rejected += body.rejected ?? 0;
      for (const result of body.results ?? []) {
        if (result.status === 'rejected' && sampleRejections.length < 5) sampleRejections.push(`${result.code}: ${result.reason}`);
      }
    }
  }));

  const seconds = (performance.now() - started) / 1000;
  return {
    clients: mixes.length,
    batchSize: options.batchSize,
    seconds,
    requests: counts.requests,
    failedRequests: counts.failed,
    events: counts.events,
    accepted: counts.accepted,
    duplicate: counts.duplicate,
    stale: counts.stale,
    rejected: counts.rejected,
    eventsPerSecond: counts.accepted / seconds,
    requestsPerSecond: counts.requests / seconds,
    latencyMs: summarize(latencies),
    sampleRejections,
    window: { from, to: new Date().toISOString() },
  };
}
