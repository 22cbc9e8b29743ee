/**
 * Placement → the answer: operations and orders with ISO instants, dispatch ranks, reason
 * chains for late or unscheduled orders, KPIs and the status.
 */
import type { MaterialPlan, Placement } from '../dispatch/placement.ts';
import type { Model } from '../model.ts';
import { MINUTE_MS, toIso } from '../model.ts';
import { makespanOf, movedOperations, orderTimes, weightedTardiness } from '../objective.ts';
import type { Kpis, Problem, ReasonLink, ScheduledOperation, ScheduledOrder, SolveResult, SolveStats, SolveStatus } from '../result.ts';
import { reasonChain } from './explain.ts';

export interface BuildInput {
  readonly model: Model;
  readonly placement: Placement;
  readonly materials: MaterialPlan;
  /** Order index → why it is not scheduled. */
  readonly unscheduled: ReadonlyMap<number, readonly Problem[]>;
  /** Orders dropped at compile time for bad data (ids), with due dates. */
  readonly rejected: readonly { readonly id: string; readonly due: string }[];
  readonly problems: readonly Problem[];
  readonly stats: SolveStats;
}

export function buildResult(input: BuildInput): SolveResult {
  const { model, placement, materials, unscheduled } = input;
  const times = orderTimes(model, placement);
  const operations = scheduledOperations(model, placement, materials);

  // Dispatch rank: scheduled orders by planned start, then due date; then the rest.
  const ranked = model.orders
    .map((order, o) => ({ o, start: times.start[o]!, due: order.due }))
    .filter(({ o }) => !model.orders[o]!.completed)
    .sort((a, b) => (Number.isNaN(a.start) ? 1 : 0) - (Number.isNaN(b.start) ? 1 : 0) || a.start - b.start || a.due - b.due || a.o - b.o);
  const rank = new Map(ranked.map(({ o }, i) => [o, i + 1]));

  const problems: Problem[] = [...input.problems];
  // A classic job shop minimises makespan; its orders carry no meaningful due dates.
  const dueDatesMatter = model.objective !== 'makespan';
  const orders: ScheduledOrder[] = model.orders.map((order, o) => {
    const due = toIso(model, order.due);
    if (order.completed) {
      return { workOrder: order.id, status: 'completed', plannedStart: null, plannedEnd: null, due, latenessMinutes: null, dispatchPriority: 0, reasons: [] };
    }
    const why = unscheduled.get(o);
    if (why || Number.isNaN(times.end[o]!)) {
      return {
        workOrder: order.id, status: 'unscheduled', plannedStart: null, plannedEnd: null, due, latenessMinutes: null,
        dispatchPriority: rank.get(o)!, reasons: (why ?? []).flatMap(toReason),
      };
    }
    const lateness = times.end[o]! - order.due;
    if (lateness > 0 && dueDatesMatter) problems.push({ type: 'late', workOrder: order.id, latenessMinutes: lateness });
    return {
      workOrder: order.id, status: 'scheduled',
      plannedStart: toIso(model, times.start[o]!), plannedEnd: toIso(model, times.end[o]!), due,
      latenessMinutes: lateness, dispatchPriority: rank.get(o)!,
      reasons: lateness > 0 && dueDatesMatter ? reasonChain(model, placement, materials, o) : [],
    };
  });
  orders.push(...input.rejected.map((r): ScheduledOrder => ({
    workOrder: r.id, status: 'unscheduled', plannedStart: null, plannedEnd: null, due: r.due, latenessMinutes: null,
    dispatchPriority: orders.length + 1, reasons: [],
  })));

  const kpis = computeKpis(model, placement, orders);
  const status: SolveStatus = orders.some((o) => o.status === 'unscheduled') ? 'partial'
    : kpis.lateOrders > 0 && dueDatesMatter ? 'feasible-late' : 'optimal-or-feasible';
  return { status, now: toIso(model, 0), operations, orders, kpis, problems, stats: input.stats };
}

function toReason(problem: Problem): ReasonLink[] {
  if (problem.type === 'hold') return [{ kind: 'hold', hold: problem.hold }];
  if (problem.type === 'shortage') return [{ kind: 'shortage', item: problem.item, missing: problem.missingQuantity }];
  if (problem.type === 'beyond-horizon') return [{ kind: 'horizon', operation: problem.operation, workCenter: problem.workCenter }];
  return [];
}

