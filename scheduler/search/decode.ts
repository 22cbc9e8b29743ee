/**
 * Sequences → times, semi-actively: each movable operation starts at the earliest minute its
 * release, routing predecessor (plus wait), material, pegged producers and machine predecessor
 * allow, snapped to its machine's working time, past any fixed work on that machine, in one
 * stretch when it is non-interruptible. Also records, per operation, the link that bound its
 * start (for critical paths) and the cause shown in explanations.
 */
import { firstAbove } from '../sorted.ts';
import type { Cause, Placement } from '../dispatch/placement.ts';
import type { SearchContext } from './context.ts';
import type { SequenceState } from './sequences.ts';

/** What bound an operation's start, for critical paths. */
export const LINK_NONE = 0;
export const LINK_ROUTE = 1;
export const LINK_MACHINE = 2;
export const LINK_PRODUCER = 3;

const CAUSE_NOW = 0;
const CAUSE_RELEASE = 1;
const CAUSE_PREDECESSOR = 2;
const CAUSE_MATERIAL = 3;
const CAUSE_PRODUCER = 4;
const CAUSE_CAPACITY = 5;
const CAUSE_CALENDAR = 6;

export class Decoder {
  /** Operation whose end bound this one's start (-1 when none), and through what. */
  readonly link: Int32Array;
  readonly linkKind: Uint8Array;
  /** Machine neighbours in the sequences last decoded (or committed). */
  readonly machinePred: Int32Array;
  readonly machineSucc: Int32Array;
  private readonly causeKind: Uint8Array;
  private readonly causeRef: Int32Array;
  private readonly indegree: Int32Array;
  private readonly queue: Int32Array;
  /** Counts full decodes: a changed decode that mirrors a schedule must copy it again after one. */
  generation = 0;

  constructor(private readonly ctx: SearchContext) {
    const n = ctx.model.operations.length;
    this.link = new Int32Array(n).fill(-1);
    this.linkKind = new Uint8Array(n);
    this.machinePred = new Int32Array(n).fill(-1);
    this.machineSucc = new Int32Array(n).fill(-1);
    this.causeKind = new Uint8Array(n);
    this.causeRef = new Int32Array(n);
    this.indegree = new Int32Array(n);
    this.queue = new Int32Array(n);
  }

  /**
   * Writes the movable operations' resource, mode, start and end into `out` (whose other
   * entries are the base schedule's). False when the sequences are cyclic, run past the
   * horizon or start work after its material expires.
   */
  decode(state: SequenceState, out: Placement): boolean {
    const { ctx, machinePred, machineSucc, indegree, queue } = this;
    this.generation++;
    const { movable, isMovable, routePred, producers } = ctx;
    for (const seq of state.sequences) this.linkSequence(seq);
    let tail = 0;
    for (const op of movable) {
      let count = machinePred[op]! >= 0 ? 1 : 0;
      const rp = routePred[op]!;
      if (rp >= 0 && isMovable[rp]) count++;
      for (const p of producers[op]!) if (isMovable[p]) count++;
      indegree[op] = count;
      if (count === 0) queue[tail++] = op;
    }
    const { routeSucc, consumers } = ctx;
    let head = 0;
    while (head < tail) {
      const op = queue[head++]!;
      if (!this.place(state, op, out, machinePred[op]!, true)) return false;
      const rs = routeSucc[op]!;
      if (rs >= 0 && isMovable[rs] && --indegree[rs]! === 0) queue[tail++] = rs;
      const next = machineSucc[op]!;
      if (next >= 0 && --indegree[next]! === 0) queue[tail++] = next;
      for (const c of consumers[op]!) if (isMovable[c] && --indegree[c]! === 0) queue[tail++] = c;
    }
    return tail === movable.length;
  }

  /**
   * Whether `op`'s start in the last decode was bound by `pred`'s end, or pushed past fixed
   * work: the only ways an earlier end of `pred` can bring `op` forward (ties keep one link,
   * and the tied other holds the start where it is).
   */
  mayFollowForward(op: number, pred: number): boolean {
    return this.link[op] === pred || (this.linkKind[op] === LINK_NONE && this.causeKind[op] === CAUSE_CAPACITY);
  }

  /** Sets the machine links along one sequence (all of them after a full decode; a moved-on one's after a committed change). */
  linkSequence(seq: readonly number[]): void {
    const { machinePred, machineSucc } = this;
    for (let i = 0; i < seq.length; i++) {
      machinePred[seq[i]!] = i > 0 ? seq[i - 1]! : -1;
      machineSucc[seq[i]!] = i + 1 < seq.length ? seq[i + 1]! : -1;
    }
  }

