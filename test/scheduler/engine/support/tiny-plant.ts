/**
 * Tiny hand-built plants for golden tests: one work center `M` (alwaysOpen unless told), times
 * as minutes from a fixed `now` (Monday 2026-03-02 00:00 UTC), and readers for the answer.
 */
import type { OperationSpec, PlantProblem, WorkOrderSpec } from '../../../../scheduler/problem.ts';
import type { ScheduledOperation, SolveResult } from '../../../../scheduler/result.ts';
import { solve } from '../../../../scheduler/solve.ts';

export const NOW = '2026-03-02T00:00:00.000Z';
const NOW_MS = Date.parse(NOW);

/** ISO instant `minutes` after NOW. */
export const at = (minutes: number): string => new Date(NOW_MS + minutes * 60_000).toISOString();
export const HOUR = 60;
export const DAY = 1440;

export function plant(overrides: Partial<PlantProblem> = {}): PlantProblem {
  return {
    plant: { id: 'P', timeZone: 'UTC', horizonDays: 30 },
    calendars: [{ id: 'always', shifts: [], alwaysOpen: true }],
    workCenters: [{ id: 'M', units: 1, calendar: 'always' }],
    workOrders: [],
    ...overrides,
  };
}

/** An order with one operation per entry on the given work center(s); run minutes per unit, quantity 1 by default. */
export function order(id: string, operations: readonly Partial<OperationSpec>[], extra: Partial<WorkOrderSpec> = {}): WorkOrderSpec {
  return {
    id, item: `ITEM-${id}`, quantity: 1, due: at(30 * DAY),
    operations: operations.map((op, k) => ({ id: String((k + 1) * 10), modes: [{ workCenter: 'M', runMinutesPerUnit: 60 }], ...op })),
    ...extra,
  };
}

export function run(problem: PlantProblem, now: string = NOW): SolveResult {
  return solve(problem, { now, timeLimitMs: 0 });
}

export function opOf(result: SolveResult, workOrder: string, operation = '10'): ScheduledOperation {
  const op = result.operations.find((o) => o.workOrder === workOrder && o.operation === operation);
  if (!op) throw new Error(`${workOrder}/${operation} not placed: ${JSON.stringify(result.problems)}`);
  return op;
}

export function orderOf(result: SolveResult, workOrder: string) {
  const o = result.orders.find((x) => x.workOrder === workOrder);
  if (!o) throw new Error(`no answer for ${workOrder}`);
  return o;
}

/** [start, end] of an operation as ISO instants normalised to `toISOString`. */
export function slot(result: SolveResult, workOrder: string, operation = '10'): [string, string] {
  const op = opOf(result, workOrder, operation);
  return [new Date(op.start).toISOString(), new Date(op.end).toISOString()];
}
