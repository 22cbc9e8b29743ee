/**
 * Results store and report: each part's raw results go to results.json (a later run of one
 * part replaces only that part), and RESULTS.md plus the SVG plots are rendered from it.
 */
import { cpus, platform, release, totalmem } from 'node:os';
import type { ClassicRow } from './classic.ts';
import type { PeerRow } from './peers/compare.ts';
import type { PeerOutcome } from './peers/peer.ts';
import type { PlantSizeRow } from './plant-size.ts';
import { barChart, logLogChart } from './svg.ts';

export interface RunMeta {
  readonly date: string;
  readonly command: string;
  readonly timeLimitMs: number;
  readonly machine: string;
  readonly node: string;
}

/** What a section says of where it ran. */
export type RunPlace = Pick<RunMeta, 'date' | 'command' | 'machine' | 'node'>;

/** `Run DATE with `COMMAND`. Machine: …; Node …`, then what else the part says of its setting. */
export function runLine(meta: RunPlace, setting?: string): string {
  return `Run ${meta.date} with \`${meta.command}\`. Machine: ${meta.machine}; Node ${meta.node}${setting === undefined ? '' : `; ${setting}`}.`;
}

export type PlantOutcome = PlantSizeRow | { readonly targetOperations: number; readonly error: string };

export interface BenchResults {
  classic?: { readonly meta: RunMeta; readonly rows: readonly ClassicRow[] };
  /** Flexible job shops (each operation on one of several machines), through the general search. */
  flexible?: { readonly meta: RunMeta; readonly rows: readonly ClassicRow[] };
  plants?: {
    readonly meta: RunMeta;
    readonly rows: readonly PlantOutcome[];
    readonly constructiveExponent: number | null;
    readonly rescheduleExponent: number | null;
  };
  peers?: { readonly meta: RunMeta; readonly rows: readonly PeerRow[] };
}

export function describeMachine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length} logical cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}`;
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);
const ms = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const num = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : String(x));
const isRow = (r: PlantOutcome): r is PlantSizeRow => !('error' in r);

function metaLines(meta: RunMeta): string[] {
  return [
    `Run ${meta.date} with \`${meta.command}\` (time limit ${meta.timeLimitMs / 1000} s).`,
    `Machine: ${meta.machine}; Node ${meta.node}.`,
    '',
  ];
}

const CLASSIC = {
  heading: '## (a) Classic job-shop instances',
  shape: 'one always-open single-unit work center per machine, makespan objective',
  chart: '![gap per instance](gap-per-instance.svg)',
};

const FLEXIBLE = {
  heading: '## (a′) Flexible job shops',
  shape: 'one always-open single-unit work center per machine, one mode per machine an operation may use, makespan objective; the general search, not the job-shop path',
  chart: null,
};

function classicSection(part: NonNullable<BenchResults['classic']>, kind: typeof CLASSIC | typeof FLEXIBLE = CLASSIC): string[] {
  const rows = part.rows;
  const valid = rows.filter((r) => r.makespan !== null && !r.error && r.gap !== null);
  const meanGap = valid.length ? valid.reduce((s, r) => s + r.gap!, 0) / valid.length : null;
  const atBest = valid.filter((r) => r.gap === 0).length;
  const proved = valid.filter((r) => r.provedOptimal === true).length;
  const lines = [
    kind.heading,
    '',
    ...metaLines(part.meta),
    `Each instance goes through \`solve\` as a plant problem (${kind.shape}). Every schedule is re-checked (routing order, no overlap, durations) before its makespan counts. Gap = (M − B) / B against the optimum, or the best known upper bound where none is proven (marked *). The search stops when it has proved its makespan optimal (a lower bound met, or a branch-and-bound proof that nothing shorter exists); "wall" then shows how soon.`,
    '',
    `Valid schedules: ${valid.length} of ${rows.length}; mean gap ${pct(meanGap)}; at the best known value: ${atBest}; proved optimal by takt: ${proved}.`,
    '',
    '| instance | size | best known | takt | gap | constructive | iterations | time to best | wall | note |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.jobs}×${r.machines} | ${num(r.best)}${r.bestIsOptimal ? '' : '*'} | ${num(r.makespan)} | ${pct(r.gap)} | ${num(r.constructiveMakespan)} | ${num(r.iterations)} | ${ms(r.timeToBestMs)} | ${ms(r.elapsedMs)} | ${r.error ? `invalid: ${r.error}` : r.provedOptimal ? 'proved optimal' : ''} |`,
    ),
    '',
    ...(kind.chart === null ? [] : [kind.chart, '']),
  ];
  return lines;
}

