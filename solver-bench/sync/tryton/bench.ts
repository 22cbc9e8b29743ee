/**
 * takt against a live Tryton 6.0 (`npm run bench -- --only tryton`): a private trytond on a
 * copy of the test template, a generated plant (~1,000 operations) built through its JSON-RPC,
 * and takt's runtime as `takt start` runs it (PostgreSQL in a scratch database, the in-process
 * queue, one solver thread, the Tryton connector polling), all on this machine. In one run:
 *
 *  1. set-up: template, Tryton start, plant build, the first full read, takt's master data,
 *     the first plan and all its write-backs (write-back throughput), with one change made in
 *     Tryton 30 s into that burst (how soon the poller applies a change while write-backs run);
 *  2. the poller once nothing has changed for longer than the overlap window, and three
 *     re-plans with nothing changed (the write-backs the plan's own churn would cost);
 *  3. single changes made in Tryton (a quantity, a new production, a purchase delivery date),
 *     each after the plant settled, timed from its commit to the read, the version and the
 *     write-back delivered, the dates read back from Tryton;
 *  4. an MRP run re-dating every production in one write (the plant first grown to
 *     `deltaProductions` productions): the inbound delta and the version, and its write-backs
 *     for a bounded window (the first plan measured a whole burst already).
 *
 * Every wait is bounded; the database, the runtime and the server are removed also on failure.
 */
import type { ErpLink } from '../../../sync/connectors/connector.ts';
import type { ProductionHeld } from '../../../sync/connectors/tryton/map.ts';
import { TrytonRpc } from '../../../sync/connectors/tryton/rpc.ts';
import { projectProduction } from '../../../sync/connectors/tryton/write.ts';
import { openRuntime, type Runtime } from '../../../sync/runtime.ts';
import { latestVersionNumber } from '../../../sync/store/schedule-versions.ts';
import type { WritebackPayload } from '../../../sync/writeback/payload.ts';
import { startTryton, trytonTemplate } from '../../../test/support/tryton-server.ts';
import * as T from '../../../test/sync/connectors/tryton/tryton-plant.ts';
import { createScratchDatabase, type ScratchDatabase } from '../scratch.ts';
import { summarize } from '../stats.ts';
import { buildPlant, COMPANY, growPlant, type BuiltPlant, type BuiltProduction } from './build-plant.ts';
import { CHANGE_KINDS, PlantChanges, type ChangeKind } from './changes.ts';
import { CpuWatch, trytondPid } from './cpu.ts';
import { masterData, PLANT } from './master-data.ts';
import { byMethod, RpcMeter, type PollRead } from './meter.ts';
import { growthSpec, operationCount, plantSpec, type PlantSpec } from './plant-spec.ts';
import type { ChangeSample, DeltaResult, PlantGrowthResult, PollSummary, TrytonBenchOptions, TrytonBenchResult, WritebackBurst, WritebackMoves } from './result.ts';
import { Timeline } from './timeline.ts';

export const defaultTrytonBenchOptions = { productions: 500, deltaProductions: 1_000, repeats: 6, pollIntervalMs: 1_000, overlapMs: 30_000, timeLimitMs: 400 } as const;

/** How long the MRP run's write-backs are watched (a whole burst of the plant takes minutes). */
const DELTA_WINDOW_MS = 120_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const busy = (calls: readonly { start: number; end: number }[]): number => calls.reduce((sum, c) => sum + c.end - c.start, 0);

function pollSummary(polls: readonly PollRead[]): PollSummary {
  return {
    atOnce: polls.filter((p) => p.atOnce).length,
    readMs: summarize(polls.map((p) => p.end - p.start)),
    calls: summarize(polls.map((p) => p.calls)),
    productionsRead: summarize(polls.map((p) => p.productionsRead)),
  };
}

interface Context {
  readonly timeline: Timeline;
  readonly db: Runtime['db'];
  readonly meter: RpcMeter;
  readonly cpu: CpuWatch;
  readonly rpc: TrytonRpc;
  readonly plant: BuiltPlant;
  readonly options: TrytonBenchOptions;
  readonly log: (line: string) => void;
}

