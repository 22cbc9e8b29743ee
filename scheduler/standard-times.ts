/**
 * Operations that name a standard (`OperationSpec.standard`) get their modes from the plant's
 * standard times: per candidate work center, the most specific `OperationTimeSpec` of the
 * routing operation (that work center, else the operation's category, else any work center).
 * Candidates the plant does not have, or without a time, are left out; an operation with no
 * candidate left cannot be planned: its order is reported with what is missing and left out.
 */
import type { OperationMode, OperationSpec, OperationTimeSpec, PlantProblem, WorkOrderSpec } from './problem.ts';
import type { Problem } from './result.ts';

export interface ResolvedOrders {
  readonly workOrders: readonly WorkOrderSpec[];
  readonly problems: readonly Problem[];
  /** Orders with an operation no work center can run. */
  readonly rejected: ReadonlySet<string>;
}

type TimeIndex = ReadonlyMap<string, OperationTimeSpec>;

const keyOf = (operation: string, scope: 'wc' | 'cat' | 'any', id = ''): string => JSON.stringify([operation, scope, id]);

function indexTimes(times: readonly OperationTimeSpec[]): TimeIndex {
  const index = new Map<string, OperationTimeSpec>();
  for (const t of times) {
    if (t.workCenter !== undefined) index.set(keyOf(t.operation, 'wc', t.workCenter), t);
    else if (t.category !== undefined) index.set(keyOf(t.operation, 'cat', t.category), t);
    else index.set(keyOf(t.operation, 'any'), t);
  }
  return index;
}

function timeFor(index: TimeIndex, operation: string, workCenter: string, category: string | undefined): OperationTimeSpec | undefined {
  return index.get(keyOf(operation, 'wc', workCenter))
    ?? (category === undefined ? undefined : index.get(keyOf(operation, 'cat', category)))
    ?? index.get(keyOf(operation, 'any'));
}

export function resolveStandardTimes(problem: PlantProblem): ResolvedOrders {
  const orders = problem.workOrders;
  if (!orders.some((order) => order.operations?.some((op) => op.standard !== undefined && (op.modes ?? []).length === 0))) {
    return { workOrders: orders, problems: [], rejected: new Set() };
  }
  const times = problem.operationTimes ?? [];
  const index = indexTimes(times);
  const known = new Set(problem.workCenters.map((wc) => wc.id));
  const problems: Problem[] = [];
  const rejected = new Set<string>();

  const workOrders = orders.map((order): WorkOrderSpec => {
    if (!order.operations?.some((op) => op.standard !== undefined)) return order;
    const operations = order.operations.map((op): OperationSpec => {
      const standard = op.standard;
      if (standard === undefined || (op.modes ?? []).length > 0) return op;
      const candidates = standard.workCenters
        ?? times.filter((t) => t.operation === standard.operation && t.workCenter !== undefined).map((t) => t.workCenter!);
      const resolved = candidates
        .filter((wc) => known.has(wc))
        .map((wc) => ({ wc, time: timeFor(index, standard.operation, wc, standard.category) }))
        .filter((c): c is { wc: string; time: OperationTimeSpec } => c.time !== undefined);
      if (resolved.length === 0) {
        rejected.add(order.id);
        problems.push(missing(order.id, op.id, standard.operation, standard.category, candidates, known));
        return { ...op, modes: [] };
      }
      const modes = resolved.map(({ wc, time }): OperationMode => ({
        workCenter: wc, runMinutesPerUnit: time.runMinutesPerUnit, ...(time.setupMinutes !== undefined && { setupMinutes: time.setupMinutes }),
      }));
      const first = resolved[0]!.time;
      return {
        ...op,
        modes,
        ...(op.minWaitAfterMinutes === undefined && first.minWaitAfterMinutes !== undefined && { minWaitAfterMinutes: first.minWaitAfterMinutes }),
        ...(op.nonInterruptible === undefined && first.nonInterruptible !== undefined && { nonInterruptible: first.nonInterruptible }),
      };
    });
    return { ...order, operations };
  });
  return { workOrders, problems, rejected };
}

function missing(
  workOrder: string, operation: string, standard: string, category: string | undefined, candidates: readonly string[], known: ReadonlySet<string>,
): Problem {
  const unknown = candidates.filter((wc) => !known.has(wc));
  const withoutTime = candidates.filter((wc) => known.has(wc));
  const parts: string[] = [];
  if (candidates.length === 0) parts.push(`no work center has a time for "${standard}"`);
  if (unknown.length > 0) parts.push(`work center${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} unknown to takt (needs units and a calendar: work_center.upserted)`);
  if (withoutTime.length > 0) {
    parts.push(`no time for "${standard}" on ${withoutTime.join(', ')}${category === undefined ? '' : ` or category "${category}"`} (operation_time.upserted)`);
  }
  return {
    type: 'missing-operation-time', workOrder, operation, standardOperation: standard,
    ...(category !== undefined && { category }),
    workCenters: [...candidates],
    message: parts.join('; '),
  };
}