function plantsSection(part: NonNullable<BenchResults['plants']>): string[] {
  const rows = part.rows.filter(isRow);
  const failed = part.rows.filter((r) => !isRow(r));
  return [
    '## (b) Generated plants',
    '',
    ...metaLines(part.meta),
    'Plants from `solver-bench/generator.ts` (seeded): two- and three-shift calendars with holidays, 1–4 parallel units, alternates, multi-level BOMs, lots, receipts and holds. Each size runs in its own child process; "constructive" is `solve` with `timeLimitMs: 0`, warm (the median of five runs after five warm-up runs, as in a running service whose code the JIT has optimised) and first (the first solve in a fresh process, before the JIT has optimised the code); "reschedule" is a second constructive solve after one breakdown on the busiest work center, with the first schedule as `previous`. Peak RSS is the child process\'s high-water mark (it includes generating the plant).',
    '',
    '| operations | orders | work centers | constructive warm / first | reschedule | ops moved | scheduled ops | problems | status | baseline RSS | peak RSS | heap before → after |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.operations} | ${r.workOrders} | ${r.workCenters} | ${ms(r.constructiveMs)} / ${ms(r.coldConstructiveMs)} | ${ms(r.rescheduleMs)} | ${r.rescheduleOperationsMoved} | ${r.scheduledOperations} | ${r.problems} | ${r.status} | ${r.baselineRssMb} MB | ${r.peakRssMb} MB | ${r.heapUsedBeforeMb} → ${r.heapUsedAfterMb} MB |`,
    ),
    ...failed.map((r) => `| ${r.targetOperations} (target) | — | — | failed: ${'error' in r ? r.error : ''} | | | | | | | | |`),
    '',
    `Fitted growth (log-log slope of time against operations): constructive ${part.constructiveExponent?.toFixed(2) ?? '—'}, reschedule ${part.rescheduleExponent?.toFixed(2) ?? '—'} (1 = linear).`,
    '',
    '![time against plant size](time-vs-plant-size.svg)',
    '',
  ];
}

function peerCell(outcome: PeerOutcome | null, best: number | null): string {
  if (!outcome) return 'not run';
  const value = outcome.makespan === null ? 'none' : String(outcome.makespan);
  const gapText = outcome.makespan !== null && best ? ` (${pct((outcome.makespan - best) / best)})` : '';
  const proof = outcome.provenOptimal ? ', proven' : '';
  const rejected = outcome.rejected ? `, rejected: ${outcome.rejected}` : '';
  return `${value}${gapText}, ${ms(outcome.elapsedMs)}, ${outcome.status}${proof}${rejected}`;
}

function peersSection(part: NonNullable<BenchResults['peers']>): string[] {
  return [
    '## (c) Peers: disjunctive MIP',
    '',
    ...metaLines(part.meta),
    'The textbook disjunctive model (start variables, one binary per pair of operations sharing a machine, big-M = sum of durations, minimise makespan), solved by HiGHS (WebAssembly, single thread, `time_limit`, best incumbent kept) and by javascript-lp-solver through the engine\'s wrapper `scheduler/materials/lp.ts` (with the library\'s own `timeout`: at the limit it stops and its best integer solution so far counts), at the same limit as takt. A peer\'s answer counts only after the same schedule check; "none" means no checked schedule within the limit.',
    '',
    '| instance | best known | takt | HiGHS | javascript-lp-solver |',
    '| --- | ---: | --- | --- | --- |',
    ...part.rows.map((r) => `| ${r.name} | ${num(r.best)} | ${peerCell(r.takt, r.best)} | ${peerCell(r.highs, r.best)} | ${peerCell(r.lpSolver, r.best)} |`),
    '',
  ];
}

export function renderMarkdown(results: BenchResults): string {
  const lines = [
    '# Solver benchmark results',
    '',
    'Generated by `npm run bench` (`solver-bench/run.ts`); raw numbers in `results.json`. Each part records the command, date and machine of its own last run.',
    '',
  ];
  if (results.classic) lines.push(...classicSection(results.classic));
  if (results.flexible) lines.push(...classicSection(results.flexible, FLEXIBLE));
  if (results.plants) lines.push(...plantsSection(results.plants));
  if (results.peers) lines.push(...peersSection(results.peers));
  return lines.join('\n');
}

export function renderGapChart(rows: readonly ClassicRow[]): string {
  return barChart(
    rows.map((r) => ({ label: r.name, value: r.gap === null || r.error ? null : r.gap * 100 })),
    'takt: gap to best known makespan',
    'gap (%)',
  );
}

export function renderScalingChart(rows: readonly PlantOutcome[]): string {
  const ok = rows.filter(isRow);
  return logLogChart(
    [
      { name: 'constructive', points: ok.map((r) => ({ x: r.operations, y: r.constructiveMs })) },
      { name: 'reschedule', points: ok.map((r) => ({ x: r.operations, y: r.rescheduleMs })) },
    ],
    'solve time against plant size',
    'operations',
    'wall time (ms)',
  );
}
