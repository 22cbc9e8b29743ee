/**
 * What `solve` returns: a status, the schedule, KPIs and typed problems. Infeasibility and bad
 * data are answered here as data, never thrown.
 */
import type { IsoInstant } from './problem.ts';
import type { SearchTeam } from './search/team.ts';

export type SolveStatus =
  /** Every schedulable order is placed and nothing is late. */
  | 'optimal-or-feasible'
  /** Every order is placed; some are late. */
  | 'feasible-late'
  /** Some orders could not be placed (shortage, hold, horizon, bad data); see problems. */
  | 'partial'
  /** The input could not be read as a problem at all. */
  | 'invalid';

export interface ScheduledOperation {
  readonly workOrder: string;
  readonly operation: string;
  readonly workCenter: string;
  /** 1-based unit of the work center. */
  readonly unit: number;
  readonly start: IsoInstant;
  readonly end: IsoInstant;
  /** Working minutes of setup and run (what remains, for a started operation). */
  readonly workMinutes: number;
  readonly quantity: number;
  /** Why it sits where it does: `started`, `frozen`, `pinned` or `planned`. */
  readonly fixedBy: 'started' | 'frozen' | 'pinned' | 'planned';
  /** When every component it consumes is allocated and there (`now` when it consumes none). */
  readonly materialReadyAt: IsoInstant;
}

/**
 * One link of an order's explanation. `waitMinutes`: how long that constraint held the
 * operation back from when it was otherwise ready; the longest wait is what binds most.
 */
export type ReasonLink =
  | { readonly kind: 'release'; readonly operation: string; readonly at: IsoInstant; readonly waitMinutes?: number }
  | { readonly kind: 'now'; readonly operation: string; readonly at: IsoInstant }
  | { readonly kind: 'predecessor'; readonly operation: string; readonly after: string; readonly at: IsoInstant }
  /** `stockTakenBy`: other orders that got this item's stock there before `at` (the first five, by id). */
  | { readonly kind: 'material'; readonly operation: string; readonly item: string; readonly source: string; readonly at: IsoInstant; readonly waitMinutes?: number; readonly stockTakenBy?: readonly string[] }
  | { readonly kind: 'capacity'; readonly operation: string; readonly workCenter: string; readonly unit: number; readonly behind: string; readonly at: IsoInstant; readonly waitMinutes?: number }
  | { readonly kind: 'calendar'; readonly operation: string; readonly workCenter: string; readonly at: IsoInstant; readonly waitMinutes?: number }
  | { readonly kind: 'fixed'; readonly operation: string; readonly by: 'started' | 'frozen' | 'pinned'; readonly at: IsoInstant; readonly waitMinutes?: number }
  | { readonly kind: 'hold'; readonly hold: string }
  | { readonly kind: 'shortage'; readonly item: string; readonly missing: number }
  | { readonly kind: 'horizon'; readonly operation: string; readonly workCenter: string };

export interface ScheduledOrder {
  readonly workOrder: string;
  readonly status: 'scheduled' | 'unscheduled' | 'completed';
  readonly plannedStart: IsoInstant | null;
  readonly plannedEnd: IsoInstant | null;
  readonly due: IsoInstant;
  /** Minutes after the due date (negative: early); null when unscheduled. */
  readonly latenessMinutes: number | null;
  /** 1 = run first. */
  readonly dispatchPriority: number;
  /** For late or unscheduled orders: the binding constraints, last one first. */
  readonly reasons: readonly ReasonLink[];
}

export interface WorkCenterKpi {
  readonly workCenter: string;
  /** Busy working minutes over available working minutes up to the makespan. */
  readonly utilisation: number;
}

export interface Kpis {
  readonly orders: number;
  readonly scheduledOrders: number;
  readonly lateOrders: number;
  readonly onTimeRate: number;
  /** Sum of priority-weight × tardiness, in minutes. */
  readonly totalWeightedTardinessMinutes: number;
  /** Minutes from now to the last planned end. */
  readonly makespanMinutes: number;
  /** Sum over orders of (planned end - max(now, release)), in minutes. */
  readonly totalFlowMinutes: number;
  readonly totalSetupMinutes: number;
  /** Operations whose unit or start differs from the previous schedule. */
  readonly operationsMoved: number;
  readonly utilisation: readonly WorkCenterKpi[];
}