export async function runTrytonBench(options: TrytonBenchOptions, log: (line: string) => void): Promise<TrytonBenchResult> {
  const began = Date.now();
  await trytonTemplate();
  // A template already built answers at once; building one runs trytond-admin for tens of seconds.
  const templateMs = Date.now() - began;
  const serverStart = Date.now();
  const server = await startTryton();
  const trytonStartMs = Date.now() - serverStart;
  log(`tryton: template ${templateMs > 2_000 ? `built in ${templateMs} ms` : 'reused'}, server up in ${trytonStartMs} ms`);
  const meter = new RpcMeter(server.url);
  meter.install();
  let scratch: ScratchDatabase | null = null;
  let runtime: Runtime | null = null;
  try {
    // Batched creations and the MRP write run for minutes in trytond; the default 30 s would cut them.
    const rpc = new TrytonRpc({ ...server, timeoutMs: 600_000 });
    const spec = plantSpec(options.seed, options.productions);
    const buildStart = Date.now();
    const plant = await buildPlant(rpc, spec, log);
    const buildEnd = Date.now();
    const benchCalls = (from: number, to: number) => meter.between(from, to, 'bench').length;
    log(`tryton: plant built in ${buildEnd - buildStart} ms (${benchCalls(buildStart, buildEnd)} RPC calls)`);

    scratch = await createScratchDatabase(options.adminUrl);
    const timeline = new Timeline(PLANT, options.pollIntervalMs);
    const opened = Date.now();
    runtime = await openRuntime({
      databaseUrl: scratch.url, dataDir: ':memory:', redisUrl: undefined, workers: true, feeds: [], writeback: { kind: 'none' },
      timeLimitMs: options.timeLimitMs, solverThreads: 1, sweepIntervalMs: 1_000,
      connectors: [{
        kind: 'tryton', name: 'tryton', plant: PLANT, url: server.url, database: server.database, username: server.username, password: server.password,
        company: COMPANY, pollIntervalMs: options.pollIntervalMs, overlapMs: options.overlapMs,
      }],
    }, timeline.log);
    const rt = runtime;
    timeline.attach(rt.db);
    const ctx: Context = { timeline, db: rt.db, meter, cpu: new CpuWatch(trytondPid(server.port), rt.db, scratch.name), rpc, plant, options, log };
    const polls = (from: number, to: number) => meter.polls(options.pollIntervalMs).filter((p) => p.start >= from && p.end <= to);

    // The first full read: every open production, incoming move and lot.
    const firstApplied = await timeline.until('the first read', async () => timeline.applied(opened)[0], 120_000);
    const firstPoll = meter.polls(options.pollIntervalMs)[0]!;
    log(`tryton: first read ${firstPoll.end - firstPoll.start} ms (${firstPoll.calls} calls), applied ${firstApplied.at - firstPoll.end} ms later`);

    // takt's own master data; the first plan that schedules orders writes them all back.
    const masterStart = Date.now();
    const outcomes = await rt.takt.ingest(masterData(spec), { keyId: 'bench', name: 'bench', scopes: ['erp'], plants: null });
    if (outcomes.some((o) => o.status !== 'accepted')) throw new Error(`master data not accepted: ${JSON.stringify(outcomes.filter((o) => o.status !== 'accepted'))}`);
    const masterEnd = Date.now();
    const firstPlan = await timeline.until('the first plan', async () => timeline.versions(masterEnd).find((v) => v.writebacks > 0), 60_000);
    const quantities = new Map(plant.productions.map((p, i) => [p.id, spec.productions[i]!.quantity]));
    const changes = new PlantChanges(rpc, rt.db, plant, options.seed, quantities);
    const probe = changeDuringBurst(ctx, changes);
    // Awaited below; if the burst fails first, its rejection must not go unhandled meanwhile.
    probe.catch(() => undefined);
    const firstBurst = await burst(ctx, firstPlan);
    const { committed, ...probed } = await probe;
    const duringBurst = { ...probed, burstLeftMs: firstPlan.at + firstBurst.lastMs - committed };
    log(`tryton: a change made ${duringBurst.burstLeftMs} ms before the end of the first plan's write-backs was read ${duringBurst.commitToReadMs} ms after its commit (${duringBurst.readsDropped} reads dropped meanwhile)`);
    log(`tryton: first plan v${firstPlan.version} ${firstPlan.at - masterEnd} ms after the master data, ${firstBurst.delivered} write-backs in ${firstBurst.lastMs} ms`);

    // Nothing changes: past the overlap window behind the last write-back, what does a poll cost?
    await timeline.settled(300_000);
    await sleep((await timeline.lastDeliveredAt()) + options.overlapMs + 1_000 - Date.now());
    const idleFrom = Date.now();
    await sleep(options.pollIntervalMs * 5);
    const idlePolls = pollSummary(polls(idleFrom, Date.now()));
    const trytonConcurrency = { sequential: await readRate(ctx, 1), fourAtOnce: await readRate(ctx, 4) };
    const replansWithoutChange: TrytonBenchResult['replansWithoutChange'][number][] = [];
    for (let i = 0; i < 3; i++) {
      await timeline.settled();
      const planned = await rt.takt.reschedule(PLANT, { reason: 'bench: nothing changed' });
      if (!planned.ok) throw new Error(`re-plan failed: ${JSON.stringify(planned)}`);
      const { rows } = await timeline.writebacksOf(planned.value.version);
      replansWithoutChange.push({ writebacks: rows.length, moved: howMoved(rows) });
    }
    log(`tryton: idle poll read p50 ${idlePolls.readMs.p50} ms (${idlePolls.productionsRead.p50} productions); re-plans without a change queued ${replansWithoutChange.map((r) => r.writebacks).join(', ')} write-backs`);

    // Single changes, one at a time, each after the plant settled.
    const samples: ChangeSample[] = [];
    const changesStart = Date.now();
    for (let i = 0; i < options.repeats; i++) {
      await timeline.settled(300_000);
      const sample = await oneChange(ctx, changes, CHANGE_KINDS[i % CHANGE_KINDS.length]!);
      samples.push(sample);
      log(`tryton: ${sample.kind}: read ${sample.commitToReadMs} ms, version ${sample.commitToVersionMs} ms, own write-back ${sample.commitToOwnWritebackMs ?? '—'} ms, last ${sample.commitToLastMs ?? '—'} ms (${sample.writebacks} write-backs: ${JSON.stringify(sample.moved)}; order ${sample.orderStatus ?? '—'})`);
    }
    const changesEnd = Date.now();

    // The MRP run: every production of the plant re-dated in one write, the plant grown first.
    await timeline.settled(300_000);
    const delta = await mrpDelta(ctx, changes, await growTo(ctx, spec));
    log(`tryton: delta of ${delta.productions}: read ${delta.commitToReadMs} ms (poll read ${delta.pollReadMs} ms), version ${delta.commitToVersionMs} ms, ${delta.burst.delivered} of ${delta.burst.writebacks} write-backs in ${delta.burst.lastMs} ms`);

    return {
      plant: {
        productions: spec.productions.length, operations: operationCount(spec), drafts: plant.productions.filter((p) => p.draft).length,
        workCenters: spec.categories.reduce((n, c) => n + c.centers.length, 0), categories: spec.categories.length,
        products: spec.finished.length + spec.raw.length, lots: spec.lots.length, purchases: spec.purchases.length,
      },
      config: {
        seed: options.seed, productions: options.productions, deltaProductions: options.deltaProductions, repeats: options.repeats, pollIntervalMs: options.pollIntervalMs,
        overlapMs: options.overlapMs, timeLimitMs: options.timeLimitMs, solverThreads: 1, writebackConcurrency: 4, queue: 'in-process', trytondBackend: 'SQLite',
      },
      setup: {
        template: { built: templateMs > 2_000, ms: templateMs },
        trytonStartMs,
        build: { ms: buildEnd - buildStart, calls: benchCalls(buildStart, buildEnd), phases: plant.phases.map((p) => ({ name: p.name, ms: p.end - p.start, calls: benchCalls(p.start, p.end) })) },
        firstRead: {
          ms: firstApplied.at - opened, readMs: firstPoll.end - firstPoll.start, calls: firstPoll.calls, productionsRead: firstPoll.productionsRead,
          records: firstApplied.records, events: firstApplied.events, applyMs: firstApplied.at - firstPoll.end,
        },
        masterDataMs: masterEnd - masterStart,
        firstPlan: { commitMs: firstPlan.at - masterEnd, solveMs: await timeline.solveMs(firstPlan.version), burst: firstBurst },
      },
      duringBurst,
      idlePolls,
      trytonConcurrency,
      replansWithoutChange,
      changes: { samples, polls: pollSummary(polls(changesStart, changesEnd)) },
      delta,
      warnings: timeline.warnings().slice(0, 20),
      totalMs: Date.now() - began,
    };
  } finally {
    await runtime?.close();
    await scratch?.drop();
    meter.uninstall();
    await server.stop();
  }
}

