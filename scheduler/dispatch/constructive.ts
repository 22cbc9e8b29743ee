/**
 * The constructive dispatcher: a serial schedule-generation scheme. Fixed work (started,
 * frozen, pinned) is placed first; then, repeatedly, the most urgent operation whose
 * predecessors and pegged producers are placed goes to the mode and unit where it ends
 * earliest, into the first gap of working time that holds it. It is the fallback schedule and
 * the local search's starting point.
 *
 * A lot pegged to an operation is never used at or after its expiry: the operation takes the
 * best slot that starts before the expiry; when no unit has one, just that operation's demands
 * are re-pegged to free supply (see pegged-material.ts); when none covers them, its order fails
 * as short.
 */
import type { FixedPlacement, Model } from '../model.ts';
import { toIso } from '../model.ts';
import type { Problem } from '../result.ts';
import { MinHeap } from './heap.ts';
import { emptyPlacement, type Cause, type MaterialPlan, type Placement } from './placement.ts';
import { PeggedMaterial, type Uncovered } from './pegged-material.ts';
import { Timeline } from './timeline.ts';
import { dispatchOrder } from './urgency.ts';

export interface ConstructiveInput {
  readonly model: Model;
  readonly materials: MaterialPlan;
  /** Orders not to schedule (held, short, bad data). */
  readonly excluded: ReadonlySet<number>;
}

export interface ConstructiveOutput {
  readonly placement: Placement;
  /** The material plan the placement keeps: the input's, with the demands re-pegged after an expiry. */
  readonly materials: MaterialPlan;
  /** Orders that could not be placed in full (their placed operations were taken back). */
  readonly failed: ReadonlyMap<number, Problem>;
  readonly problems: readonly Problem[];
  readonly timelines: readonly Timeline[];
}

