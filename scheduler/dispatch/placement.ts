/**
 * Where each operation sits, and why: the shared representation of a schedule inside the
 * engine (the dispatcher writes it, the local search rewrites it, the result is read from it).
 */
import type { FixedBy } from '../model.ts';

/** The constraint that set an operation's start. */
export type Cause =
  | { readonly kind: 'now' }
  | { readonly kind: 'release' }
  | { readonly kind: 'predecessor'; readonly op: number }
  | { readonly kind: 'material'; readonly demand: number; readonly source: string; readonly at: number }
  | { readonly kind: 'producer'; readonly demand: number; readonly producerOp: number }
  | { readonly kind: 'capacity'; readonly blocker: number }
  | { readonly kind: 'calendar' }
  | { readonly kind: 'fixed'; readonly by: FixedBy };

export interface Placement {
  /** Resource index per operation, -1 when not placed. */
  readonly resource: Int32Array;
  readonly mode: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly cause: (Cause | null)[];
}

export function emptyPlacement(operations: number): Placement {
  return {
    resource: new Int32Array(operations).fill(-1),
    mode: new Int32Array(operations),
    start: new Float64Array(operations),
    end: new Float64Array(operations),
    cause: new Array<Cause | null>(operations).fill(null),
  };
}

export function clonePlacement(p: Placement): Placement {
  return { resource: p.resource.slice(), mode: p.mode.slice(), start: p.start.slice(), end: p.end.slice(), cause: p.cause.slice() };
}

/** Pegged supply per material demand, as the dispatcher needs it. */
export interface MaterialPlan {
  /** Minute at which the demand's lots and receipts are all there (0 when none are needed). */
  readonly readyAt: readonly number[];
  /** The lot or receipt that arrives last, for the explanation. */
  readonly readySource: readonly (string | null)[];
  /** Orders whose output the demand is pegged to; it waits for their last operation. */
  readonly producers: readonly (readonly number[])[];
  /** Every supply (index into `Model.supplies`) allocated to the demand; for lot-expiry checks. */
  readonly sources: readonly (readonly number[])[];
  /** The quantity drawn from each of `sources`, in the same order. */
  readonly quantities: readonly (readonly number[])[];
}
