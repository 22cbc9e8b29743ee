/**
 * The decode after one move, from the current one: only the operations the move can reach are
 * re-timed (those whose machine predecessor or mode changed, and what lies downstream of them
 * through machine, routing and material links, as far as times actually change); the others
 * keep their times. Gives exactly what a full `Decoder.decode` would, in a fraction of the time.
 *
 * A candidate is written into a placement of its own that mirrors the current schedule and is
 * put back, between candidates, only where the last one changed it. With a bound, a candidate
 * that cannot win is given up early: once no operation left to time can end earlier than now,
 * every later change only delays, so a running sum is a lower bound of the candidate's objective.
 */
import { clonePlacement, type Placement } from '../dispatch/placement.ts';
import type { SearchContext } from './context.ts';
import type { Decoder } from './decode.ts';
import type { AppliedMove, SequenceState } from './sequences.ts';

/**
 * A running lower bound on a candidate's first objective term while it is timed (see
 * objective-delta.ts): `placed` after each operation re-timed; `exceeded` is asked only once
 * nothing left to time can end earlier.
 */
export interface ChangeBound {
  /** A lower bound even while operations may still end earlier (the makespan's: new ends are final). */
  readonly anytime: boolean;
  start(): void;
  placed(op: number, candidate: Placement): void;
  exceeded(): boolean;
}

export class ChangeDecoder {
  /** The last candidate: the current schedule but for the operations `changed` lists. */
  readonly candidate: Placement;
  /** The schedule `candidate` mirrors, and the decoder generation it was copied at. */
  private mirrored: Placement | null = null;
  private mirroredGeneration = -1;
  /** Operations the last candidate reached (marked with its stamp), in reach order. */
  private readonly reached: Int32Array;
  private reachedCount = 0;
  private readonly affected: Int32Array;
  private stamp = 0;
  /** Reached operations that must be timed (machine predecessor or mode changed), those given other times, those that may end earlier. */
  private readonly seeded: Int32Array;
  private readonly moved: Int32Array;
  private readonly mayEndEarlier: Int32Array;
  private readonly indegree: Int32Array;
  private readonly hot: Int32Array;
  private readonly cold: Int32Array;
  /** Machine links of the candidate's sequences: the decoder's, but on the moved-on resources. */
  private readonly candidatePred: Int32Array;
  private readonly candidateSucc: Int32Array;
  /** Operations whose candidate links differ from the decoder's, to put back. */
  private readonly relinked: Int32Array;
  private relinkedCount = 0;

  constructor(private readonly ctx: SearchContext, private readonly decoder: Decoder) {
    const n = ctx.model.operations.length;
    this.candidate = clonePlacement(ctx.base);
    this.reached = new Int32Array(n);
    this.affected = new Int32Array(n);
    this.seeded = new Int32Array(n);
    this.moved = new Int32Array(n);
    this.mayEndEarlier = new Int32Array(n);
    this.indegree = new Int32Array(n);
    this.hot = new Int32Array(n);
    this.cold = new Int32Array(n);
    this.candidatePred = Int32Array.from(decoder.machinePred);
    this.candidateSucc = Int32Array.from(decoder.machineSucc);
    this.relinked = new Int32Array(n);
  }

  /** The operations the last candidate could have re-timed (all others are as in the current schedule). */
  changed(): { readonly ops: Int32Array; readonly count: number } {
    return { ops: this.reached, count: this.reachedCount };
  }

  /**
   * Times `state` (the current one after `applied`) into `candidate`, from `current`, the
   * decoder's last full decode or a committed change. False when the sequences are cyclic or
   * infeasible, or (with `bound`) once the candidate cannot beat it.
   */
  tryMove(state: SequenceState, applied: AppliedMove, current: Placement, bound?: ChangeBound, record = false): boolean {
    this.mirror(current);
    const stamp = ++this.stamp;
    const seeds = this.seed(state, applied, stamp);
    const count = this.reach(seeds, stamp);
    return this.time(state, current, seeds, count, stamp, bound, record);
  }

  /**
   * Takes the move into `current` as a full decode would leave it, links and causes included,
   * re-timing only what it reaches. On false (cyclic or infeasible) the decoder's links are
   * spoilt: decode in full again.
   */
  commit(state: SequenceState, applied: AppliedMove, current: Placement): boolean {
    if (!this.tryMove(state, applied, current, undefined, true)) return false;
    copyOperations(this.candidate, current, this.reached, this.reachedCount);
    this.decoder.linkSequence(state.sequences[applied.fromResource]!);
    if (applied.toResource !== applied.fromResource) this.decoder.linkSequence(state.sequences[applied.toResource]!);
    return true;
  }