export function constructSchedule({ model, materials: pegged, excluded }: ConstructiveInput): ConstructiveOutput {
  const { operations, orders, resources } = model;
  const material = new PeggedMaterial(model, pegged);
  const materials = material.plan;
  const placement = emptyPlacement(operations.length);
  const timelines = resources.map((r) => new Timeline(r.working));
  const problems: Problem[] = [];
  const failed = new Map<number, Problem>();
  const unfixed = new Set<number>();

  const startedBeyondHorizon = placeFixedWork(model, placement, timelines, excluded, unfixed, problems);

  // Dependencies: routing predecessor and the last operation of each pegged producer order.
  const predecessor = new Int32Array(operations.length).fill(-1);
  const waiting = new Int32Array(operations.length);
  const dependents: number[][] = operations.map(() => []);
  for (const order of orders) {
    order.operations.forEach((op, k) => {
      if (k > 0) predecessor[op] = order.operations[k - 1]!;
    });
  }
  const isPlaced = (op: number): boolean => placement.resource[op]! >= 0;
  const best: BestSlot = { resource: -1, mode: 0, start: 0, end: 0, pushedBy: null };
  const scratch: BestSlot = { resource: -1, mode: 0, start: 0, end: 0, pushedBy: null };

  // Ready operations leave by rank, then index (an operation's earliest start is only known
  // once it leaves, so it cannot order the queue).
  const dispatch = dispatchOrder(model);
  const heap = new MinHeap(Math.min(operations.length, 1024));
  const ready = (op: number): void => heap.push(dispatch.position[op]!);

  const need = (op: number, p: number): void => {
    if (p < 0 || isPlaced(p)) return;
    waiting[op]!++;
    dependents[p]!.push(op);
  };
  orders.forEach((order, o) => {
    if (excluded.has(o)) return;
    for (const op of order.operations) {
      if (isPlaced(op)) continue;
      need(op, predecessor[op]!);
      for (const d of operations[op]!.demands) {
        for (const producer of materials.producers[d]!) for (const made of orders[producer]!.operations) need(op, made);
      }
      if (waiting[op] === 0) ready(op);
    }
  });

  const release = (op: number): void => {
    for (const d of dependents[op]!) if (--waiting[d]! === 0) ready(d);
  };
  for (let op = 0; op < operations.length; op++) if (isPlaced(op)) release(op);

  const fail = (order: number, problem: Problem): void => {
    if (failed.has(order)) return;
    failed.set(order, problem);
    for (const op of orders[order]!.operations) {
      const r = placement.resource[op]!;
      if (r >= 0 && operations[op]!.fixed?.by !== 'started') {
        timelines[r]!.remove(op);
        placement.resource[op] = -1;
      }
    }
    material.releaseOrder(order);
  };
  // Started work cannot move to another machine: when its own has no room for it within the horizon, the order is not scheduled.
  for (const { order, problem } of startedBeyondHorizon) fail(order, problem);
  /** When an order's output is there: the end of its last operation once all are placed; else null. */
  const outputReadyAt = (order: number): number | null => {
    if (excluded.has(order) || failed.has(order)) return null;
    let end = Number.NEGATIVE_INFINITY;
    for (const op of orders[order]!.operations) {
      if (!isPlaced(op)) return null;
      end = Math.max(end, placement.end[op]!);
    }
    return end;
  };
  /** Fails the order of `op` as short: its demand lost its expiring lot and no free supply covers it. */
  const failExpired = (op: number, uncovered: Uncovered): void => {
    const spec = operations[op]!;
    const demand = model.demands[uncovered.demand]!;
    const lot = model.supplies[uncovered.lot]!;
    const workOrder = orders[spec.order]!.id;
    problems.push({ type: 'lot-expires', workOrder, operation: spec.id, lot: lot.id, expiresAt: toIso(model, lot.expiresAt!) });
    fail(spec.order, { type: 'shortage', workOrder, operation: spec.id, item: demand.item, missingQuantity: demand.quantity, earliestCoverAt: null });
  };

  // Fixed work keeps its slot; a lot that expires before it starts is swapped for free supply.
  for (let op = 0; op < operations.length; op++) {
    if (placement.cause[op]?.kind !== 'fixed' || material.expiryOf(op) > placement.start[op]!) continue;
    const uncovered = material.repeg(op, placement.start[op]!, outputReadyAt);
    if (uncovered !== null) failExpired(op, uncovered);
  }

  for (let next = heap.pop(); next !== undefined; next = heap.pop()) {
    const op = dispatch.operations[next]!;
    const spec = operations[op]!;
    const order = spec.order;
    if (failed.has(order)) {
      release(op);
      continue;
    }
    const demand = demandOfFailedProducer(spec.demands, materials, failed, excluded);
    if (demand !== -1) {
      fail(order, { type: 'shortage', workOrder: orders[order]!.id, operation: spec.id, item: model.demands[demand]!.item, missingQuantity: model.demands[demand]!.quantity, earliestCoverAt: null });
      release(op);
      continue;
    }
    let { earliest, cause } = earliestStart(model, placement, materials, predecessor[op]!, op);
    let placed = false;
    for (;;) {
      const expiry = material.expiryOf(op);
      if (bestSlot(model, timelines, op, earliest, expiry, best, scratch)) {
        placed = true;
        break;
      }
      // No unit starts it before its lot expires: re-peg from where it could start at best.
      if (expiry === Number.POSITIVE_INFINITY || !bestSlot(model, timelines, op, earliest, Number.POSITIVE_INFINITY, best, scratch)) break;
      const uncovered = material.repeg(op, best.start, outputReadyAt);
      if (uncovered !== null) {
        failExpired(op, uncovered);
        break;
      }
      ({ earliest, cause } = earliestStart(model, placement, materials, predecessor[op]!, op));
    }
    if (!placed) {
      if (!failed.has(order)) {
        const wc = model.workCenters[spec.modes[0]!.workCenter]!.id;
        fail(order, { type: 'beyond-horizon', workOrder: orders[order]!.id, operation: spec.id, workCenter: wc });
      }
      release(op);
      continue;
    }
    placement.resource[op] = best.resource;
    placement.mode[op] = best.mode;
    placement.start[op] = best.start;
    placement.end[op] = best.end;
    placement.cause[op] = best.pushedBy !== null
      ? { kind: 'capacity', blocker: best.pushedBy }
      : best.start > earliest ? { kind: 'calendar' } : cause;
    timelines[best.resource]!.insert(best.start, best.end, op);
    release(op);
  }

  // Anything still waiting sits in a cycle of material pegging.
  orders.forEach((order, o) => {
    if (excluded.has(o) || failed.has(o)) return;
    const stuck = order.operations.find((op) => !isPlaced(op));
    if (stuck !== undefined) {
      fail(o, { type: 'invalid-data', path: `workOrders`, entity: order.id, message: `operation ${operations[stuck]!.id} waits on a circular chain of material from other orders` });
    }
  });
  for (const op of unfixed) {
    if (!isPlaced(op)) continue;
    const spec = operations[op]!;
    problems.push({ type: 'pin-conflict', workOrder: orders[spec.order]!.id, operation: spec.id, message: 'its fixed slot overlaps other fixed work; scheduled freely instead' });
  }
  problems.push(...fixedWorkConflicts(model, placement, materials, predecessor, failed, excluded));
  return { placement, materials, failed, problems, timelines };
}