/** The write-backs of one version: how fast they reached Tryton, what they cost there, who was busy. */
async function burst(ctx: Context, version: { at: number; version: number }, stopAfterMs?: number): Promise<WritebackBurst> {
  const { timeline, meter, cpu } = ctx;
  await cpu.start();
  const { rows, complete } = await timeline.writebacksOf(version.version, { progress: ctx.log, ...(stopAfterMs !== undefined && { stopAfterMs }) });
  const cpuShare = await cpu.stop();
  const delivered = rows.flatMap((r) => (r.status === 'delivered' && r.deliveredAt !== null ? [r.deliveredAt] : []));
  const last = delivered.length === 0 ? version.at : Math.max(...delivered);
  const calls = meter.between(version.at, last, 'write');
  const methods = byMethod(calls);
  const statuses: Record<string, number> = {};
  for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
  // Retries leave no status of their own: the worker logs them.
  const retries = timeline.writebackResults(version.at, last + 2_000).retry;
  return {
    version: version.version,
    complete,
    writebacks: rows.length,
    delivered: delivered.length,
    results: { ...statuses, ...(retries !== undefined && { retried: retries }) },
    firstMs: delivered.length === 0 ? null : Math.min(...delivered) - version.at,
    lastMs: last - version.at,
    perSecond: delivered.length === 0 || last === version.at ? null : (delivered.length * 1000) / (last - version.at),
    rpcPerWriteback: delivered.length === 0 ? null : calls.length / delivered.length,
    rpcByMethod: methods,
    rpcBusyMs: { write: busy(calls), poll: busy(meter.between(version.at, last, 'poll')) },
    rpcMsByMethod: Object.fromEntries(Object.keys(methods).map((m) => [m, summarize(calls.filter((c) => c.method === m).map((c) => c.end - c.start))])),
    pollsDuring: (() => {
      const during = meter.polls(ctx.options.pollIntervalMs).filter((p) => p.start >= version.at && p.start <= last);
      return { count: during.length, ...pollSummary(during) };
    })(),
    cpu: cpuShare,
  };
}

