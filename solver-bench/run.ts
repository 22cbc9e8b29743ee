/**
 * `npm run bench`: takt's solver on the classic job-shop instances, on generated plants of
 * growing size, and against MIP peers. Writes solver-bench/results.json, RESULTS.md and the
 * SVG plots.
 *
 *   node bin/run-ts.mjs solver-bench/run.ts [--time-limit S] [--only jssp|fjsp|plants|budget|reschedule|threads|peers|sync|tryton|churn|cli|report]
 *        [--instances la01,la02] [--sizes 1000,10000,100000] [--seed N]
 *        [--sync-seconds S] [--sync-repeats N] [--sync-clients N] [--reschedule-limit MS]
 *        [--sync-topology both|one-process|api+worker] [--sync-profile DIR]
 *        [--tryton-productions N] [--tryton-delta-productions N] [--tryton-repeats N] [--tryton-poll-ms MS] [--tryton-overlap-ms MS]
 *
 * The sync part needs PostgreSQL (TAKT_TEST_DATABASE_URL) and Redis (TAKT_TEST_REDIS_URL); it
 * runs only when asked for (`--only sync`), so a solver run needs neither. The Tryton part
 * (`--only tryton`) needs PostgreSQL and Debian's trytond (skipped when it is not installed); its
 * reschedule time limit is `--reschedule-limit` too.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchdataDir, loadIndex, type IndexEntry } from './benchdata.ts';
import { measureWritebackChurn, renderChurnSection, type ChurnResult } from './sync/writeback-churn.ts';
import { solveClassic, type ClassicRow } from './classic.ts';
import { measureBudget, renderBudgetSection } from './budget.ts';
import type { BudgetRow } from './budget-run.ts';
import { measureReschedule, renderRescheduleSection } from './reschedule.ts';
import type { RescheduleRow } from './reschedule-run.ts';
import { measureThreads, renderThreadsSection } from './threads.ts';
import type { ThreadsRow } from './threads-run.ts';
import { measureCliStartup, renderCliStartupSection, type CliStartupResult } from './cli-startup.ts';
import { loadSolve } from './engine.ts';
import { comparePeers, PEER_INSTANCES } from './peers/compare.ts';
import { logLogSlope, measurePlantSize } from './plants.ts';
import { describeMachine, renderGapChart, renderMarkdown, renderScalingChart, type BenchResults, type PlantOutcome, type RunMeta } from './report.ts';
import { defaultSyncBenchOptions, runSyncBench, TOPOLOGIES } from './sync/bench.ts';
import { renderSyncSection, type SyncPart } from './sync/report.ts';
import { DEFAULT_ADMIN_URL, DEFAULT_REDIS_URL } from './sync/scratch.ts';
import { defaultTrytonBenchOptions, runTrytonBench } from './sync/tryton/bench.ts';
import { renderTrytonSection, type TrytonPart } from './sync/tryton/report.ts';
import { hasTryton } from '../test/support/tryton-server.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const resultsPath = join(here, 'results.json');

const { values } = parseArgs({
  options: {
    'time-limit': { type: 'string', default: '10' },
    only: { type: 'string' },
    instances: { type: 'string' },
    sizes: { type: 'string', default: '1000,10000,100000' },
    seed: { type: 'string', default: '1' },
    'sync-seconds': { type: 'string', default: String(defaultSyncBenchOptions.durationMs / 1000) },
    'sync-repeats': { type: 'string', default: String(defaultSyncBenchOptions.repeats) },
    'sync-clients': { type: 'string', default: String(defaultSyncBenchOptions.clients) },
    'reschedule-limit': { type: 'string', default: String(defaultSyncBenchOptions.rescheduleLimitMs) },
    'sync-profile': { type: 'string' },
    'sync-topology': { type: 'string', default: 'both' },
    'tryton-productions': { type: 'string', default: String(defaultTrytonBenchOptions.productions) },
    'tryton-delta-productions': { type: 'string', default: String(defaultTrytonBenchOptions.deltaProductions) },
    'tryton-repeats': { type: 'string', default: String(defaultTrytonBenchOptions.repeats) },
    'tryton-poll-ms': { type: 'string', default: String(defaultTrytonBenchOptions.pollIntervalMs) },
    'tryton-overlap-ms': { type: 'string', default: String(defaultTrytonBenchOptions.overlapMs) },
  },
});

const timeLimitMs = Math.round(Number(values['time-limit']) * 1000);
const seed = Number(values.seed);
const only = values.only;
if (!Number.isFinite(timeLimitMs) || timeLimitMs < 0) throw new Error('--time-limit needs a number of seconds');
// `report` measures nothing: it writes RESULTS.md again from results.json (after a report change).
if (only !== undefined && !['jssp', 'fjsp', 'plants', 'budget', 'reschedule', 'threads', 'peers', 'sync', 'tryton', 'churn', 'cli', 'report'].includes(only)) throw new Error('--only takes jssp, fjsp, plants, budget, reschedule, threads, peers, sync, tryton, churn, cli or report');
const wanted = values.instances?.split(',').map((s) => s.trim()).filter(Boolean);
const sizes = values.sizes.split(',').map(Number).filter((n) => n > 0);

const log = (line: string): void => void process.stderr.write(`${line}\n`);
if (only === 'tryton' && !hasTryton) {
  log('tryton: skipped: trytond is not installed (.ci/run installs it: Debian tryton-server with the production, stock-lot and purchase modules); nothing written');
  process.exit(0);
}
const meta = (): RunMeta => ({
  date: new Date().toISOString(),
  command: ['npm run bench --', ...process.argv.slice(2)].join(' ').replace(/ --$/, ''),
  timeLimitMs,
  machine: describeMachine(),
  node: process.version,
});

function select(entries: readonly IndexEntry[], names: readonly string[] | undefined): IndexEntry[] {
  if (!names) return [...entries];
  const unknown = names.filter((n) => !entries.some((e) => e.name === n));
  if (unknown.length) throw new Error(`unknown instances: ${unknown.join(', ')}`);
  return entries.filter((e) => names.includes(e.name));
}

const results: BenchResults & { sync?: SyncPart; tryton?: TrytonPart; churn?: { meta: RunMeta; result: ChurnResult }; cli?: { meta: RunMeta; result: CliStartupResult }; budget?: { meta: RunMeta; rows: readonly BudgetRow[] }; reschedule?: { meta: RunMeta; rows: readonly RescheduleRow[] }; threads?: { meta: RunMeta; rows: readonly ThreadsRow[] } } =
  existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as BenchResults) : {};
const solve = await loadSolve();
// The classic instances live outside the repository: without them those parts are skipped.
const benchdata = existsSync(join(benchdataDir(), 'jssp', 'index.json'));
if (!benchdata && (!only || only === 'jssp' || only === 'peers')) {
  log(`jssp and peers: skipped: no benchmark instances at ${benchdataDir()} (put the public sets there, or name their folder in TAKT_BENCHDATA)`);
}
const index = benchdata ? loadIndex('jssp') : [];

if (benchdata && (!only || only === 'jssp')) {
  const rows: ClassicRow[] = [];
  for (const entry of select(index, wanted)) {
    const row = solveClassic(solve, entry, timeLimitMs, seed);
    log(`jssp ${row.name}: ${row.makespan ?? 'invalid'} (best ${row.best}, gap ${row.gap === null ? '—' : (row.gap * 100).toFixed(2)} %)${row.error ? ` ${row.error}` : ''}`);
    rows.push(row);
  }
  results.classic = { meta: meta(), rows };
}

// Flexible job shops: Brandimarte mk01-10 unless --instances names others (the Hurink sets, say).
const flexibleData = existsSync(join(benchdataDir(), 'fjsp', 'index.json'));
if (!flexibleData && (!only || only === 'fjsp')) log(`fjsp: skipped: no benchmark instances at ${benchdataDir()}/fjsp (put the public sets there, or name their folder in TAKT_BENCHDATA)`);
if (flexibleData && (!only || only === 'fjsp')) {
  const flexibleIndex = loadIndex('fjsp');
  const names = only === 'fjsp' && wanted ? wanted : Array.from({ length: 10 }, (_, i) => `mk${String(i + 1).padStart(2, '0')}`);
  const rows: ClassicRow[] = [];
  for (const entry of select(flexibleIndex, names)) {
    const row = solveClassic(solve, entry, timeLimitMs, seed, 'fjsp');
    log(`fjsp ${row.name}: ${row.makespan ?? 'invalid'} (best ${row.best}, gap ${row.gap === null ? '—' : (row.gap * 100).toFixed(2)} %)${row.error ? ` ${row.error}` : ''}`);
    rows.push(row);
  }
  results.flexible = { meta: meta(), rows };
}

if (!only || only === 'plants') {
  const rows: PlantOutcome[] = [];
  for (const size of sizes) {
    const row = await measurePlantSize(size, seed);
    log(`plants ${size}: ${'error' in row ? row.error : `constructive ${Math.round(row.constructiveMs)} ms, reschedule ${Math.round(row.rescheduleMs)} ms, peak RSS ${row.peakRssMb} MB`}`);
    rows.push(row);
  }
  const ok = rows.filter((r): r is Exclude<PlantOutcome, { error: string }> => !('error' in r));
  results.plants = {
    meta: meta(),
    rows,
    constructiveExponent: logLogSlope(ok.map((r) => ({ x: r.operations, y: r.constructiveMs }))),
    rescheduleExponent: logLogSlope(ok.map((r) => ({ x: r.operations, y: r.rescheduleMs }))),
  };
}

if (!only || only === 'budget') {
  results.budget = { meta: meta(), rows: await measureBudget(seed, log) };
}

if (!only || only === 'reschedule') {
  results.reschedule = { meta: meta(), rows: await measureReschedule(seed, log) };
}

if (!only || only === 'threads') {
  results.threads = { meta: meta(), rows: await measureThreads(seed, log) };
}

if (benchdata && (!only || only === 'peers')) {
  results.peers = { meta: meta(), rows: await comparePeers(select(index, wanted ?? PEER_INSTANCES), timeLimitMs, solve, true, log) };
}

if (only === 'sync') {
  const syncSeconds = Number(values['sync-seconds']);
  const rescheduleLimitMs = Number(values['reschedule-limit']);
  const topologies = values['sync-topology'] === 'both' ? TOPOLOGIES : TOPOLOGIES.filter((t) => t === values['sync-topology']);
  if (topologies.length === 0) throw new Error(`--sync-topology takes both, ${TOPOLOGIES.join(' or ')}`);
  const runs = [];
  for (const topology of topologies) {
    runs.push(await runSyncBench({
      ...defaultSyncBenchOptions,
      topology,
      adminUrl: process.env.TAKT_TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL,
      redisUrl: process.env.TAKT_TEST_REDIS_URL ?? DEFAULT_REDIS_URL,
      seed,
      durationMs: syncSeconds * 1000,
      singleDurationMs: (syncSeconds * 1000) / 2,
      repeats: Number(values['sync-repeats']),
      clients: Number(values['sync-clients']),
      rescheduleLimitMs,
      ...(values['sync-profile'] !== undefined && { profileDir: values['sync-profile'] }),
    }, log));
  }
  results.sync = { meta: { ...meta(), timeLimitMs: rescheduleLimitMs }, runs };
}

if (only === 'tryton') {
  const rescheduleLimitMs = Number(values['reschedule-limit']);
  const numbers = {
    productions: Number(values['tryton-productions']),
    deltaProductions: Number(values['tryton-delta-productions']),
    repeats: Number(values['tryton-repeats']),
    pollIntervalMs: Number(values['tryton-poll-ms']),
    overlapMs: Number(values['tryton-overlap-ms']),
    timeLimitMs: rescheduleLimitMs,
  };
  const bad = Object.entries(numbers).filter(([, n]) => !Number.isFinite(n) || n < 0).map(([k]) => k);
  if (bad.length > 0) throw new Error(`tryton: not a number of at least 0: ${bad.join(', ')}`);
  const result = await runTrytonBench({ adminUrl: process.env.TAKT_TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL, seed, ...numbers }, log);
  results.tryton = { meta: { ...meta(), timeLimitMs: rescheduleLimitMs }, result };
}

if (!only || only === 'churn') {
  results.churn = { meta: meta(), result: await measureWritebackChurn(7, log) };
}

if (!only || only === 'cli') {
  const result = measureCliStartup(7);
  for (const row of result.rows) log(`cli ${row.command}: ${row.warmMs} ms warm, ${row.coldMs} ms cold`);
  results.cli = { meta: meta(), result };
}

writeFileSync(resultsPath, `${JSON.stringify(results, null, 1)}\n`);
writeFileSync(join(here, 'RESULTS.md'), [
  renderMarkdown(results),
  ...(results.sync ? [renderSyncSection(results.sync)] : []),
  ...(results.tryton ? [renderTrytonSection(results.tryton)] : []),
  ...(results.churn ? [renderChurnSection(results.churn.result, results.churn.meta)] : []),
  ...(results.budget ? [renderBudgetSection(results.budget.rows, results.budget.meta)] : []),
  ...(results.reschedule ? [renderRescheduleSection(results.reschedule.rows, results.reschedule.meta)] : []),
  ...(results.threads ? [renderThreadsSection(results.threads.rows, results.threads.meta)] : []),
  ...(results.cli ? [renderCliStartupSection(results.cli.result, results.cli.meta)] : []),
].join('\n'));
if (results.classic) writeFileSync(join(here, 'gap-per-instance.svg'), renderGapChart(results.classic.rows));
if (results.plants) writeFileSync(join(here, 'time-vs-plant-size.svg'), renderScalingChart(results.plants.rows));
log(`wrote ${join(here, 'RESULTS.md')}`);
