/**
 * `evaluate` for a candidate that differs from the current schedule only in a few operations
 * (those a changed decode re-timed): the current schedule's terms are kept per order, and only
 * the orders of the changed operations are summed again. Equal to `evaluate` on the candidate
 * (up to float rounding); the makespan is scanned in full only when a changed operation was the
 * one that set it.
 */
import type { Placement } from '../dispatch/placement.ts';
import type { ChangeBound } from './decode-change.ts';
import type { Model } from '../model.ts';
import { makespanOf, movedOperations, orderTardiness, type ObjectiveVector } from '../objective.ts';

export class ObjectiveDelta {
  /** The current schedule's order ends (NaN: not placed in full) and starts. */
  private readonly orderEnd: Float64Array;
  private readonly seenOrder: Int32Array;
  private stamp = 0;
  private current: Placement | null = null;
  private tardiness = 0;
  private flow = 0;
  private makespan = 0;
  private moved = 0;
  private setup = 0;
  private readonly bound: FirstTermBound;

  constructor(private readonly model: Model) {
    this.orderEnd = new Float64Array(model.orders.length);
    this.seenOrder = new Int32Array(model.orders.length);
    this.bound = new FirstTermBound(model, this.orderEnd);
  }

  /**
   * For a changed decode against the current schedule: a bound that gives up once the
   * candidate's first term (weighted tardiness, or the makespan) can no longer beat `limit`'s.
   */
  boundBelow(limit: ObjectiveVector): ChangeBound {
    this.bound.limit = limit[0]!;
    this.bound.currentTardiness = this.tardiness;
    return this.bound;
  }

  /** Takes `placement` as the current schedule (after every full decode of it); its objective, as `evaluate` sums it. */
  reset(placement: Placement): ObjectiveVector {
    this.current = placement;
    const { model } = this;
    this.tardiness = 0;
    this.flow = 0;
    model.orders.forEach((order, o) => {
      const end = orderEndOf(model, placement, o);
      this.orderEnd[o] = end;
      if (Number.isNaN(end)) return;
      this.tardiness += orderTardiness(order, end);
      this.flow += end - order.release;
    });
    this.makespan = 0;
    this.setup = 0;
    for (let op = 0; op < placement.resource.length; op++) {
      if (placement.resource[op]! < 0) continue;
      this.makespan = Math.max(this.makespan, placement.end[op]!);
      this.setup += model.operations[op]!.modes[placement.mode[op]!]!.setup;
    }
    if (model.objective === 'makespan') return [this.makespan];
    this.moved = movedOperations(model, placement);
    return [this.tardiness, this.makespan + this.flow, this.moved, this.setup];
  }

  /** The objective of `candidate`, which equals the current schedule but for `changed[0..count)`. */
  valueWith(candidate: Placement, changed: Int32Array, count: number): ObjectiveVector {
    const { model } = this;
    const current = this.current!;
    let makespanSetByChanged = false;
    let makespan = 0;
    for (let i = 0; i < count; i++) {
      const op = changed[i]!;
      if (current.resource[op]! >= 0 && current.end[op] === this.makespan) makespanSetByChanged = true;
      if (candidate.resource[op]! >= 0) makespan = Math.max(makespan, candidate.end[op]!);
    }
    makespan = makespanSetByChanged ? makespanOf(candidate) : Math.max(makespan, this.makespan);
    if (model.objective === 'makespan') return [makespan];

    const stamp = ++this.stamp;
    let tardiness = this.tardiness;
    let flow = this.flow;
    let moved = this.moved;
    let setup = this.setup;
    for (let i = 0; i < count; i++) {
      const op = changed[i]!;
      const spec = model.operations[op]!;
      setup += modeSetup(model, candidate, op) - modeSetup(model, current, op);
      const previous = model.previous.get(op);
      if (previous !== undefined) moved += movedFrom(candidate, op, previous) - movedFrom(current, op, previous);
      const o = spec.order;
      if (this.seenOrder[o] === stamp) continue;
      this.seenOrder[o] = stamp;
      const order = model.orders[o]!;
      const before = this.orderEnd[o]!;
      if (!Number.isNaN(before)) {
        tardiness -= orderTardiness(order, before);
        flow -= before - order.release;
      }
      const after = orderEndOf(model, candidate, o);
      if (!Number.isNaN(after)) {
        tardiness += orderTardiness(order, after);
        flow += after - order.release;
      }
    }
    return [tardiness, makespan + flow, moved, setup];
  }
}

function orderEndOf(model: Model, placement: Placement, o: number): number {
  const ops = model.orders[o]!.operations;
  if (ops.length === 0) return Number.NaN;
  let end = -Infinity;
  for (const op of ops) {
    if (placement.resource[op]! < 0) return Number.NaN;
    end = Math.max(end, placement.end[op]!);
  }
  return end;
}

const modeSetup = (model: Model, placement: Placement, op: number): number =>
  (placement.resource[op]! >= 0 ? model.operations[op]!.modes[placement.mode[op]!]!.setup : 0);

const movedFrom = (placement: Placement, op: number, previous: { readonly resource: number; readonly start: number }): number =>
  (placement.resource[op]! >= 0 && (placement.resource[op] !== previous.resource || placement.start[op] !== previous.start) ? 1 : 0);

/**
 * The candidate's first term from the operations re-timed so far, the others taken at their
 * current times: for the makespan the latest new end; for weighted tardiness the sum with each
 * touched order's end taken from the candidate as it stands. The makespan's is a lower bound
 * at any time (new ends are final); the tardiness's once the rest can only be delayed (see
 * decode-change.ts).
 */
class FirstTermBound implements ChangeBound {
  limit = Infinity;
  currentTardiness = 0;
  readonly anytime: boolean;
  private running = 0;
  private readonly partialEnd: Float64Array;
  private readonly seen: Int32Array;
  private stamp = 0;

  constructor(private readonly model: Model, private readonly orderEnd: Float64Array) {
    this.anytime = model.objective === 'makespan';
    this.partialEnd = new Float64Array(model.orders.length);
    this.seen = new Int32Array(model.orders.length);
  }

  start(): void {
    this.stamp++;
    this.running = this.model.objective === 'makespan' ? 0 : this.currentTardiness;
  }

  placed(op: number, out: Placement): void {
    const { model } = this;
    if (model.objective === 'makespan') {
      this.running = Math.max(this.running, out.end[op]!);
      return;
    }
    const o = model.operations[op]!.order;
    const before = this.seen[o] === this.stamp ? this.partialEnd[o]! : this.orderEnd[o]!;
    this.seen[o] = this.stamp;
    const after = orderEndOf(model, out, o);
    this.partialEnd[o] = after;
    const order = model.orders[o]!;
    this.running += orderTardiness(order, after) - orderTardiness(order, before);
  }

  exceeded(): boolean {
    // Above the limit by more than the rounding of sums in another order.
    return this.running > this.limit + 1e-9 * Math.max(1, Math.abs(this.limit));
  }
}