export type Problem =
  | { readonly type: 'invalid-data'; readonly path: string; readonly message: string; readonly entity?: string }
  | { readonly type: 'unknown-reference'; readonly path: string; readonly kind: string; readonly key: string }
  /** `earliestCoverAt`: when the order's material would be there if it had priority over the orders that got it (null: not in the horizon). */
  | { readonly type: 'shortage'; readonly workOrder: string; readonly operation: string; readonly item: string; readonly missingQuantity: number; readonly earliestCoverAt: IsoInstant | null }
  | { readonly type: 'hold'; readonly workOrder: string; readonly hold: string; readonly reason?: string }
  | { readonly type: 'beyond-horizon'; readonly workOrder: string; readonly operation: string; readonly workCenter: string }
  | { readonly type: 'late'; readonly workOrder: string; readonly latenessMinutes: number }
  | { readonly type: 'pin-conflict'; readonly workOrder: string; readonly operation: string; readonly message: string }
  | { readonly type: 'precedence-violated-by-fixed'; readonly workOrder: string; readonly operation: string; readonly after: string }
  | { readonly type: 'lot-expires'; readonly workOrder: string; readonly operation: string; readonly lot: string; readonly expiresAt: IsoInstant }
  /** An operation that names a standard no candidate work center has a time (or capacity) for. */
  | {
    readonly type: 'missing-operation-time'; readonly workOrder: string; readonly operation: string;
    readonly standardOperation: string; readonly category?: string; readonly workCenters: readonly string[]; readonly message: string;
  };

export interface SolveStats {
  readonly constructiveMs: number;
  readonly improvementMs: number;
  readonly iterations: number;
  /** Milliseconds from the start of the solve until the returned schedule was found. */
  readonly timeToBestMs: number;
  /** Objective of the constructive schedule and of the returned one (lower is better). */
  readonly initialObjective: readonly number[];
  readonly finalObjective: readonly number[];
  /** The search proved that no schedule has a better objective (job shops: a lower bound met or a proof). */
  readonly provedOptimal: boolean;
}

export interface SolveResult {
  readonly status: SolveStatus;
  readonly now: IsoInstant;
  readonly operations: readonly ScheduledOperation[];
  readonly orders: readonly ScheduledOrder[];
  readonly kpis: Kpis;
  readonly problems: readonly Problem[];
  readonly stats: SolveStats;
}

export interface SolveOptions {
  /** The instant the schedule starts from. */
  readonly now: IsoInstant | Date | number;
  readonly seed?: number;
  /**
   * Budget of the whole solve, by `clock`: the search gets what compiling and the constructive
   * pass leave, and stops in time for the result to be built by then (a constructive pass
   * longer than the budget is answered as it is). 0 runs the constructive pass only.
   */
  readonly timeLimitMs?: number;
  /** Deterministic budget: improvement iterations (search steps, one move applied each); stops at whichever limit comes first. */
  readonly maxIterations?: number;
  /** Milliseconds clock for `timeLimitMs` (the engine reads no clock of its own); without one only `maxIterations` bounds the search. */
  readonly clock?: () => number;
  /** Stop the search once this many ms (by `clock`) pass without a better schedule (0 or absent: run the whole budget). */
  readonly stopWithoutImprovementMs?: number;
  /**
   * Threads searching this plant together, this solve one of them (see search/team.ts): the
   * exchange between them is injected, as the clock is.
   */
  readonly team?: SearchTeam;
  /** Told each better schedule the search finds: its objective (lower is better) and ms into the search. */
  readonly onImprove?: (best: { readonly objective: readonly number[]; readonly elapsedMs: number; readonly iterations: number }) => void;
}