  /**
   * Times one operation after its machine predecessor `mp`, from the times in `out` of its
   * other predecessors, into `out`; `record` keeps its links and cause (a full decode's, or a
   * committed change's). False past the horizon, a lot's expiry or a latest end.
   */
  place(state: SequenceState, op: number, out: Placement, mp: number, record: boolean): boolean {
    const { model, materials, routePred, producers, fixed, latestStart, latestEnd } = this.ctx;
    const spec = model.operations[op]!;
    let earliest = 0;
    let kind = CAUSE_NOW;
    let ref = -1;
    let link = -1;
    let linkKind = LINK_NONE;
    const release = model.orders[spec.order]!.release;
    if (release > earliest) {
      earliest = release;
      kind = CAUSE_RELEASE;
    }
    const rp = routePred[op]!;
    if (rp >= 0 && out.resource[rp]! >= 0) {
      const ready = out.end[rp]! + model.operations[rp]!.waitAfter;
      if (ready > earliest) {
        earliest = ready;
        kind = CAUSE_PREDECESSOR;
        ref = rp;
        link = rp;
        linkKind = LINK_ROUTE;
      }
    }
    for (const d of spec.demands) {
      const at = materials.readyAt[d]!;
      if (at > earliest) {
        earliest = at;
        kind = CAUSE_MATERIAL;
        ref = d;
        link = -1;
        linkKind = LINK_NONE;
      }
    }
    for (const p of producers[op]!) {
      if (out.end[p]! > earliest) {
        earliest = out.end[p]!;
        kind = CAUSE_PRODUCER;
        ref = p;
        link = p;
        linkKind = LINK_PRODUCER;
      }
    }
    let t0 = earliest;
    let blocker = -1;
    if (mp >= 0 && out.end[mp]! > t0) {
      t0 = out.end[mp]!;
      blocker = mp;
      link = mp;
      linkKind = LINK_MACHINE;
    }

    const r = state.resource[op]!;
    const mode = state.mode[op]!;
    const duration = spec.modes[mode]!.duration;
    const working = model.resources[r]!.working;
    const obstacles = fixed[r]!;
    let t = working.nextWorkingMinute(t0);
    let end: number | null = null;
    while (t !== null) {
      end = working.addWork(t, duration);
      if (end === null) return false;
      if (spec.nonInterruptible && duration > 0 && end > working.stretchEnd(t)) {
        t = working.nextWorkingMinute(working.stretchEnd(t));
        continue;
      }
      const i = duration > 0 ? firstAbove(obstacles.end, t) : obstacles.end.length;
      if (i < obstacles.end.length && obstacles.start[i]! < end) {
        blocker = obstacles.op[i]!;
        link = -1;
        linkKind = LINK_NONE;
        t = working.nextWorkingMinute(obstacles.end[i]!);
        continue;
      }
      break;
    }
    if (t === null || end === null || t >= latestStart[op]! || end > latestEnd[op]!) return false;

    out.resource[op] = r;
    out.mode[op] = mode;
    out.start[op] = t;
    out.end[op] = end;
    if (!record) return true;
    this.link[op] = link;
    this.linkKind[op] = linkKind;
    if (blocker >= 0) {
      this.causeKind[op] = CAUSE_CAPACITY;
      this.causeRef[op] = blocker;
    } else if (t > earliest) {
      this.causeKind[op] = CAUSE_CALENDAR;
    } else {
      this.causeKind[op] = kind;
      this.causeRef[op] = ref;
    }
    return true;
  }

  /** Sets the explanation of every movable operation from the last successful decode. */
  writeCauses(out: Placement): void {
    const { model, materials } = this.ctx;
    for (const op of this.ctx.movable) {
      const ref = this.causeRef[op]!;
      let cause: Cause;
      switch (this.causeKind[op]) {
        case CAUSE_RELEASE: cause = { kind: 'release' }; break;
        case CAUSE_PREDECESSOR: cause = { kind: 'predecessor', op: ref }; break;
        case CAUSE_MATERIAL: cause = { kind: 'material', demand: ref, source: materials.readySource[ref] ?? '', at: materials.readyAt[ref]! }; break;
        case CAUSE_PRODUCER: {
          const demand = model.operations[op]!.demands.find((d) =>
            materials.producers[d]!.some((o) => model.orders[o]!.operations.includes(ref))) ?? -1;
          cause = { kind: 'producer', demand, producerOp: ref };
          break;
        }
        case CAUSE_CAPACITY: cause = { kind: 'capacity', blocker: ref }; break;
        case CAUSE_CALENDAR: cause = { kind: 'calendar' }; break;
        default: cause = { kind: 'now' };
      }
      out.cause[op] = cause;
    }
  }
}

