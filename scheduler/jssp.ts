/**
 * Classic job-shop instances (OR-Library text format) and their translation into a plant
 * problem, so the benchmarks and `takt jssp` run them through the same engine as real plants.
 *
 * Format: `#` starts a comment line, blank lines are skipped; the first other line is
 * `jobs machines`; then one line per job of `machine duration` pairs in routing order,
 * machines numbered from 0.
 */
import type { PlantProblem, WorkOrderSpec } from './problem.ts';
import type { SolveResult } from './result.ts';

export interface JsspOperation {
  /** 0-based machine index. */
  readonly machine: number;
  readonly duration: number;
}

export interface JsspInstance {
  readonly jobs: number;
  readonly machines: number;
  /** operations[j][k]: job j's k-th operation in routing order. */
  readonly operations: readonly (readonly JsspOperation[])[];
}

export interface ParseError {
  readonly error: string;
  /** 1-based line of the input where the problem is. */
  readonly line: number;
}

/** Fixed snapshot time for translated instances: a Monday, so nothing depends on the wall clock. */
export const JSSP_NOW = '2026-01-05T00:00:00Z';

const ALWAYS_OPEN_CALENDAR = 'always-open';

export function isParseError(value: unknown): value is ParseError {
  return typeof value === 'object' && value !== null && 'error' in value && 'line' in value;
}

/** Non-comment, non-blank lines with their 1-based line numbers, split into integer tokens. */
export function dataLines(text: string): { readonly line: number; readonly tokens: readonly string[] }[] {
  const result: { line: number; tokens: string[] }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    result.push({ line: i + 1, tokens: trimmed.split(/\s+/) });
  });
  return result;
}

export function parseNonNegativeInt(token: string | undefined): number | null {
  if (token === undefined || !/^\d+$/.test(token)) return null;
  return Number(token);
}

export function parseJsspInstance(text: string): JsspInstance | ParseError {
  const lines = dataLines(text);
  const header = lines[0];
  if (!header) return { error: 'empty instance: expected a `jobs machines` line', line: 1 };
  const jobs = parseNonNegativeInt(header.tokens[0]);
  const machines = parseNonNegativeInt(header.tokens[1]);
  if (jobs === null || machines === null || jobs < 1 || machines < 1 || header.tokens.length !== 2) {
    return { error: `expected "jobs machines" as two positive integers, got "${header.tokens.join(' ')}"`, line: header.line };
  }
  if (lines.length - 1 < jobs) {
    const last = lines[lines.length - 1] ?? header;
    return { error: `expected ${jobs} job lines, found ${lines.length - 1}`, line: last.line + 1 };
  }
  if (lines.length - 1 > jobs) {
    const extra = lines[jobs + 1]!;
    return { error: `unexpected line after the ${jobs} job lines`, line: extra.line };
  }

  const operations: JsspOperation[][] = [];
  for (let j = 0; j < jobs; j++) {
    const { line, tokens } = lines[j + 1]!;
    if (tokens.length === 0 || tokens.length % 2 !== 0) {
      return { error: `job ${j}: expected "machine duration" pairs, got ${tokens.length} numbers`, line };
    }
    const ops: JsspOperation[] = [];
    for (let t = 0; t < tokens.length; t += 2) {
      const machine = parseNonNegativeInt(tokens[t]);
      const duration = parseNonNegativeInt(tokens[t + 1]);
      if (machine === null || duration === null) {
        return { error: `job ${j}: "${tokens[t]} ${tokens[t + 1]}" is not a pair of non-negative integers`, line };
      }
      if (machine >= machines) {
        return { error: `job ${j}: machine ${machine} is out of range 0..${machines - 1}`, line };
      }
      ops.push({ machine, duration });
    }
    operations.push(ops);
  }
  return { jobs, machines, operations };
}

/** Sum of all operation durations: a trivially valid makespan (everything in sequence). */
export function totalDuration(operations: readonly (readonly { readonly duration: number }[])[]): number {
  let sum = 0;
  for (const job of operations) for (const op of job) sum += op.duration;
  return sum;
}

export const jobOrderId = (j: number): string => `J${j}`;
export const operationId = (k: number): string => `O${k}`;
export const machineId = (m: number): string => `M${m}`;

/**
 * The shared skeleton of a translated job shop: one always-open calendar, one single-unit work
 * center per machine, makespan objective, every order due at `now` (irrelevant for makespan).
 */
export function jobShopProblem(
  name: string,
  machines: number,
  horizonMinutes: number,
  workOrders: readonly WorkOrderSpec[],
): PlantProblem {
  return {
    plant: {
      id: name,
      name,
      timeZone: 'UTC',
      objective: 'makespan',
      horizonDays: Math.ceil(horizonMinutes / 1440) + 1,
    },
    now: JSSP_NOW,
    calendars: [{ id: ALWAYS_OPEN_CALENDAR, shifts: [], alwaysOpen: true }],
    workCenters: Array.from({ length: machines }, (_, m) => ({ id: machineId(m), units: 1, calendar: ALWAYS_OPEN_CALENDAR })),
    items: workOrders.map((order) => ({ id: order.item })),
    workOrders,
  };
}

/** Jobs as work orders: one quantity-1 order per job, one operation per step, a mode per eligible machine. */
export function jobShopOrders(jobs: readonly (readonly (readonly JsspOperation[])[])[]): WorkOrderSpec[] {
  return jobs.map((steps, j): WorkOrderSpec => ({
    id: jobOrderId(j),
    item: jobOrderId(j),
    quantity: 1,
    due: JSSP_NOW,
    operations: steps.map((modes, k) => ({
      id: operationId(k),
      modes: modes.map((mode) => ({ workCenter: machineId(mode.machine), setupMinutes: 0, runMinutesPerUnit: mode.duration })),
    })),
  }));
}

export function jsspToPlantProblem(instance: JsspInstance, name: string): PlantProblem {
  const workOrders = jobShopOrders(instance.operations.map((ops) => ops.map((op) => [op])));
  return jobShopProblem(name, instance.machines, totalDuration(instance.operations), workOrders);
}

/** A placed operation in instance terms: machine index and start minute. */
export interface JobShopPlacement {
  readonly machine: number;
  readonly start: number;
}

/**
 * Reads a solve result back in instance terms: placements[j][k] for job j's k-th operation,
 * in minutes from the problem's `now`. Missing operations are an error, not a guess.
 */
export function jobShopPlacements(
  shape: readonly (readonly unknown[])[],
  result: SolveResult,
): JobShopPlacement[][] | { readonly error: string } {
  const origin = Date.parse(result.now);
  const byKey = new Map<string, JobShopPlacement>();
  for (const op of result.operations) {
    const machine = Number(op.workCenter.slice(1));
    byKey.set(`${op.workOrder}/${op.operation}`, { machine, start: Math.round((Date.parse(op.start) - origin) / 60_000) });
  }
  const placements: JobShopPlacement[][] = [];
  for (let j = 0; j < shape.length; j++) {
    const row: JobShopPlacement[] = [];
    for (let k = 0; k < shape[j]!.length; k++) {
      const placed = byKey.get(`${jobOrderId(j)}/${operationId(k)}`);
      if (!placed) return { error: `operation ${operationId(k)} of ${jobOrderId(j)} is not in the schedule` };
      row.push(placed);
    }
    placements.push(row);
  }
  return placements;
}
