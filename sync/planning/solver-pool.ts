/**
 * The narrow seam between a plan run and the engine: `solve` as a promise, so the caller need not
 * know whether the engine runs on this thread or on a worker thread. The runtime picks which
 * (`openRuntime`); everything else takes a `SolverPool` and defaults to the in-thread one.
 */
import type { IsoInstant, PlantProblem } from '../../scheduler/problem.ts';
import type { SolveOptions, SolveResult } from '../../scheduler/result.ts';
import { solve } from '../../scheduler/solve.ts';
import { joinTeam, type TeamSeat } from './search-team.ts';

/** What a caller decides about a solve; the clock that measures the budget belongs to the solver. */
export interface SolveRequest {
  /** The instant the schedule starts from: an ISO instant or epoch milliseconds (both cross a thread as is). */
  readonly now: IsoInstant | number;
  readonly seed?: number;
  readonly timeLimitMs?: number;
  /** A deterministic budget instead of (or besides) the time limit: search steps. */
  readonly maxIterations?: number;
  /** This solve's seat in a team of threads searching the plant together (see search-team.ts). */
  readonly team?: TeamSeat;
}

export interface SolverPool {
  solve(problem: PlantProblem, request: SolveRequest): Promise<SolveResult>;
  /** Stops the pool's threads; solves still running or waiting are rejected. */
  close(): Promise<void>;
}

/** The pool's threads are busy and as many solves as it lets wait are waiting: refused, not queued. */
export class SolverBusyError extends Error {
  constructor() {
    super('every solver thread is busy and the waiting line is full');
    this.name = 'SolverBusyError';
  }
}

/** Solves on the calling thread: blocks the event loop for the whole solve. For tools and tests. */
export const inThreadSolver: SolverPool = {
  solve: async (problem, request) => solve(problem, toSolveOptions(request)),
  close: async () => undefined,
};

/** The engine reads no clock: the budget is measured on the thread that runs the solve. */
export function toSolveOptions(request: SolveRequest): SolveOptions {
  return {
    now: request.now,
    clock: () => performance.now(),
    ...(request.seed !== undefined && { seed: request.seed }),
    ...(request.timeLimitMs !== undefined && { timeLimitMs: request.timeLimitMs }),
    ...(request.maxIterations !== undefined && { maxIterations: request.maxIterations }),
    ...(request.team !== undefined && { team: joinTeam(request.team) }),
  };
}