  /** Makes `candidate` equal `current` again: in full after a full decode, else where the last candidate wrote. */
  private mirror(current: Placement): void {
    const { candidate, decoder, candidatePred, candidateSucc, relinked } = this;
    if (this.mirrored !== current || this.mirroredGeneration !== decoder.generation) {
      candidate.resource.set(current.resource);
      candidate.mode.set(current.mode);
      candidate.start.set(current.start);
      candidate.end.set(current.end);
      candidatePred.set(decoder.machinePred);
      candidateSucc.set(decoder.machineSucc);
      this.mirrored = current;
      this.mirroredGeneration = decoder.generation;
    } else {
      copyOperations(current, candidate, this.reached, this.reachedCount);
      for (let i = 0; i < this.relinkedCount; i++) {
        const op = relinked[i]!;
        candidatePred[op] = decoder.machinePred[op]!;
        candidateSucc[op] = decoder.machineSucc[op]!;
      }
    }
    this.reachedCount = 0;
    this.relinkedCount = 0;
  }

  /**
   * Links the moved-on resources' sequences where the move changed them; the operations whose
   * machine predecessor changed, and the moved one, are the seeds.
   */
  private seed(state: SequenceState, applied: AppliedMove, stamp: number): number {
    const { reached, affected, seeded } = this;
    let count = 0;
    if (applied.toResource === applied.fromResource) {
      count = this.relink(state.sequences[applied.toResource]!, Math.min(applied.fromIndex, applied.toIndex) - 1, Math.max(applied.fromIndex, applied.toIndex) + 1, stamp, count);
    } else {
      count = this.relink(state.sequences[applied.toResource]!, applied.toIndex - 1, applied.toIndex + 1, stamp, count);
      count = this.relink(state.sequences[applied.fromResource]!, applied.fromIndex - 1, applied.fromIndex, stamp, count);
    }
    if (affected[applied.op] !== stamp) {
      affected[applied.op] = stamp;
      reached[count++] = applied.op;
    }
    for (let i = 0; i < count; i++) seeded[reached[i]!] = stamp;
    return count;
  }

  /** The candidate's machine links on `seq` from index `from` to `to` (clamped); adds the operations whose predecessor changed to the seeds. */
  private relink(seq: readonly number[], from: number, to: number, stamp: number, count: number): number {
    const { decoder, candidatePred, candidateSucc, relinked, reached, affected } = this;
    for (let i = Math.max(0, from); i <= to && i < seq.length; i++) {
      const op = seq[i]!;
      const pred = i > 0 ? seq[i - 1]! : -1;
      const succ = i + 1 < seq.length ? seq[i + 1]! : -1;
      if (decoder.machinePred[op] === pred && decoder.machineSucc[op] === succ) continue;
      relinked[this.relinkedCount++] = op;
      candidatePred[op] = pred;
      candidateSucc[op] = succ;
      if (decoder.machinePred[op] !== pred && affected[op] !== stamp) {
        affected[op] = stamp;
        reached[count++] = op;
      }
    }
    return count;
  }

  /** Everything downstream of the seeds; returns how many operations that is. */
  private reach(seeds: number, stamp: number): number {
    const { reached, affected, candidateSucc } = this;
    const { isMovable, routeSucc, consumers } = this.ctx;
    let tail = seeds;
    for (let head = 0; head < tail; head++) {
      const op = reached[head]!;
      const next = candidateSucc[op]!;
      if (next >= 0 && affected[next] !== stamp) {
        affected[next] = stamp;
        reached[tail++] = next;
      }
      const rs = routeSucc[op]!;
      if (rs >= 0 && isMovable[rs] && affected[rs] !== stamp) {
        affected[rs] = stamp;
        reached[tail++] = rs;
      }
      for (const c of consumers[op]!) {
        if (isMovable[c] && affected[c] !== stamp) {
          affected[c] = stamp;
          reached[tail++] = c;
        }
      }
    }
    this.reachedCount = tail;
    return tail;
  }

