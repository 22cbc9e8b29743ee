/** A connection's inbound half on the poll loop: read, apply, wait; back off while the ERP is down. */
import { randomUUID } from 'node:crypto';
import { startPollLoop, type PollLoop, type PollLoopOptions } from '../feeds/poll-loop.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import type { Db } from '../store/database.ts';
import { releaseFeedLease } from '../store/feed-cursors.ts';
import { runGated, type CallGate } from '../writeback/call-gate.ts';
import type { DateWindow } from '../ingest/plausible-dates.ts';
import type { ErpConnector } from './connector.ts';
import { connectorFeed, pollConnector, type ConnectorPollOutcome } from './inbound.ts';

export interface ConnectorPollerOptions extends Omit<PollLoopOptions, 'poll'> {
  readonly db: Db;
  readonly connector: ErpConnector;
  readonly queue: JobQueue | null;
  readonly onPoll?: (outcome: ConnectorPollOutcome) => void;
  /** The ERP's quota, shared with the write-backs. */
  readonly gate?: CallGate | null;
  /** Which dates the ERP's records may carry. */
  readonly dates?: DateWindow;
}

/**
 * Every worker runs one, but only the holder of the connection's lease reads the ERP (an ERP's
 * quota is for all of takt); if it stops or dies, another takes over when the lease runs out.
 */
export function startConnectorPoller(options: ConnectorPollerOptions): PollLoop {
  const lease = { owner: randomUUID(), ttlMs: Math.max(30_000, 3 * (options.intervalMs ?? 5_000)) };
  const loop = startPollLoop({
    ...options,
    async poll() {
      const { value: outcome } = await runGated(options.gate ?? null, () => pollConnector(options.db, options.connector, options.queue, { lease, ...(options.dates && { dates: options.dates }) }));
      options.onPoll?.(outcome);
      return outcome.kind === 'applied' ? { kind: 'done', more: outcome.more } : { kind: 'unavailable', retryAfterMs: outcome.retryAfterMs };
    },
  });
  return {
    get failures() { return loop.failures; },
    wake: () => loop.wake(),
    async stop() {
      await loop.stop();
      await releaseFeedLease(options.db, 'erp', connectorFeed(options.connector), lease.owner).catch(() => undefined);
    },
  };
}
