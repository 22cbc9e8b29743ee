/**
 * Assembles the running service core from its configuration: database (PostgreSQL or PGlite,
 * migrated), queue (BullMQ or in-process), the `Takt` core, and, in a worker, the job handlers,
 * the sweeper and the change-feed pollers. `close()` stops them in reverse order.
 */
import { startConnectorPoller } from './connectors/connector-poller.ts';
import type { ErpConnector } from './connectors/connector.ts';
import { createConnector, type ConnectorConfig } from './connectors/create-connector.ts';
import type { FeedConfig } from './feeds/feed-poller.ts';
import type { PollLoop } from './feeds/poll-loop.ts';
import { startFeedPoller, type FeedPoller } from './feeds/feed-poller.ts';
import { startWebhookDispatcher } from './events-out/dispatcher.ts';
import { createRescheduleHandler } from './planning/reschedule-job.ts';
import { inThreadSolver, type SolverPool } from './planning/solver-pool.ts';
import { startSolverThreads } from './planning/solver-thread.ts';
import { portfolioSolver } from './planning/solver-portfolio.ts';
import { localPlanGuard, postgresPlanGuard } from './planning/plan-guard.ts';
import { startSweeper, type Sweeper } from './planning/sweeper.ts';
import type { JobQueue } from './queue/job-queue.ts';
import { openQueue } from './queue/open-queue.ts';
import type { Db } from './store/database.ts';
import { migrateToLatest } from './store/migrate.ts';
import { openDatabase } from './store/open-database.ts';
import type { Log } from './log.ts';
import { createTakt, type TaktCore } from './takt.ts';
import type { DateWindow } from './ingest/plausible-dates.ts';
import { StartupError } from './startup-error.ts';

export { StartupError } from './startup-error.ts';

export type { Log } from './log.ts';
import { createWritebackAdapter, type WritebackAdapterConfig } from './writeback/create-adapter.ts';
import { Redis } from 'ioredis';
import { localGate, redisGate, type CallGate, type Quota } from './writeback/call-gate.ts';
import { defaultBreakerPolicy, type BreakerPolicy } from './writeback/circuit-breaker.ts';
import { createWritebackHandler, defaultWritebackRetry } from './writeback/worker.ts';

export interface RuntimeConfig {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly redisUrl: string | undefined;
  /** Queue name prefix (BullMQ keys); tests use a fresh one. */
  readonly queuePrefix?: string;
  readonly writeback: WritebackAdapterConfig;
  readonly feeds: readonly FeedConfig[];
  /** ERP connections, one per plant at most. */
  readonly connectors?: readonly ConnectorConfig[];
  /** Run queue workers, the sweeper and the feed pollers in this process. */
  readonly workers: boolean;
  readonly timeLimitMs?: number;
  /** Worker threads that run solves off the event loop (default 1; several search each plan run together); 0 solves on the event loop. */
  readonly solverThreads?: number;
  /** Threads of their own for what-ifs (default 1; 0: on the plan threads). A what-if waiting for them is refused when another already waits on each. */
  readonly whatIfThreads?: number;
  readonly sweepIntervalMs?: number;
  readonly clock?: () => number;
  /** Which dates events may carry (default `DEFAULT_DATE_WINDOW`). */
  readonly dates?: DateWindow;
  /** The generic write-back's quota (calls per second and at once; 0: none). */
  readonly writebackQuota?: Quota;
  /** How write-backs wait out an ERP that does not answer (backoff, outage window, circuit breaker). */
  readonly writebackRetry?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number; readonly windowMs?: number; readonly breaker?: Partial<BreakerPolicy> };
}

export interface Runtime {
  readonly db: Db;
  readonly queue: JobQueue;
  readonly takt: TaktCore;
  readonly writebacks: boolean;
  close(): Promise<void>;
}


