/**
 * The sync-path benchmark (`npm run bench -- --only sync`): the real service (PostgreSQL,
 * BullMQ on Redis, Fastify on 127.0.0.1, the generic REST write-back adapter) in a child
 * process, fed by keep-alive HTTP clients and writing back to a local test ERP. In one run:
 *
 *  1. load a generated plant (~1k operations) through `POST /v1/events`, let the first
 *     schedule version and its write-backs go out;
 *  2. throughput: concurrent clients send batches of lot / progress / receipt events for a
 *     bounded time while the worker keeps rescheduling in the background; then single-event
 *     requests the same way;
 *  3. latency: a breakdown (and its end, alternating) on a busy work center, timed to the ERP
 *     receiving the first and the last write-back of the resulting version.
 *
 * Everything is loopback; every loop is bounded in count and time; the database and the queue
 * keys are removed afterwards, also when a phase fails.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { PlantProblem } from '../../scheduler/problem.ts';
import { problemToEvents, shiftProblemToWeekOf } from '../../sync/demo/problem-events.ts';
import type { EventEnvelope } from '../../sync/ports.ts';
import { createApiKey } from '../../sync/store/api-keys.ts';
import type { Db } from '../../sync/store/database.ts';
import { migrateToLatest } from '../../sync/store/migrate.ts';
import { openDatabase } from '../../sync/store/open-database.ts';
import { generatePlant, operationCountOf } from '../generator.ts';
import { backendPids, cpuBetween, snapshot } from './cpu.ts';
import { measureDowntimeLatency, type DowntimeResult } from './downtime-latency.ts';
import { EventMix, operationsInProgress, startEvents } from './event-mix.ts';
import { JsonClient } from './http-client.ts';
import { pollUntil, settled, versionsBetween } from './observe.ts';
import { createScratchDatabase, deleteQueueKeys, freshQueuePrefix } from './scratch.ts';
import type { ServiceRole } from './service-config.ts';
import { startService, type ServiceProcess } from './service-process.ts';
import { summarize, type LatencySummary } from './stats.ts';
import { startTestErp } from './test-erp.ts';
import { measureThroughput, type ThroughputResult } from './throughput.ts';

/**
 * `one-process`: API and workers in one process (`takt start`). `api+worker`: an API-only
 * instance and a `takt worker` process, the documented way to scale out: solves then do not
 * share the event loop that answers HTTP.
 */
export type Topology = 'one-process' | 'api+worker';
export const TOPOLOGIES: readonly Topology[] = ['one-process', 'api+worker'];

export interface SyncBenchOptions {
  readonly topology: Topology;
  readonly adminUrl: string;
  readonly redisUrl: string;
  readonly targetOperations: number;
  readonly seed: number;
  readonly clients: number;
  readonly batchSize: number;
  readonly durationMs: number;
  readonly singleDurationMs: number;
  readonly repeats: number;
  /** The reschedule time limit the service runs with (event-driven runs). */
  readonly rescheduleLimitMs: number;
  /** Run the service under `node --cpu-prof`, profiles into this folder. */
  readonly profileDir?: string;
}

export const defaultSyncBenchOptions = {
  targetOperations: 1000,
  clients: 8,
  batchSize: 100,
  durationMs: 10_000,
  singleDurationMs: 5_000,
  repeats: 30,
  rescheduleLimitMs: 400,
} as const;

export interface BackgroundRuns {
  /** Plan runs that started during the window. */
  readonly planRuns: number;
  readonly solveMs: LatencySummary;
  readonly writebacks: number;
  /** From the end of the window until no change and no write-back was left. */
  readonly settleMs: number | null;
}

