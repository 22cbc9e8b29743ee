/**
 * The search's solution representation: for each resource, the order in which its movable
 * operations run, plus the resource and mode chosen per operation. Start and end times are
 * derived from it by the decoder. Moves are reversible exactly (apply → undo restores state).
 */
import type { Placement } from '../dispatch/placement.ts';

/** Take `op` out of its sequence and put it at `toIndex` of `toResource`'s sequence, in `toMode`. */
export interface SequenceMove {
  readonly op: number;
  readonly toResource: number;
  readonly toMode: number;
  /** Index in the target sequence once `op` has been removed from its own. */
  readonly toIndex: number;
}

/** What `apply` needs to be undone. */
export interface AppliedMove {
  readonly op: number;
  readonly fromResource: number;
  readonly fromMode: number;
  readonly fromIndex: number;
  readonly toResource: number;
  readonly toIndex: number;
}

export class SequenceState {
  constructor(
    readonly sequences: number[][],
    readonly resource: Int32Array,
    readonly mode: Int32Array,
  ) {}

  /** Sequences in start order (then end order, then index) of the given operations. */
  static fromPlacement(placement: Placement, movable: Int32Array, resources: number): SequenceState {
    const sequences: number[][] = Array.from({ length: resources }, () => []);
    for (const op of movable) sequences[placement.resource[op]!]!.push(op);
    for (const seq of sequences) {
      seq.sort((a, b) => placement.start[a]! - placement.start[b]! || placement.end[a]! - placement.end[b]! || a - b);
    }
    return new SequenceState(sequences, placement.resource.slice(), placement.mode.slice());
  }

  clone(): SequenceState {
    return new SequenceState(this.sequences.map((s) => s.slice()), this.resource.slice(), this.mode.slice());
  }

  copyFrom(other: SequenceState): void {
    other.sequences.forEach((s, r) => {
      const mine = this.sequences[r]!;
      mine.length = 0;
      for (const op of s) mine.push(op);
    });
    this.resource.set(other.resource);
    this.mode.set(other.mode);
  }

  indexOf(op: number): number {
    return this.sequences[this.resource[op]!]!.indexOf(op);
  }

  apply(move: SequenceMove): AppliedMove {
    const fromResource = this.resource[move.op]!;
    const fromMode = this.mode[move.op]!;
    const from = this.sequences[fromResource]!;
    const fromIndex = from.indexOf(move.op);
    from.splice(fromIndex, 1);
    this.sequences[move.toResource]!.splice(move.toIndex, 0, move.op);
    this.resource[move.op] = move.toResource;
    this.mode[move.op] = move.toMode;
    return { op: move.op, fromResource, fromMode, fromIndex, toResource: move.toResource, toIndex: move.toIndex };
  }

  undo(applied: AppliedMove): void {
    this.sequences[applied.toResource]!.splice(applied.toIndex, 1);
    this.sequences[applied.fromResource]!.splice(applied.fromIndex, 0, applied.op);
    this.resource[applied.op] = applied.fromResource;
    this.mode[applied.op] = applied.fromMode;
  }

  equals(other: SequenceState): boolean {
    if (this.sequences.length !== other.sequences.length) return false;
    for (let r = 0; r < this.sequences.length; r++) {
      const a = this.sequences[r]!;
      const b = other.sequences[r]!;
      if (a.length !== b.length || a.some((op, i) => op !== b[i])) return false;
    }
    return this.resource.every((v, i) => v === other.resource[i]) && this.mode.every((v, i) => v === other.mode[i]);
  }
}