export async function openRuntime(config: RuntimeConfig, log: Log): Promise<Runtime> {
  const db = await openDatabase({ ...(config.databaseUrl !== undefined && { databaseUrl: config.databaseUrl }), dataDir: config.dataDir });
  const migrated = await migrateToLatest(db);
  if (!migrated.ok) {
    await db.destroy();
    throw new StartupError(migrated.failed === null
      ? `the database does not answer: ${migrated.message}`
      : `database migration ${migrated.failed} failed: ${migrated.message}`);
  }
  const queue = openQueue({
    ...(config.redisUrl !== undefined && { redisUrl: config.redisUrl }),
    ...(config.queuePrefix !== undefined && { prefix: config.queuePrefix }),
  });
  // BullMQ waits for Redis forever: a service that cannot queue says so now rather than hang.
  if (!(await queue.ping())) {
    await queue.close();
    await db.destroy();
    throw new StartupError(`Redis at ${config.redisUrl} does not answer: start it, or unset REDIS_URL for the in-process queue`);
  }
  const adapter = createWritebackAdapter(config.writeback);
  const connectors = (config.connectors ?? []).map(createConnector);
  const connectorOf = new Map<string, ErpConnector>(connectors.map((c) => [c.plant, c]));
  const connectorPollers = new Map<string, PollLoop>();
  // One Redis connection carries every gate of this process; without Redis, gates are in memory.
  const gateRedis = config.redisUrl === undefined ? null : new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  gateRedis?.on('error', () => undefined);
  const gateOf = (connection: string, quota: Quota | undefined): CallGate | null => {
    if (quota === undefined || (quota.callsPerSecond <= 0 && quota.concurrency <= 0)) return null;
    return gateRedis === null ? localGate(quota) : redisGate(gateRedis, `${config.queuePrefix ?? 'takt'}:quota:${connection}`, quota);
  };
  const quotaOf = (c: ConnectorConfig): Quota | undefined => (c.callsPerSecond === undefined && c.concurrency === undefined
    ? undefined : { callsPerSecond: c.callsPerSecond ?? 0, concurrency: c.concurrency ?? 0 });
  const gates = new Map((config.connectors ?? []).map((c) => [c.name, gateOf(c.name, quotaOf(c))]));
  const genericGate = gateOf('generic', config.writebackQuota);
  const writebacks = adapter !== null || connectors.some((c) => c.outbound);
  const connectorFor = (plant: string) => {
    const connector = connectorOf.get(plant);
    return connector?.outbound ? { connection: connector.name, linked: connector.inbound, project: connector.project } : null;
  };
  const clock = config.clock ?? Date.now;
  const solver = openSolver(config.solverThreads ?? 1);
  const whatIfSolver = openWhatIfSolver(solver, config.solverThreads ?? 1, config.whatIfThreads ?? 1);
  // One guard for the planners' runs and the queued ones, so each refuses the other at once.
  const planGuard = config.databaseUrl ? postgresPlanGuard(db) : localPlanGuard();
  const takt = createTakt({
    db, queue, writebacks, clock, log, solver, whatIfSolver, planGuard, connectorFor,
    ...(config.timeLimitMs !== undefined && { timeLimitMs: config.timeLimitMs }),
    ...(config.dates && { dates: config.dates }),
    onPublished: () => webhookDispatcher?.wake(),
  });

  let sweeper: Sweeper | null = null;
  let webhookDispatcher: PollLoop | null = null;
  const pollers: FeedPoller[] = [];
  if (config.workers) {
    const reschedule = createRescheduleHandler({
      db, queue, writebacks, clock, solver, connectorFor, guard: planGuard,
      ...(config.timeLimitMs !== undefined && { timeLimitMs: config.timeLimitMs }),
      onRun: (outcome) => {
        takt.recordRun(outcome);
        if (outcome.status === 'planned') {
          log('info', 'schedule version committed', {
            plant: outcome.plant, version: outcome.version, status: outcome.result.status, writebacks: outcome.outboxIds.length, correlationId: outcome.correlationId,
          });
        }
      },
    });
    const retry = config.writebackRetry ?? {};
    const writeback = !writebacks ? null : createWritebackHandler({
      db, clock,
      retry: { ...defaultWritebackRetry, ...(retry.baseDelayMs !== undefined && { baseDelayMs: retry.baseDelayMs }), ...(retry.maxDelayMs !== undefined && { maxDelayMs: retry.maxDelayMs }) },
      ...(retry.windowMs !== undefined && { windowMs: retry.windowMs }),
      breaker: { ...defaultBreakerPolicy, ...retry.breaker },
      route: (plant) => {
        const connector = connectorOf.get(plant);
        if (connector?.outbound) {
          return { outbound: connector, connection: connector.name, gate: gates.get(connector.name) ?? null, wake: () => connectorPollers.get(connector.name)?.wake() };
        }
        return adapter === null ? null : { outbound: adapter, connection: null, gate: genericGate };
      },
      onResult: (result, row) => log(result === 'dead' ? 'warn' : 'info', 'write-back', { result, outboxId: row.id, ...row }),
    });
    queue.startWorkers({
      reschedule: (plant) => reschedule(plant),
      writeback: async (outboxId) => {
        if (writeback !== null) await writeback(outboxId);
      },
    });
    queue.onFailed((failure) => log('error', 'job failed for good', { ...failure }));
    webhookDispatcher = startWebhookDispatcher({
      db, clock,
      ...(config.writebackRetry?.windowMs !== undefined && { windowMs: config.writebackRetry.windowMs }),
      onError: (error) => log('warn', 'webhook dispatch failed', { error: String(error) }),
      onResult: (step, row) => { if (step.kind !== 'delivered') log(step.kind === 'dead' ? 'warn' : 'info', 'webhook', { ...row, result: step.kind, error: step.error }); },
    });
    sweeper = startSweeper(db, queue, {
      writebacks,
      ...(config.sweepIntervalMs !== undefined && { intervalMs: config.sweepIntervalMs }),
      onError: (error) => log('warn', 'sweep failed', { error: String(error) }),
    });
    for (const connector of connectors.filter((c) => c.inbound)) {
      const settings = (config.connectors ?? []).find((c) => c.name === connector.name);
      connectorPollers.set(connector.name, startConnectorPoller({
        db, connector, queue, gate: gates.get(connector.name) ?? null,
        ...(config.dates && { dates: config.dates }),
        ...(settings?.pollIntervalMs !== undefined && { intervalMs: settings.pollIntervalMs }),
        onError: (error) => log('warn', 'ERP read failed', { connection: connector.name, error: String(error) }),
        onPoll: (outcome) => {
          if (outcome.kind === 'unavailable') log('warn', 'ERP unavailable', { connection: connector.name, reason: outcome.reason });
          else if (outcome.outcomes.length > 0) log('info', 'ERP changes applied', { connection: connector.name, records: outcome.records, events: outcome.outcomes.length, plants: outcome.dirtyPlants });
        },
      }));
    }
    for (const feed of config.feeds) {
      pollers.push(startFeedPoller({ db, feed, queue, ingest: { clock, ...(config.dates && { dates: config.dates }) }, onError: (error) => log('warn', 'feed poll failed', { feed: feed.name, error: String(error) }) }));
    }
  }

  return {
    db, queue, takt, writebacks,
    async close() {
      for (const poller of connectorPollers.values()) await poller.stop();
      for (const poller of pollers) await poller.stop();
      for (const connector of connectors) await connector.close?.();
      await sweeper?.stop();
      await webhookDispatcher?.stop();
      await queue.close();
      await solver.close();
      if (whatIfSolver !== solver) await whatIfSolver.close();
      await planGuard.close();
      gateRedis?.disconnect();
      await db.destroy();
    },
  };
}

/**
 * The one place that decides where solves run: a solve on the event loop stalls every request in
 * flight. With several threads each plan run searches on all of them as one team (solver-portfolio.ts).
 */
function openSolver(threads: number): SolverPool {
  return threads > 0 ? portfolioSolver(startSolverThreads({ size: threads }), threads) : inThreadSolver;
}

/** What-ifs on threads of their own, one waiting per thread at most; on the event loop everything shares it anyway. */
function openWhatIfSolver(planSolver: SolverPool, planThreads: number, threads: number): SolverPool {
  return planThreads > 0 && threads > 0 ? startSolverThreads({ size: threads, maxWaiting: threads }) : planSolver;
}