  /**
   * Kahn's order over the reached operations alone (the others are done already), ready ones
   * that may still end earlier first: once none is left, the bound applies to all that follow.
   */
  private time(state: SequenceState, current: Placement, seeds: number, count: number, stamp: number, bound: ChangeBound | undefined, record: boolean): boolean {
    const { reached, affected, indegree, candidatePred, candidateSucc, candidate, seeded, mayEndEarlier, moved, hot, cold, decoder } = this;
    const { routePred, routeSucc, producers, consumers } = this.ctx;
    for (let i = 0; i < count; i++) {
      const op = reached[i]!;
      let n = 0;
      const mp = candidatePred[op]!;
      if (mp >= 0 && affected[mp] === stamp) n++;
      const rp = routePred[op]!;
      if (rp >= 0 && affected[rp] === stamp) n++;
      for (const p of producers[op]!) if (affected[p] === stamp) n++;
      indegree[op] = n;
    }
    let hotHead = 0;
    let hotTail = 0;
    let coldHead = 0;
    let coldTail = 0;
    for (let i = 0; i < count; i++) {
      const op = reached[i]!;
      if (indegree[op] !== 0) continue;
      if (seeded[op] === stamp) hot[hotTail++] = op;
      else cold[coldTail++] = op;
    }
    /** Operations not yet timed that may end earlier than in `current`: seeds, and those an earlier end may bring forward. */
    let open = seeds;
    let done = 0;
    bound?.start();
    while (hotHead < hotTail || coldHead < coldTail) {
      const op = hotHead < hotTail ? hot[hotHead++]! : cold[coldHead++]!;
      done++;
      const isSeed = seeded[op] === stamp;
      if (isSeed || mayEndEarlier[op] === stamp) open--;
      // Downstream of the move but none of its links moved: its times stand (they are current's).
      if (isSeed || this.predecessorMoved(op, stamp)) {
        if (!decoder.place(state, op, candidate, candidatePred[op]!, record)) return false;
        const end = candidate.end[op]!;
        if (candidate.start[op] !== current.start[op] || end !== current.end[op] || candidate.resource[op] !== current.resource[op]) moved[op] = stamp;
        if (end < current.end[op]!) open += this.markForward(op, stamp);
        if (bound !== undefined) {
          bound.placed(op, candidate);
          if ((open === 0 || bound.anytime) && bound.exceeded()) return false;
        }
      }
      const next = candidateSucc[op]!;
      const rs = routeSucc[op]!;
      for (let k = -2; k < consumers[op]!.length; k++) {
        const s = k === -2 ? next : k === -1 ? rs : consumers[op]![k]!;
        if (s < 0 || affected[s] !== stamp || --indegree[s]! !== 0) continue;
        if (seeded[s] === stamp || mayEndEarlier[s] === stamp) hot[hotTail++] = s;
        else cold[coldTail++] = s;
      }
    }
    return done === count;
  }

  /** Whether a machine, routing or material predecessor of `op` got other times in this candidate. */
  private predecessorMoved(op: number, stamp: number): boolean {
    const { moved } = this;
    const mp = this.candidatePred[op]!;
    if (mp >= 0 && moved[mp] === stamp) return true;
    const rp = this.ctx.routePred[op]!;
    if (rp >= 0 && moved[rp] === stamp) return true;
    for (const p of this.ctx.producers[op]!) if (moved[p] === stamp) return true;
    return false;
  }

  /** Marks the successors that `op`'s earlier end may bring forward; how many were not yet. */
  private markForward(op: number, stamp: number): number {
    const { affected, mayEndEarlier, seeded, decoder } = this;
    const { routeSucc, consumers } = this.ctx;
    let marked = 0;
    for (let k = -2; k < consumers[op]!.length; k++) {
      const s = k === -2 ? this.candidateSucc[op]! : k === -1 ? routeSucc[op]! : consumers[op]![k]!;
      if (s < 0 || affected[s] !== stamp || mayEndEarlier[s] === stamp || seeded[s] === stamp) continue;
      if (!decoder.mayFollowForward(s, op)) continue;
      mayEndEarlier[s] = stamp;
      marked++;
    }
    return marked;
  }
}

/** Copies the unit, mode and times of `ops[0..count)` from one placement to the other. */
function copyOperations(from: Placement, to: Placement, ops: Int32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const op = ops[i]!;
    to.resource[op] = from.resource[op]!;
    to.mode[op] = from.mode[op]!;
    to.start[op] = from.start[op]!;
    to.end[op] = from.end[op]!;
  }
}
