/**
 * Part (c): takt against the two MIP peers on small instances, same time limit for all.
 * The disjunctive MIP grows with jobs² × machines binaries, so only small instances are fair game.
 */
import type { IndexEntry } from '../benchdata.ts';
import { bestKnown } from '../benchdata.ts';
import { loadJssp, solveClassic } from '../classic.ts';
import type { SolveFunction } from '../engine.ts';
import { solveWithHighs } from './highs-peer.ts';
import { solveWithLpSolver } from './lp-solver-peer.ts';
import type { PeerOutcome } from './peer.ts';

export const PEER_INSTANCES = ['ft06', 'la01', 'la02', 'la03', 'la04', 'la05', 'la16'];

export interface PeerRow {
  readonly name: string;
  readonly best: number | null;
  readonly takt: PeerOutcome;
  readonly highs: PeerOutcome;
  /** Null when that peer was left out (--skip-lp-solver). */
  readonly lpSolver: PeerOutcome | null;
}

export async function comparePeers(
  entries: readonly IndexEntry[],
  timeLimitMs: number,
  solve: SolveFunction,
  withLpSolver: boolean,
  log: (line: string) => void,
): Promise<PeerRow[]> {
  const rows: PeerRow[] = [];
  for (const entry of entries) {
    const instance = loadJssp(entry);
    const ours = solveClassic(solve, entry, timeLimitMs);
    const takt: PeerOutcome = {
      peer: 'takt',
      makespan: ours.error ? null : ours.makespan,
      provenOptimal: false,
      elapsedMs: ours.elapsedMs,
      status: ours.status,
      ...(ours.error ? { rejected: ours.error } : {}),
    };
    const highs = await solveWithHighs(instance, timeLimitMs);
    const lpSolver = withLpSolver ? await solveWithLpSolver(instance, timeLimitMs) : null;
    log(`peers ${entry.name}: takt ${takt.makespan} highs ${highs.makespan} (${highs.status}) lp-solver ${lpSolver?.makespan ?? '-'}`);
    rows.push({ name: entry.name, best: bestKnown(entry), takt, highs, lpSolver });
  }
  return rows;
}
