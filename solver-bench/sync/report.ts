/** The sync benchmark's section of RESULTS.md, rendered from its stored results. */
import type { RunMeta } from '../report.ts';
import type { BackgroundRuns, LoadCpu, SyncBenchResult } from './bench.ts';
import type { LatencySummary } from './stats.ts';
import type { ThroughputResult } from './throughput.ts';

export interface SyncPart {
  readonly meta: RunMeta;
  /** One per topology measured. */
  readonly runs: readonly SyncBenchResult[];
}

const ms = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const pcts = (s: LatencySummary): string => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)} (max ${ms(s.max)}, n = ${s.count})`;
const verdict = (met: boolean): string => (met ? 'met' : '**missed**');

function background(runs: BackgroundRuns): string {
  return `${runs.planRuns} plan runs started (solve p50 ${ms(runs.solveMs.p50)}, max ${ms(runs.solveMs.max)}), ${runs.writebacks} write-backs queued; settled ${ms(runs.settleMs)} after the load stopped`;
}

const us = (x: number | null): string => (x === null ? '—' : `${Math.round(x)} µs`);

function cpuLine(name: string, cpu: LoadCpu, unit: string): string {
  const worker = cpu.workerMs === null ? '' : `; the worker process used ${ms(cpu.workerMs)} of CPU meanwhile`;
  return `- CPU during the ${name}: API process ${us(cpu.apiUsPerEvent)} per ${unit} (${ms(cpu.apiMs)} in all), PostgreSQL backends of the bench database ${us(cpu.postgresUsPerEvent)} per ${unit} (${ms(cpu.postgresMs)})${worker}.`;
}

function throughputRow(name: string, x: ThroughputResult): string {
  return `| ${name} | ${x.seconds.toFixed(1)} | ${int(x.requests)} | ${int(x.events)} | ${int(x.accepted)} | ${x.stale} / ${x.duplicate} / ${x.rejected} | ${x.failedRequests} | ${int(x.eventsPerSecond)} | ${int(x.requestsPerSecond)} | ${pcts(x.latencyMs)} |`;
}

function details(r: SyncBenchResult): string[] {
  return [
    `### Topology: ${r.topology}`,
    '',
    `Load average (1 min) ${r.loadAverage.start.toFixed(1)} at the start, ${r.loadAverage.end.toFixed(1)} at the end, on ${r.loadAverage.start > 2 ? 'a machine busy with other work as well' : 'an otherwise quiet machine'}.`,
    '',
    `Plant \`${r.plant.id}\`: ${r.plant.operations} operations, ${r.plant.workOrders} orders, ${r.plant.workCenters} work centers, loaded with ${r.plant.loadEvents} events through \`POST /v1/events\` in ${ms(r.plant.loadMs)}; the first version and its ${r.initial.writebacks} write-backs settled ${ms(r.initial.settleMs)} later.`,
    '',
    '| traffic | seconds | requests | events | accepted | stale / duplicate / rejected | failed requests | events/s | requests/s | latency p50 / p95 / p99 |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |',
    throughputRow(`batches of ${r.batches.batchSize}`, r.batches),
    throughputRow('single events', r.singles),
    '',
    `- Background during the batches: ${background(r.batchesBackground)}.`,
    `- Background during the single events: ${background(r.singlesBackground)}.`,
    cpuLine('batches', r.batchesCpu, 'event'),
    cpuLine('single events', r.singlesCpu, 'request'),
    '',
    `Breakdown to ERP: ${r.downtime.repeats} repeats on \`${r.downtime.workCenter}\`.`,
    '',
    '| from sending the event to | p50 / p95 / p99 |',
    '| --- | --- |',
    `| accepted (202) | ${pcts(r.downtime.ackMs)} |`,
    `| (solver time inside the run) | ${pcts(r.downtime.solveMs)} |`,
    `| version seen committed | ${pcts(r.downtime.committedMs)} |`,
    `| first write-back at the ERP | ${pcts(r.downtime.firstWritebackMs)} |`,
    `| last write-back at the ERP | ${pcts(r.downtime.lastWritebackMs)} |`,
    `| write-backs per version | ${r.downtime.writebacksPerVersion.p50 ?? '—'} / ${r.downtime.writebacksPerVersion.p95 ?? '—'} / ${r.downtime.writebacksPerVersion.p99 ?? '—'} (max ${r.downtime.writebacksPerVersion.max ?? '—'}) |`,
    '',
    `Versions without write-backs: ${r.downtime.withoutWritebacks}; timed out: ${r.downtime.timedOut}. The test ERP received ${int(r.erp.received)} write-backs in this run (${r.erp.repeatedKeys} repeats of a key already received).`,
    '',
  ];
}

/**
 * What profiling showed when the ingestion target was missed (node --cpu-prof of the API-only
 * process over 10 s of batches, 2026-11-23; reproduce with `--sync-profile DIR` and
 * `solver-bench/sync/profile-summary.ts`).
 */
