/** A connection's inbound half on the poll loop: read, apply, wait; back off while the ERP is down. */
import { startPollLoop, type PollLoop, type PollLoopOptions } from '../feeds/poll-loop.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import type { Db } from '../store/database.ts';
import type { ErpConnector } from './connector.ts';
import { pollConnector, type ConnectorPollOutcome } from './inbound.ts';

export interface ConnectorPollerOptions extends Omit<PollLoopOptions, 'poll'> {
  readonly db: Db;
  readonly connector: ErpConnector;
  readonly queue: JobQueue | null;
  readonly onPoll?: (outcome: ConnectorPollOutcome) => void;
}

export function startConnectorPoller(options: ConnectorPollerOptions): PollLoop {
  return startPollLoop({
    ...options,
    async poll() {
      const outcome = await pollConnector(options.db, options.connector, options.queue);
      options.onPoll?.(outcome);
      return outcome.kind === 'applied' ? { kind: 'done', more: outcome.more } : { kind: 'unavailable', retryAfterMs: outcome.retryAfterMs };
    },
  });
}
