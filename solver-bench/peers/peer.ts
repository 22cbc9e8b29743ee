/** What a peer solver reports for one instance at one time limit. */
export interface PeerOutcome {
  readonly peer: string;
  /** Makespan of the best schedule found and checked valid; null when none was found in time. */
  readonly makespan: number | null;
  /** True when the solver proved that makespan optimal. */
  readonly provenOptimal: boolean;
  readonly elapsedMs: number;
  /** The solver's own word on how it stopped (e.g. `Optimal`, `Time limit reached`). */
  readonly status: string;
  /** Why a returned answer was not counted (invalid schedule, solver error). */
  readonly rejected?: string;
}