/**
 * What each write-back changes against what Tryton held: the planned end later or earlier, only
 * the start, or only the work centers of works (the dates stay). A change that only pushes
 * orders back would make ends later, never earlier.
 */
function howMoved(rows: readonly { payload: unknown; erp_basis: unknown }[]): WritebackMoves {
  const moved = { endLater: 0, endEarlier: 0, startOnly: 0, workCentersOnly: 0 };
  for (const row of rows) {
    const basis = row.erp_basis as ErpLink | null;
    const held = basis?.held as ProductionHeld | null | undefined;
    const target = projectProduction(row.payload as WritebackPayload, basis);
    if (held === null || held === undefined || target.end === null || held.end === null) continue;
    if (target.end > held.end) moved.endLater += 1;
    else if (target.end < held.end) moved.endEarlier += 1;
    else if (target.start !== held.start) moved.startOnly += 1;
    else moved.workCentersOnly += 1;
  }
  return moved;
}

/** 40 reads of one production (the connector's fields), `atOnce` in flight: calls per second, p50. */
async function readRate(ctx: Context, atOnce: number): Promise<{ perSecond: number; p50Ms: number | null }> {
  const id = ctx.plant.productions[0]!.id;
  const fields = ['id', 'number', 'product', 'quantity', 'uom', 'state', 'planned_date', 'planned_start_date', 'routing', 'work_center', 'works', 'inputs', '_timestamp', 'write_date', 'create_date'];
  const times: number[] = [];
  let left = 40;
  const start = Date.now();
  await Promise.all(Array.from({ length: atOnce }, async () => {
    while (left-- > 0) {
      const t = Date.now();
      await T.read(ctx.rpc, ctx.plant.ctx.context, 'production', [id], fields);
      times.push(Date.now() - t);
    }
  }));
  return { perSecond: (times.length * 1000) / (Date.now() - start), p50Ms: summarize(times).p50 };
}