/** CPU the service processes and the database's backends spent during a load window. */
export interface LoadCpu {
  /** The process answering HTTP (with the workers inside it in `one-process`). */
  readonly apiMs: number | null;
  /** The worker process (`api+worker` only): background plan runs and write-backs. */
  readonly workerMs: number | null;
  readonly postgresMs: number | null;
  /** Per accepted event (per request for single events). */
  readonly apiUsPerEvent: number | null;
  readonly postgresUsPerEvent: number | null;
}

export interface SyncBenchResult {
  readonly topology: Topology;
  /** 1-minute load average when the run started and when it ended: other work on the machine. */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly plant: {
    readonly id: string;
    readonly operations: number;
    readonly workOrders: number;
    readonly workCenters: number;
    readonly loadEvents: number;
    readonly loadMs: number;
  };
  readonly rescheduleLimitMs: number;
  readonly initial: { readonly solveMs: number | null; readonly writebacks: number; readonly settleMs: number | null };
  readonly batches: ThroughputResult;
  readonly batchesBackground: BackgroundRuns;
  readonly batchesCpu: LoadCpu;
  readonly singles: ThroughputResult;
  readonly singlesCpu: LoadCpu;
  readonly singlesBackground: BackgroundRuns;
  readonly downtime: DowntimeResult;
  readonly erp: { readonly received: number; readonly repeatedKeys: number };
  readonly targets: { readonly eventsPerSecond: number; readonly p95WritebackMs: number };
}

export const TARGETS = { eventsPerSecond: 3_000, p95WritebackMs: 2_000 } as const;
const SETTLE_TIMEOUT_MS = 180_000;

/** The work center with the most primary-mode work per unit: where a breakdown hurts. */
export function busiestWorkCenter(problem: PlantProblem): string {
  const load = new Map<string, number>();
  for (const order of problem.workOrders) {
    for (const op of order.operations) {
      const mode = op.modes[0];
      if (mode !== undefined) load.set(mode.workCenter, (load.get(mode.workCenter) ?? 0) + (mode.setupMinutes ?? 0) + order.quantity * mode.runMinutesPerUnit);
    }
  }
  const ranked = problem.workCenters.map((wc) => ({ id: wc.id, perUnit: (load.get(wc.id) ?? 0) / wc.units })).sort((a, b) => b.perUnit - a.perUnit);
  if (ranked[0] === undefined) throw new Error('the plant has no work center');
  return ranked[0].id;
}

async function sendInBatches(client: JsonClient, events: readonly EventEnvelope[], size: number): Promise<void> {
  for (let i = 0; i < events.length; i += size) {
    const chunk = events.slice(i, i + size);
    const answer = await client.post('/v1/events', { events: chunk }, 120_000);
    const body = answer.body as { accepted?: number; results?: { status: string; reason?: string }[] };
    if (answer.status !== 202 || body.accepted !== chunk.length) {
      const refused = body.results?.filter((r) => r.status !== 'accepted').slice(0, 3) ?? [];
      throw new Error(`loading the plant failed: HTTP ${answer.status}, ${JSON.stringify(refused.length ? refused : answer.body).slice(0, 500)}`);
    }
  }
}

async function timeToSettle(db: Db, plant: string): Promise<number | null> {
  const started = performance.now();
  return (await pollUntil(settled(db, plant), SETTLE_TIMEOUT_MS, 20)) ? performance.now() - started : null;
}

async function backgroundRuns(db: Db, plant: string, window: ThroughputResult['window']): Promise<BackgroundRuns> {
  const settleMs = await timeToSettle(db, plant);
  const runs = await versionsBetween(db, plant, new Date(window.from), new Date(window.to));
  return {
    planRuns: runs.length,
    solveMs: summarize(runs.map((r) => r.solveMs)),
    writebacks: runs.reduce((n, r) => n + r.writebacks, 0),
    settleMs,
  };
}