/**
 * Frozen and pinned slots are kept as the planner set them, even when they start before the
 * predecessor (plus its wait) ends, before the release or before the material is there: each
 * such slot is reported, so that the plan never hides the conflict.
 */
/** The first demand (in the operation's order) pegged to an order that failed or is excluded, or -1. */
function demandOfFailedProducer(demands: readonly number[], materials: MaterialPlan, failed: ReadonlyMap<number, Problem>, excluded: ReadonlySet<number>): number {
  for (const d of demands) {
    for (const o of materials.producers[d]!) if (failed.has(o) || excluded.has(o)) return d;
  }
  return -1;
}

function fixedWorkConflicts(
  model: Model, placement: Placement, materials: MaterialPlan, predecessor: Int32Array, failed: ReadonlyMap<number, Problem>, excluded: ReadonlySet<number>,
): Problem[] {
  const problems: Problem[] = [];
  model.operations.forEach((spec, op) => {
    const cause = placement.cause[op];
    if (placement.resource[op]! < 0 || cause?.kind !== 'fixed' || cause.by === 'started') return;
    const workOrder = model.orders[spec.order]!.id;
    const before = predecessor[op]!;
    if (before >= 0 && placement.resource[before]! >= 0 && placement.end[before]! + model.operations[before]!.waitAfter > placement.start[op]!) {
      problems.push({ type: 'precedence-violated-by-fixed', workOrder, operation: spec.id, after: model.operations[before]!.id });
    }
    // Material pegged to an order that is not scheduled will not come: the slot is short of it.
    const unmade = demandOfFailedProducer(spec.demands, materials, failed, excluded);
    if (unmade !== -1) {
      const { item, quantity } = model.demands[unmade]!;
      problems.push({ type: 'shortage', workOrder, operation: spec.id, item, missingQuantity: quantity, earliestCoverAt: null });
      problems.push({ type: 'pin-conflict', workOrder, operation: spec.id, message: `${cause.by} without its material ${item}: the order that makes it is not scheduled; slot kept` });
      return;
    }
    const { earliest, cause: binding } = earliestStart(model, placement, materials, -1, op);
    if (earliest <= placement.start[op]!) return;
    const at = toIso(model, earliest);
    if (binding.kind === 'material' || binding.kind === 'producer') {
      const item = model.demands[binding.demand]!.item;
      problems.push({ type: 'pin-conflict', workOrder, operation: spec.id, message: `${cause.by} before its material ${item} is there (${at}); slot kept` });
    } else {
      problems.push({ type: 'pin-conflict', workOrder, operation: spec.id, message: `${cause.by} before the order's release (${at}); slot kept` });
    }
  });
  return problems;
}

/**
 * Started, frozen and pinned operations take their slots first: started work (reality) before
 * the rest, then in start order. Returns the started operations whose machine has no room for
 * them before the horizon (their orders cannot be scheduled); pins and frozen slots that do
 * not fit are left to be scheduled freely (`unfixed`).
 */
