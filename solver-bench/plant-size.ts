/**
 * Child process of part (b): one generated plant size, so its peak RSS is its own. Prints one
 * JSON line (a PlantSizeRow). Run as
 * `node --expose-gc bin/run-ts.mjs solver-bench/plant-size.ts --ops N --seed S`.
 */
import { getHeapStatistics } from 'node:v8';
import { withPrevious } from '../scheduler/previous.ts';
import { loadSolve } from './engine.ts';
import { generatePlant, operationCountOf, withDowntime } from './generator.ts';
import { numberArgument } from './child-args.ts';

export interface PlantSizeRow {
  readonly targetOperations: number;
  readonly operations: number;
  readonly workOrders: number;
  readonly workCenters: number;
  readonly generateMs: number;
  /** Wall time of solve with timeLimitMs 0 (the constructive pass, plus compile and KPIs), warm: the median of five runs after five warm-up runs. */
  readonly constructiveMs: number;
  /** The same, for the first solve in a fresh process (code not yet optimised by the JIT). */
  readonly coldConstructiveMs: number;
  /** The engine's own split of that time. */
  readonly engineConstructiveMs: number;
  readonly status: string;
  readonly scheduledOperations: number;
  readonly problems: number;
  /** Wall time of the reschedule after one breakdown, with the first schedule as `previous`. */
  readonly rescheduleMs: number;
  readonly rescheduleOperationsMoved: number;
  /** Resident set after generating the plant (after a GC), and the process's peak. */
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly heapUsedBeforeMb: number;
  readonly heapUsedAfterMb: number;
}

const WARMUP_RUNS = 5;
const MEASURED_RUNS = 5;

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

async function main(): Promise<void> {
  const targetOperations = numberArgument('ops', 1000);
  const seed = numberArgument('seed', 1);
  const solve = await loadSolve();
  const gc = (globalThis as { gc?: () => void }).gc;

  const generated = performance.now();
  const problem = generatePlant({ targetOperations, seed });
  const generateMs = performance.now() - generated;
  gc?.();
  const baselineRss = process.memoryUsage().rss;
  const heapBefore = getHeapStatistics().used_heap_size;
  const now = problem.now!;
  const clock = (): number => performance.now();

  const timed = (): { ms: number; result: ReturnType<typeof solve> } => {
    const t = performance.now();
    const result = solve(problem, { now, seed, timeLimitMs: 0, clock });
    return { ms: performance.now() - t, result };
  };
  const cold = timed();
  const first = cold.result;
  const heapAfter = getHeapStatistics().used_heap_size;
  // A running service solves with hot code: warm up like a benchmark harness (JMH-style), then
  // take the median of five measured runs. The first solve is reported too (coldConstructiveMs).
  for (let i = 0; i < WARMUP_RUNS; i++) timed();
  const warm = Array.from({ length: MEASURED_RUNS }, () => timed().ms).sort((a, b) => a - b);
  const constructiveMs = warm[Math.floor(MEASURED_RUNS / 2)]!;

  const broken = withDowntime(withPrevious(problem, first.operations), seed);
  const t1 = performance.now();
  const second = solve(broken, { now, seed, timeLimitMs: 0, clock });
  const rescheduleMs = performance.now() - t1;

  const row: PlantSizeRow = {
    targetOperations,
    operations: operationCountOf(problem),
    workOrders: problem.workOrders.length,
    workCenters: problem.workCenters.length,
    generateMs,
    constructiveMs,
    coldConstructiveMs: cold.ms,
    engineConstructiveMs: first.stats.constructiveMs,
    status: first.status,
    scheduledOperations: first.operations.length,
    problems: first.problems.length,
    rescheduleMs,
    rescheduleOperationsMoved: second.kpis.operationsMoved,
    baselineRssMb: mb(baselineRss),
    // maxRSS is in kilobytes: the high-water mark of the whole process.
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    heapUsedBeforeMb: mb(heapBefore),
    heapUsedAfterMb: mb(heapAfter),
  };
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

await main();