function scheduledOperations(model: Model, placement: Placement, materials: MaterialPlan): ScheduledOperation[] {
  const out: ScheduledOperation[] = [];
  // Sort keys beside the answer: the start as a number unless the MES reported its own string.
  const startMs: number[] = [];
  const centerRank: number[] = [];
  const collator = new Intl.Collator();
  const rankOfCenter = collationRanks(model.workCenters.map((wc) => wc.id), collator);
  model.operations.forEach((op, i) => {
    const r = placement.resource[i]!;
    if (r < 0) return;
    const resource = model.resources[r]!;
    const fixed = op.fixed && placement.cause[i]?.kind === 'fixed' ? op.fixed : null;
    let ready = 0;
    for (const d of op.demands) {
      ready = Math.max(ready, materials.readyAt[d]!);
      for (const producer of materials.producers[d]!) {
        for (const made of model.orders[producer]!.operations) {
          if (placement.resource[made]! >= 0) ready = Math.max(ready, placement.end[made]!);
        }
      }
    }
    startMs.push(fixed?.reportedStartIso === undefined ? model.nowMs + placement.start[i]! * MINUTE_MS : Number.NaN);
    centerRank.push(rankOfCenter[resource.workCenter]!);
    out.push({
      workOrder: model.orders[op.order]!.id,
      operation: op.id,
      workCenter: model.workCenters[resource.workCenter]!.id,
      unit: resource.unit,
      start: fixed?.reportedStartIso ?? toIso(model, placement.start[i]!),
      end: toIso(model, placement.end[i]!),
      workMinutes: op.modes[placement.mode[i]!]!.duration,
      quantity: op.quantity,
      fixedBy: fixed?.by ?? 'planned',
      materialReadyAt: toIso(model, ready),
    });
  });
  // The order of localeCompare on (start, work center) then unit. Two engine-written starts have
  // one format, so their collation order is their time order: compare the numbers. A start the
  // MES reported is compared as a string.
  const byStart = (a: number, b: number): number => {
    const ma = startMs[a]!;
    const mb = startMs[b]!;
    if (!Number.isNaN(ma) && !Number.isNaN(mb)) return ma - mb;
    return collator.compare(out[a]!.start, out[b]!.start);
  };
  const order = Array.from(out.keys()).sort((a, b) => byStart(a, b) || centerRank[a]! - centerRank[b]! || out[a]!.unit - out[b]!.unit || a - b);
  return order.map((k) => out[k]!);
}

/** Per string: its position among the distinct strings in collation order (equal strings, equal ranks). */
function collationRanks(strings: readonly string[], collator: Intl.Collator): number[] {
  const sorted = [...strings].sort(collator.compare);
  const ranks: number[] = [];
  for (const x of strings) {
    // The first position whose string collates equal: ties share a rank, as compare() === 0 does.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (collator.compare(sorted[mid]!, x) < 0) lo = mid + 1;
      else hi = mid;
    }
    ranks.push(lo);
  }
  return ranks;
}

export function computeKpis(model: Model, placement: Placement, orders: readonly ScheduledOrder[]): Kpis {
  const times = orderTimes(model, placement);
  const makespan = makespanOf(placement);
  const open = orders.filter((o) => o.status !== 'completed');
  const scheduled = open.filter((o) => o.status === 'scheduled');
  const late = scheduled.filter((o) => (o.latenessMinutes ?? 0) > 0);
  let flow = 0;
  let setup = 0;
  model.orders.forEach((order, o) => {
    if (!Number.isNaN(times.end[o]!)) flow += times.end[o]! - order.release;
  });
  const busy = new Float64Array(model.workCenters.length);
  placement.resource.forEach((r, op) => {
    if (r < 0) return;
    const mode = model.operations[op]!.modes[placement.mode[op]!]!;
    busy[model.resources[r]!.workCenter]! += model.resources[r]!.working.workBetween(Math.max(0, placement.start[op]!), placement.end[op]!);
    setup += mode.setup;
  });
  const utilisation = model.workCenters.map((wc, w) => {
    const available = wc.resources.reduce((sum, r) => sum + model.resources[r]!.working.workBetween(0, makespan), 0);
    return { workCenter: wc.id, utilisation: available > 0 ? round(busy[w]! / available, 4) : 0 };
  });
  return {
    orders: open.length,
    scheduledOrders: scheduled.length,
    lateOrders: late.length,
    onTimeRate: open.length ? round((scheduled.length - late.length) / open.length, 4) : 1,
    totalWeightedTardinessMinutes: weightedTardiness(model, times),
    makespanMinutes: makespan,
    totalFlowMinutes: flow,
    totalSetupMinutes: setup,
    operationsMoved: movedOperations(model, placement),
    utilisation,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