/**
 * A new production created 30 s into the first plan's write-backs: when does takt read it? The
 * inbound core drops a read whose links a write-back changed meanwhile, and the overlap window
 * re-reads exactly the productions being written back.
 */
async function changeDuringBurst(ctx: Context, changes: PlantChanges) {
  await sleep(30_000);
  const change = await changes.make('new production');
  const readAt = await ctx.timeline.until('the change made during the burst', async () => {
    const times = await ctx.timeline.inboxSince(change.eventPrefix, change.sent);
    return times.length > 0 ? Math.min(...times) : null;
  }, 900_000);
  const between = ctx.meter.polls(ctx.options.pollIntervalMs).filter((p) => p.start >= change.committed && p.end <= readAt + 5);
  return { kind: change.kind, committed: change.committed, commitToReadMs: readAt - change.committed, reads: between.length, readsDropped: between.filter((p) => p.atOnce).length };
}

/** The poll whose read ended last before the ingest transaction that applied it began. */
function pollBefore(ctx: Context, readAt: number): PollRead | undefined {
  return ctx.meter.polls(ctx.options.pollIntervalMs).filter((p) => p.end <= readAt + 5).sort((a, b) => b.end - a.end)[0];
}

async function oneChange(ctx: Context, changes: PlantChanges, kind: ChangeKind): Promise<ChangeSample> {
  const { timeline, rpc, plant } = ctx;
  const before = (await latestVersionNumber(ctx.db, PLANT)) ?? 0;
  const change = await changes.make(kind);
  const readAt = Math.min(...await timeline.until(`${kind} in takt`, async () => {
    const times = await timeline.inboxSince(change.eventPrefix, change.sent);
    return times.length > 0 ? times : null;
  }, 120_000));
  const applied = await timeline.until('the read applied', async () => timeline.applied(readAt - 5)[0]);
  const version = await timeline.versionAfter(applied.at);
  const { rows } = await timeline.writebacksOf(version.version, { progress: ctx.log });
  const delivered = rows.flatMap((r) => (r.status === 'delivered' && r.deliveredAt !== null ? [r.deliveredAt] : []));

  // The changed production's own write-back: in that version, or a re-run right after it.
  let own: { deliveredAt: number; payload: unknown; basis: unknown } | null = null;
  if (change.workOrder !== null) {
    const mine = await timeline.until('its write-back settled', async () => {
      const list = await timeline.outbox({ workOrder: change.workOrder!, fromVersion: version.version });
      return list.some((r) => r.status === 'pending') ? null : list;
    }, 300_000);
    const done = mine.filter((r) => r.status === 'delivered' && r.deliveredAt !== null).sort((a, b) => a.deliveredAt! - b.deliveredAt!)[0];
    if (done !== undefined) own = { deliveredAt: done.deliveredAt!, payload: done.payload, basis: done.erp_basis };
  }
  // The dates as Tryton holds them now are those takt wrote.
  let readBack: boolean | null = null;
  if (own !== null && change.productionId !== null) {
    const row = await T.readOne(rpc, plant.ctx.context, 'production', change.productionId, ['planned_start_date', 'planned_date']);
    const target = projectProduction(own.payload as WritebackPayload, own.basis as ErpLink);
    readBack = row.planned_start_date === target.start && row.planned_date === target.end;
  }
  const poll = pollBefore(ctx, readAt);
  return {
    kind,
    commitToReadMs: readAt - change.committed,
    pollWaitMs: poll === undefined ? null : poll.start - change.committed,
    pollReadMs: poll === undefined ? null : poll.end - poll.start,
    pollCalls: poll?.calls ?? null,
    applyMs: applied.at - readAt,
    commitToVersionMs: version.at - change.committed,
    solveMs: await timeline.solveMs(version.version),
    commitToOwnWritebackMs: own === null ? null : own.deliveredAt - change.committed,
    commitToFirstMs: delivered.length === 0 ? null : Math.min(...delivered) - change.committed,
    commitToLastMs: delivered.length === 0 ? null : Math.max(...delivered) - change.committed,
    writebacks: rows.length,
    moved: howMoved(rows),
    orderStatus: change.workOrder === null ? null : await timeline.orderStatus(version.version, change.workOrder),
    orderPlan: change.workOrder === null ? null : { before: await timeline.orderPlan(before, change.workOrder), after: await timeline.orderPlan(version.version, change.workOrder) },
    readBack,
  };
}