/** Runs a load window while counting the CPU of the service processes and of the database's backends. */
async function withCpu(db: Db, database: string, services: readonly ServiceProcess[], load: () => Promise<ThroughputResult>): Promise<{ readonly result: ThroughputResult; readonly cpu: LoadCpu }> {
  const apiPids = services.filter((s) => s.role !== 'worker').map((s) => s.pid);
  const workerPids = services.filter((s) => s.role === 'worker').map((s) => s.pid);
  const pgPids = await backendPids(db, database);
  const take = () => ({ api: snapshot(apiPids), worker: snapshot(workerPids), postgres: snapshot(pgPids) });
  const before = take();
  const result = await load();
  const after = take();
  const apiMs = cpuBetween(before.api, after.api);
  const postgresMs = cpuBetween(before.postgres, after.postgres);
  const units = result.batchSize === 1 ? result.requests : result.accepted;
  const perUnit = (x: number | null): number | null => (x === null || units === 0 ? null : (x * 1000) / units);
  return {
    result,
    cpu: { apiMs, workerMs: cpuBetween(before.worker, after.worker), postgresMs, apiUsPerEvent: perUnit(apiMs), postgresUsPerEvent: perUnit(postgresMs) },
  };
}

export async function runSyncBench(options: SyncBenchOptions, log: (line: string) => void): Promise<SyncBenchResult> {
  const runId = randomBytes(3).toString('hex');
  const loadAtStart = loadavg()[0] ?? 0;
  const generated = generatePlant({ targetOperations: options.targetOperations, seed: options.seed });
  // The generator's plant starts on a fixed Monday; the service plans from the real clock.
  const problem = shiftProblemToWeekOf(generated, Date.now());
  const plant = problem.plant.id;

  const database = await createScratchDatabase(options.adminUrl);
  const queuePrefix = freshQueuePrefix();
  log(`sync: database ${database.name}, queue prefix ${queuePrefix}, reschedule limit ${options.rescheduleLimitMs} ms`);
  const db = await openDatabase({ databaseUrl: database.url, dataDir: ':memory:', poolSize: 2 });
  const erp = await startTestErp();
  const services: ServiceProcess[] = [];
  let client: JsonClient | null = null;
  try {
    const migrated = await migrateToLatest(db);
    if (!migrated.ok) throw new Error(`migration ${migrated.failed} failed: ${migrated.message}`);
    const { token } = await createApiKey(db, { name: 'sync bench', scopes: ['erp', 'wms', 'qms', 'mes', 'planner'] });
    const roles: readonly ServiceRole[] = options.topology === 'one-process' ? ['all'] : ['worker', 'api'];
    for (const role of roles) {
      services.push(await startService({
        role, databaseUrl: database.url, redisUrl: options.redisUrl, queuePrefix, erpUrl: erp.url, timeLimitMs: options.rescheduleLimitMs,
      }, options.profileDir === undefined ? {} : { profileDir: options.profileDir }));
    }
    const url = services.find((s) => s.url !== null)?.url;
    if (url === undefined || url === null) throw new Error('no service process serves HTTP');
    client = new JsonClient(url, token, options.clients);
    log(`sync: ${options.topology}: service on ${url} (pids ${services.map((s) => s.pid).join(', ')}), test ERP on ${erp.url}`);

    // 1. Load the plant, with some operations running, and let the first version go out.
    const at = new Date().toISOString();
    const inProgress = operationsInProgress(problem, 24);
    const loadEvents = [...problemToEvents(problem, at, `bench-${runId}`), ...startEvents(plant, inProgress, at)];
    const loadStarted = performance.now();
    await sendInBatches(client, loadEvents, 500);
    const loadMs = performance.now() - loadStarted;
    const loadedAt = new Date();
    log(`sync: loaded ${plant} (${operationCountOf(problem)} operations) with ${loadEvents.length} events in ${Math.round(loadMs)} ms`);
    const initialSettleMs = await timeToSettle(db, plant);
    if (initialSettleMs === null) throw new Error('the first schedule version and its write-backs did not settle in time');
    const initialRuns = await versionsBetween(db, plant, new Date(loadedAt.getTime() - loadMs - 1000), new Date());
    const initial = {
      solveMs: initialRuns.at(-1)?.solveMs ?? null,
      writebacks: initialRuns.reduce((n, r) => n + r.writebacks, 0),
      settleMs: initialSettleMs,
    };
    log(`sync: first version settled ${Math.round(initialSettleMs)} ms after loading (${initial.writebacks} write-backs)`);

    // 2. Throughput: batches, then single events, each with the workers busy meanwhile.
    // One mix per client for both phases: each object's versions keep rising across them.
    const mixes = Array.from({ length: options.clients }, (_, c) => new EventMix(plant, problem, inProgress, c, options.clients, runId));
    const load = client;
    const { result: batches, cpu: batchesCpu } = await withCpu(db, database.name, services, () => measureThroughput(load, mixes, {
      batchSize: options.batchSize, durationMs: options.durationMs, maxRequestsPerClient: 10_000,
    }));
    log(`sync: batches of ${options.batchSize}: ${Math.round(batches.eventsPerSecond)} events/s accepted, p95 ${Math.round(batches.latencyMs.p95 ?? NaN)} ms, rejected ${batches.rejected}, failed requests ${batches.failedRequests}; CPU per event: API process ${Math.round(batchesCpu.apiUsPerEvent ?? NaN)} µs, PostgreSQL ${Math.round(batchesCpu.postgresUsPerEvent ?? NaN)} µs`);
    const batchesBackground = await backgroundRuns(db, plant, batches.window);
    log(`sync: meanwhile ${batchesBackground.planRuns} plan runs; settled ${Math.round(batchesBackground.settleMs ?? NaN)} ms after`);

    const { result: singles, cpu: singlesCpu } = await withCpu(db, database.name, services, () => measureThroughput(load, mixes, {
      batchSize: 1, durationMs: options.singleDurationMs, maxRequestsPerClient: 50_000,
    }));
    log(`sync: single events: ${Math.round(singles.requestsPerSecond)} requests/s, p95 ${Math.round(singles.latencyMs.p95 ?? NaN)} ms; CPU per request: API process ${Math.round(singlesCpu.apiUsPerEvent ?? NaN)} µs, PostgreSQL ${Math.round(singlesCpu.postgresUsPerEvent ?? NaN)} µs`);
    const singlesBackground = await backgroundRuns(db, plant, singles.window);

    // 3. Breakdown to write-back.
    const workCenter = busiestWorkCenter(problem);
    const downtime = await measureDowntimeLatency(db, client, erp, {
      plant, workCenter, repeats: options.repeats, expectedDowntimeMs: 12 * 3_600_000, timeoutMs: 30_000, runId,
    }, log);
    log(`sync: downtime → last write-back p50 ${Math.round(downtime.lastWritebackMs.p50 ?? NaN)} ms, p95 ${Math.round(downtime.lastWritebackMs.p95 ?? NaN)} ms`);

    return {
      topology: options.topology,
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
      plant: { id: plant, operations: operationCountOf(problem), workOrders: problem.workOrders.length, workCenters: problem.workCenters.length, loadEvents: loadEvents.length, loadMs },
      rescheduleLimitMs: options.rescheduleLimitMs,
      initial,
      batches,
      batchesBackground,
      batchesCpu,
      singles,
      singlesBackground,
      singlesCpu,
      downtime,
      erp: { received: erp.total(), repeatedKeys: erp.repeats() },
      targets: TARGETS,
    };
  } finally {
    client?.close();
    // The API first, so that nothing new is queued while the worker finishes its job.
    for (const service of [...services].reverse()) await service.stop();
    await erp.close();
    await db.destroy();
    await database.drop();
    const keys = await deleteQueueKeys(options.redisUrl, queuePrefix);
    log(`sync: dropped ${database.name}, deleted ${keys} queue keys`);
  }
}
