/**
 * Peer: the disjunctive MIP solved by javascript-lp-solver through the engine's own wrapper
 * (scheduler/materials/lp.ts, the only importer of that library). The wrapper takes no time
 * limit (the engine must stay deterministic), so the solve runs in a child process that is
 * killed at the limit: a killed run reports no schedule, since its incumbent is lost with it.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsspInstance } from '../../scheduler/jssp.ts';
import type { LinearProgram } from '../../scheduler/materials/lp.ts';
import { checkJobShopSchedule, shapeOfJssp } from '../schedule-check.ts';
import { buildDisjunctiveMip, decodeStarts, type DisjunctiveMip } from './disjunctive-mip.ts';
import type { PeerOutcome } from './peer.ts';

const OBJECTIVE = 'makespan';
const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

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

/** What the child prints: the wrapper's answer with the variables as a plain object. */
export type ChildAnswer =
  | { readonly feasible: true; readonly result: number; readonly variables: Record<string, number> }
  | { readonly feasible: false; readonly reason: string; readonly message?: string };

function runChild(program: LinearProgram, timeLimitMs: number): Promise<ChildAnswer | 'timeout' | { error: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/run-ts.mjs', 'solver-bench/peers/lp-child.ts'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeLimitMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return done('timeout');
      if (code !== 0) return done({ error: `exit ${code}: ${stderr.trim().split('\n').pop() ?? ''}` });
      try {
        done(JSON.parse(stdout) as ChildAnswer);
      } catch {
        done({ error: 'unreadable answer' });
      }
    });
    child.stdin.end(JSON.stringify(program));
  });
}

export async function solveWithLpSolver(instance: JsspInstance, timeLimitMs: number): Promise<PeerOutcome> {
  const peer = 'javascript-lp-solver';
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const mip = buildDisjunctiveMip(instance);
  const answer = await runChild(toLinearProgram(mip), Math.max(1, timeLimitMs - elapsed()));
  if (answer === 'timeout') return { peer, makespan: null, provenOptimal: false, elapsedMs: elapsed(), status: 'Time limit reached' };
  if ('error' in answer) return { peer, makespan: null, provenOptimal: false, elapsedMs: elapsed(), status: 'error', rejected: answer.error };
  if (!answer.feasible) return { peer, makespan: null, provenOptimal: false, elapsedMs: elapsed(), status: answer.reason };
  const values = answer.variables;
  const placements = decodeStarts(instance, mip, (v) => values[v] ?? 0);
  const checked = placements ? checkJobShopSchedule(shapeOfJssp(instance.operations), placements) : { error: 'cyclic machine order' };
  const elapsedMs = elapsed();
  if ('error' in checked) return { peer, makespan: null, provenOptimal: false, elapsedMs, status: 'Optimal', rejected: checked.error };
  return { peer, makespan: checked.makespan, provenOptimal: true, elapsedMs, status: 'Optimal' };
}