/**
 * The productions the MRP run re-dates: the first `deltaProductions` of the plant, or all of it
 * grown to that many first (created in Tryton, read, planned and written back, then settled).
 */
async function growTo(ctx: Context, spec: PlantSpec): Promise<{ productions: readonly BuiltProduction[]; growth: PlantGrowthResult | null }> {
  const { timeline, plant, options } = ctx;
  if (options.deltaProductions <= plant.productions.length) return { productions: plant.productions.slice(0, options.deltaProductions), growth: null };
  const start = Date.now();
  const added = await growPlant(ctx.rpc, plant, growthSpec(options.seed, spec.productions.length, options.deltaProductions));
  const created = Date.now();
  const numbers = added.map((p) => p.number);
  await timeline.until(`takt to hold the ${added.length} new productions`, async () => (await timeline.workOrdersHeld(numbers)) === numbers.length, 300_000);
  const read = Date.now();
  await timeline.settled(900_000);
  const growth = { added: added.length, createMs: created - start, commitToReadMs: read - created, settleMs: Date.now() - read };
  ctx.log(`tryton: plant grown by ${growth.added} productions in ${growth.createMs} ms; read ${growth.commitToReadMs} ms after, settled ${growth.settleMs} ms later`);
  return { productions: [...plant.productions, ...added], growth };
}

async function mrpDelta(ctx: Context, changes: PlantChanges, plan: { productions: readonly BuiltProduction[]; growth: PlantGrowthResult | null }): Promise<DeltaResult> {
  const { timeline } = ctx;
  const { sent, committed } = await changes.redate(plan.productions);
  const applied = await timeline.until('the delta applied', async () => timeline.applied(committed).find((a) => a.events > 0), 120_000);
  const times = await timeline.inboxSince('tryton:work_order:', sent);
  const readAt = Math.max(...times);
  const poll = pollBefore(ctx, readAt);
  const version = await timeline.versionAfter(applied.at);
  return {
    productions: plan.productions.length,
    growth: plan.growth,
    workOrderEvents: times.length,
    writeMs: committed - sent,
    commitToReadMs: readAt - committed,
    pollReadMs: poll === undefined ? null : poll.end - poll.start,
    pollCalls: poll?.calls ?? null,
    productionsRead: poll?.productionsRead ?? null,
    applyMs: applied.at - readAt,
    commitToVersionMs: version.at - committed,
    solveMs: await timeline.solveMs(version.version),
    burst: await burst(ctx, version, DELTA_WINDOW_MS),
  };
}
