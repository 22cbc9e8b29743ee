/** The messages between a solver thread and its pool: plain data, copied by structured clone. */
import type { PlantProblem } from '../../scheduler/problem.ts';
import type { SolveResult } from '../../scheduler/result.ts';
import type { SolveRequest } from './solver-pool.ts';

export interface SolveJob {
  readonly id: number;
  readonly problem: PlantProblem;
  readonly request: SolveRequest;
}

export type SolverReply =
  /** Sent once the thread has loaded the engine: a thread that got this far is worth replacing when it dies. */
  | { readonly kind: 'ready' }
  | { readonly kind: 'solved'; readonly id: number; readonly result: SolveResult }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