function placeFixedWork(model: Model, placement: Placement, timelines: Timeline[], excluded: ReadonlySet<number>, unfixed: Set<number>, problems: Problem[]): { order: number; problem: Problem }[] {
  const startedBeyondHorizon: { order: number; problem: Problem }[] = [];
  const fixedOps = model.operations
    .map((op, index) => ({ op, index }))
    .filter(({ op }) => op.fixed !== null && (op.fixed.by === 'started' || !excluded.has(op.order)))
    .sort((a, b) => startedFirst(a.op.fixed!) - startedFirst(b.op.fixed!) || a.op.fixed!.start - b.op.fixed!.start || a.index - b.index);
  for (const { op, index } of fixedOps) {
    const fixed = op.fixed!;
    const resource = model.resources[fixed.resource]!;
    const mode = op.modes.findIndex((m) => m.workCenter === resource.workCenter);
    const timeline = timelines[fixed.resource]!;
    let start = timeline.working.nextWorkingMinute(fixed.start);
    let end = start === null ? null : timeline.working.addWork(start, op.modes[mode]!.duration);
    // Two operations reported started on one machine cannot both run: the later one in this
    // order resumes when the machine is free, so that the machine's timeline stays disjoint.
    if (fixed.by === 'started' && start !== null && end !== null && !timeline.isFree(start, end)) {
      const slot = timeline.earliestFit(start, op.modes[mode]!.duration, false);
      start = slot?.start ?? null;
      end = slot?.end ?? null;
      problems.push({
        type: 'pin-conflict', workOrder: model.orders[op.order]!.id, operation: op.id,
        message: 'started on a machine that runs other started work; it resumes after that work',
      });
    }
    if (start === null || end === null) {
      const problem: Problem = { type: 'beyond-horizon', workOrder: model.orders[op.order]!.id, operation: op.id, workCenter: model.workCenters[resource.workCenter]!.id };
      if (fixed.by === 'started') {
        startedBeyondHorizon.push({ order: op.order, problem });
      } else {
        problems.push(problem);
        unfixed.add(index);
      }
      continue;
    }
    // Started work is reality: it keeps its machine; other fixed work that overlaps it moves.
    if (fixed.by !== 'started' && !timeline.isFree(start, end)) {
      unfixed.add(index);
      continue;
    }
    placement.resource[index] = fixed.resource;
    placement.mode[index] = mode;
    placement.start[index] = start;
    placement.end[index] = end;
    placement.cause[index] = { kind: 'fixed', by: fixed.by };
    timeline.insert(start, end, index);
  }
  return startedBeyondHorizon;
}

function startedFirst(fixed: FixedPlacement): number {
  return fixed.by === 'started' ? 0 : 1;
}

/** The earliest start the order's routing and the material allow, and what sets it. */
export function earliestStart(model: Model, placement: Placement, materials: MaterialPlan, predecessor: number, op: number): { earliest: number; cause: Cause } {
  const spec = model.operations[op]!;
  const order = model.orders[spec.order]!;
  let earliest = 0;
  let cause: Cause = { kind: 'now' };
  if (order.release > earliest) {
    earliest = order.release;
    cause = { kind: 'release' };
  }
  if (predecessor >= 0 && placement.resource[predecessor]! >= 0) {
    const ready = placement.end[predecessor]! + model.operations[predecessor]!.waitAfter;
    if (ready > earliest) {
      earliest = ready;
      cause = { kind: 'predecessor', op: predecessor };
    }
  }
  for (const d of spec.demands) {
    const at = materials.readyAt[d]!;
    if (at > earliest) {
      earliest = at;
      cause = { kind: 'material', demand: d, source: materials.readySource[d] ?? '', at };
    }
    // The output is there when every operation of the producer has ended: a pinned or frozen
    // operation may end after the routing's last one.
    for (const producer of materials.producers[d]!) {
      for (const made of model.orders[producer]!.operations) {
        if (placement.resource[made]! < 0 || placement.end[made]! <= earliest) continue;
        earliest = placement.end[made]!;
        cause = { kind: 'producer', demand: d, producerOp: made };
      }
    }
  }
  return { earliest, cause };
}

interface BestSlot {
  resource: number;
  mode: number;
  start: number;
  end: number;
  pushedBy: number | null;
}

/**
 * Over every mode and unit: the slot starting before `startBefore` that ends first (then starts
 * first, then lowest index). Each unit's earliest fit is its only candidate: no later slot there
 * starts earlier. Writes into `best` and `scratch` (reused across calls); false when none fits.
 */
function bestSlot(model: Model, timelines: readonly Timeline[], op: number, earliest: number, startBefore: number, best: BestSlot, scratch: BestSlot): boolean {
  const spec = model.operations[op]!;
  let found = false;
  for (let m = 0; m < spec.modes.length; m++) {
    const mode = spec.modes[m]!;
    for (const resource of model.workCenters[mode.workCenter]!.resources) {
      if (!timelines[resource]!.fitInto(scratch, earliest, mode.duration, spec.nonInterruptible) || scratch.start >= startBefore) continue;
      if (!found || scratch.end < best.end || (scratch.end === best.end && scratch.start < best.start)) {
        found = true;
        best.resource = resource;
        best.mode = m;
        best.start = scratch.start;
        best.end = scratch.end;
        best.pushedBy = scratch.pushedBy;
      }
    }
  }
  return found;
}
