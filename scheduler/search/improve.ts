/**
 * The improvement phase after the constructive pass. Contract: the returned placement keeps
 * every invariant of the input (calendars, capacity, precedence and waits, pegged material,
 * fixed work untouched) and is never worse by `evaluate`; deterministic for a seed and an
 * iteration budget; anytime under a time budget measured by the injected clock.
 */
import type { MaterialPlan, Placement } from '../dispatch/placement.ts';
import type { Model } from '../model.ts';

export interface SearchStart {
  readonly placement: Placement;
  readonly materials: MaterialPlan;
  /** Orders not scheduled (held, short, failed): their operations stay unplaced. */
  readonly excluded: ReadonlySet<number>;
}

export interface SearchOptions {
  readonly seed: number;
  readonly timeLimitMs: number;
  readonly maxIterations?: number | undefined;
  readonly clock?: (() => number) | undefined;
}

export interface SearchOutcome {
  readonly placement: Placement;
  readonly iterations: number;
}

export function improveSchedule(model: Model, start: SearchStart, options: SearchOptions): SearchOutcome {
  const budgeted = (options.timeLimitMs > 0 && options.clock !== undefined) || (options.maxIterations ?? 0) > 0;
  if (!budgeted || model.operations.length === 0) return { placement: start.placement, iterations: 0 };
  // The local search lands here (issue: solver quality); until then the constructive schedule stands.
  return { placement: start.placement, iterations: 0 };
}