const WHERE_THE_TIME_GOES = [
  '### Where the time goes (ingestion)',
  '',
  '- **Round trips, not computation.** Each event is its own little conversation with PostgreSQL inside the batch\'s transaction: `savepoint`, inbox insert, version claim, reference check(s), the state change, `release savepoint` — 6 statements for a lot or receipt, 8 for an operation report, so a batch of 100 is ~700 sequential round trips on one connection. In the API process\'s profile, 32 % of all samples are the kernel send of those statements (`writev` / `writeBuffer` under `pg` `Client.query`), kysely\'s query building 8 %, `pg` parsing 4 %; takt\'s own ingest, validation and Fastify code together stay under 2 %. `pg_stat_activity` sampled during the batches shows every backend `idle in transaction` waiting on the client (`ClientRead`), never on a lock. That is ~0.8–1.2 ms of API-process CPU per event across runs: one Node process cannot ingest more than ~850–1,300 events/s even on an idle core, whatever the machine load.',
  '- **Solves on the API\'s event loop.** With API and worker in one process (`takt start`), each background reschedule runs `solve` synchronously for its time limit plus loading (0.5–1 s here) and every in-flight ingest transaction stalls meanwhile: batch p50 is 2–3× that of `api+worker`, and single-event p95 jumps to hundreds of milliseconds.',
  '- **What would fix it.** (1) Set-based ingestion per batch: one multi-row `insert … on conflict do nothing returning` for the inbox, one multi-row version claim, one reference lookup per table for the whole batch, one multi-row upsert per object kind; fall back to the per-event savepoints only for a batch in which some event is rejected. That turns ~700 statements per 100 events into ~10 and removes the dominant cost; 3,000 events/s then needs ~0.3 ms of CPU per event in all, well within reach. (2) Run `solve` off the event loop (a worker thread in `sync/planning`) or deploy API and workers apart (`takt worker`). (3) Write-back fan-out: ~100 changed orders per breakdown are enqueued one by one (three Redis round trips each) and delivered four at a time with four database round trips per row; `addBulk` and a higher write-back concurrency would cut the 0.1–1 s seen between the first and the last write-back of a version.',
  '- **Already done.** The batch now remembers that a plant exists after the first event (`sync/ingest/ingest-events.ts`), saving one statement per event.',
  '',
];

export function renderSyncSection(part: SyncPart): string {
  const { meta, runs } = part;
  const first = runs[0];
  if (first === undefined) return '';
  const targets = first.targets;
  const lines = [
    '## (d) Sync path: events in, write-backs out',
    '',
    `Run ${meta.date} with \`${meta.command}\`; reschedule time limit ${first.rescheduleLimitMs} ms (the runtime's \`timeLimitMs\`, what a user would set for event-driven reschedules).`,
    `Machine: ${meta.machine}; Node ${meta.node}. PostgreSQL, Redis, the service processes and the load clients all share this machine.`,
    '',
    'The service runs as in production, in child processes started from `solver-bench/sync/service.ts` (the runtime of `takt start`: PostgreSQL in a fresh database, BullMQ under a fresh key prefix, Fastify on 127.0.0.1, the generic REST write-back adapter pointed at a local test ERP), either as one process with API and workers (`one-process`, like `takt start`) or as an API-only process plus a worker process (`api+worker`, like `takt start` behind `takt worker`). Load: keep-alive HTTP clients, each owning a share of the plant\'s lots, running operations and receipts, sending `lot.upserted` (WMS), `operation.progressed` (MES) and `receipt.upserted` (ERP) in turn, each event with a fresh id and its object\'s next version, for a fixed time. Latency: `downtime.started` (expected to last 12 h) and `downtime.ended`, alternating, on the most loaded work center, each after the previous one settled; times are from sending the event to the test ERP receiving the first and the last write-back of the version it caused.',
    '',
    `| measure | ${runs.map((r) => r.topology).join(' | ')} | target |`,
    `| --- | ${runs.map(() => '---:').join(' | ')} | --- |`,
    `| events accepted per second (${first.batches.clients} clients, batches of ${first.batches.batchSize}) | ${runs.map((r) => `${int(r.batches.eventsPerSecond)} (${verdict(r.batches.eventsPerSecond >= targets.eventsPerSecond)})`).join(' | ')} | ≥ ${int(targets.eventsPerSecond)} |`,
    `| batch latency p50 / p95 / p99 | ${runs.map((r) => `${ms(r.batches.latencyMs.p50)} / ${ms(r.batches.latencyMs.p95)} / ${ms(r.batches.latencyMs.p99)}`).join(' | ')} | |`,
    `| single-event requests per second | ${runs.map((r) => int(r.singles.requestsPerSecond)).join(' | ')} | |`,
    `| CPU per event in batches: API process / PostgreSQL | ${runs.map((r) => `${us(r.batchesCpu.apiUsPerEvent)} / ${us(r.batchesCpu.postgresUsPerEvent)}`).join(' | ')} | |`,
    `| breakdown → first write-back, p50 / p95 | ${runs.map((r) => `${ms(r.downtime.firstWritebackMs.p50)} / ${ms(r.downtime.firstWritebackMs.p95)}`).join(' | ')} | |`,
    `| breakdown → last write-back, p50 / p95 / p99 | ${runs.map((r) => { const l = r.downtime.lastWritebackMs; return `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} (${verdict(l.p95 !== null && l.p95 < targets.p95WritebackMs)})`; }).join(' | ')} | p95 < ${ms(targets.p95WritebackMs)} |`,
    '',
  ];
  if (runs.some((r) => r.batches.eventsPerSecond < targets.eventsPerSecond)) lines.push(...WHERE_THE_TIME_GOES);
  for (const run of runs) lines.push(...details(run));
  return lines.join('\n');
}
