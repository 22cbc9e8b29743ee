/**
 * The one door to javascript-lp-solver: no other file in the repository imports it, so the
 * solver can be swapped (HiGHS, a hand-written flow) behind this typed function.
 *
 * Its types come from javascript-lp-solver.d.ts beside this file; `Solve` answers `unknown`,
 * narrowed here. A thrown solver error, an infeasible or unbounded model all come back as
 * data. The engine passes no timeout: a wall-clock limit would make the answer depend on machine
 * load, and the engine must be deterministic, so it bounds the model size instead. `timeoutMs`
 * is for callers outside the engine (the benchmark's peer), which want the library's best answer
 * within a limit.
 */
import solver from 'javascript-lp-solver';

export interface Bound {
  readonly min?: number;
  readonly max?: number;
  readonly equal?: number;
}

export interface LinearProgram {
  /** Name of the attribute to optimise (a key used in the variables' coefficient maps). */
  readonly objective: string;
  readonly direction: 'max' | 'min';
  readonly constraints: Readonly<Record<string, Bound>>;
  /** Variable name → (constraint or objective name → coefficient). Variables are ≥ 0. */
  readonly variables: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Variables restricted to {0, 1}. */
  readonly binaries?: readonly string[];
}

export interface LinearProgramOptions {
  /**
   * Wall-clock limit of the library's branch and bound (its own `timeout` option). When it runs
   * out, the best integer solution found so far is the answer; none found is `reason: 'timeout'`.
   */
  readonly timeoutMs?: number;
}

export type LinearProgramSolution =
  | {
      readonly feasible: true;
      /** Objective value. */
      readonly result: number;
      /** Values of the variables; a variable left out is 0. */
      readonly variables: ReadonlyMap<string, number>;
    }
  | { readonly feasible: false; readonly reason: 'infeasible' | 'unbounded' | 'error' | 'timeout'; readonly message?: string };

export function solveLinearProgram(program: LinearProgram, options: LinearProgramOptions = {}): LinearProgramSolution {
  const binaries: Record<string, 1> = {};
  for (const name of program.binaries ?? []) binaries[name] = 1;
  let answer: unknown;
  try {
    answer = solver.Solve({
      optimize: program.objective,
      opType: program.direction,
      constraints: { ...program.constraints },
      variables: Object.fromEntries(Object.entries(program.variables).map(([k, v]) => [k, { ...v }])),
      binaries,
      ...(options.timeoutMs === undefined ? {} : { timeout: Math.max(1, options.timeoutMs) }),
    });
  } catch (error) {
    return { feasible: false, reason: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (typeof answer !== 'object' || answer === null) return { feasible: false, reason: 'error', message: 'no answer' };
  const record = answer as Record<string, unknown>;
  if (record['feasible'] !== true) return { feasible: false, reason: 'infeasible' };
  if (record['bounded'] === false) return { feasible: false, reason: 'unbounded' };
  const result = record['result'];
  if (typeof result !== 'number' || !Number.isFinite(result)) return { feasible: false, reason: 'error', message: 'no objective value' };
  // Stopped by the timeout before any integer solution: the answer is a fractional relaxation.
  if (options.timeoutMs !== undefined && (program.binaries?.length ?? 0) > 0 && record['isIntegral'] !== true) {
    return { feasible: false, reason: 'timeout' };
  }
  const variables = new Map<string, number>();
  for (const name of Object.keys(program.variables)) {
    const value = record[name];
    if (typeof value === 'number' && Number.isFinite(value)) variables.set(name, value);
  }
  return { feasible: true, result, variables };
}
