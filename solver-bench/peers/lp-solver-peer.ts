/**
 * Peer: the disjunctive MIP solved by javascript-lp-solver through the engine's own wrapper
 * (scheduler/materials/lp.ts, the only importer of that library), with the library's own
 * timeout: at the limit its branch and bound stops and the best integer solution found so far
 * is the answer (none found: no schedule). The engine itself never passes a timeout.
 */
import type { JsspInstance } from '../../scheduler/jssp.ts';
import { solveLinearProgram, type LinearProgram } from '../../scheduler/materials/lp.ts';
import { checkJobShopSchedule, shapeOfJssp } from '../schedule-check.ts';
import { buildDisjunctiveMip, decodeStarts, type DisjunctiveMip } from './disjunctive-mip.ts';
import type { PeerOutcome } from './peer.ts';

const OBJECTIVE = 'makespan';

export function toLinearProgram(mip: DisjunctiveMip): LinearProgram {
  const variables: Record<string, Record<string, number>> = {};
  const column = (name: string): Record<string, number> => (variables[name] ??= {});
  column(mip.makespanVariable)[OBJECTIVE] = 1;
  const constraints: Record<string, { min?: number; max?: number }> = {};
  for (const row of mip.rows) {
    constraints[row.name] = { min: row.rhs };
    for (const term of row.terms) column(term.variable)[row.name] = term.coefficient;
  }
  // Upper bounds on the starts keep the relaxation bounded like the HiGHS model.
  for (const row of mip.startVariables) {
    for (const s of row) {
      constraints[`ub_${s}`] = { max: mip.bigM };
      column(s)[`ub_${s}`] = 1;
    }
  }
  return { objective: OBJECTIVE, direction: 'min', constraints, variables, binaries: mip.binaries };
}

export async function solveWithLpSolver(instance: JsspInstance, timeLimitMs: number): Promise<PeerOutcome> {
  const peer = 'javascript-lp-solver';
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const mip = buildDisjunctiveMip(instance);
  const program = toLinearProgram(mip);
  const limitMs = Math.max(1, timeLimitMs - elapsed());
  const solveStarted = performance.now();
  const answer = solveLinearProgram(program, { timeoutMs: limitMs });
  // The library does not say whether the timeout stopped it; a run that used the whole limit
  // proved nothing about its incumbent.
  // Date.now() (the library's clock) ticks in whole milliseconds, hence the one-millisecond slack.
  const timedOut = performance.now() - solveStarted >= limitMs - 1;
  if (!answer.feasible) {
    // The model always has a schedule (every start fits under big M), so "infeasible" at the
    // limit is the library reporting the branch it was cut off in, not a proof.
    const cutOff = answer.reason === 'timeout' || (answer.reason === 'infeasible' && timedOut);
    const status = cutOff ? TIME_LIMIT : answer.reason;
    return { peer, makespan: null, provenOptimal: false, elapsedMs: elapsed(), status, ...(answer.message === undefined ? {} : { rejected: answer.message }) };
  }
  const status = timedOut ? TIME_LIMIT : 'Optimal';
  const placements = decodeStarts(instance, mip, (v) => answer.variables.get(v) ?? 0);
  const checked = placements ? checkJobShopSchedule(shapeOfJssp(instance.operations), placements) : { error: 'cyclic machine order' };
  const elapsedMs = elapsed();
  if ('error' in checked) return { peer, makespan: null, provenOptimal: false, elapsedMs, status, rejected: checked.error };
  return { peer, makespan: checked.makespan, provenOptimal: !timedOut, elapsedMs, status };
}

const TIME_LIMIT = 'Time limit reached';
