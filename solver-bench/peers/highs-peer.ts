/**
 * Peer: the disjunctive MIP solved by HiGHS (WebAssembly build, single-threaded), given the
 * same wall-clock limit as takt. The model goes in as CPLEX LP text.
 */
import highsEntry, { type Highs } from 'highs';
import type { JsspInstance } from '../../scheduler/jssp.ts';
import { checkJobShopSchedule, shapeOfJssp } from '../schedule-check.ts';
import { buildDisjunctiveMip, decodeStarts, type DisjunctiveMip, type Term } from './disjunctive-mip.ts';
import type { PeerOutcome } from './peer.ts';

// The package's declarations are read as CommonJS under NodeNext, while Node loads its ESM
// build whose default export is the loader itself.
const loadHighs = highsEntry as unknown as () => Promise<Highs>;

let loading: Promise<Highs> | undefined;
/** The WASM module is loaded once per process; every solve gets a fresh native instance. */
function highs(): Promise<Highs> {
  loading ??= loadHighs();
  return loading;
}

function spellTerms(terms: readonly Term[]): string {
  return terms
    .map((t, i) => {
      const sign = t.coefficient < 0 ? '-' : i === 0 ? '' : '+';
      const size = Math.abs(t.coefficient);
      return `${sign} ${size === 1 ? '' : `${size} `}${t.variable}`.trim();
    })
    .join(' ');
}

export function toLpText(mip: DisjunctiveMip): string {
  const lines = ['Minimize', ` obj: ${mip.makespanVariable}`, 'Subject To'];
  for (const row of mip.rows) lines.push(` ${row.name}: ${spellTerms(row.terms)} >= ${row.rhs}`);
  lines.push('Bounds');
  for (const row of mip.startVariables) for (const s of row) lines.push(` 0 <= ${s} <= ${mip.bigM}`);
  lines.push(` 0 <= ${mip.makespanVariable} <= ${mip.bigM}`);
  lines.push('Binaries');
  // Long lines are legal, but a few names per line keeps the text readable when dumped.
  for (let i = 0; i < mip.binaries.length; i += 8) lines.push(` ${mip.binaries.slice(i, i + 8).join(' ')}`);
  lines.push('End');
  return lines.join('\n');
}

const SOLUTION_STATUSES = new Set(['Optimal', 'Time limit reached', 'Iteration limit reached', 'Bound on objective reached', 'Target for objective reached']);

export async function solveWithHighs(instance: JsspInstance, timeLimitMs: number): Promise<PeerOutcome> {
  const solver = await highs();
  const started = performance.now();
  const mip = buildDisjunctiveMip(instance);
  const elapsed = (): number => performance.now() - started;
  let result: ReturnType<Highs['solve']>;
  try {
    const remainingS = Math.max(0.01, (timeLimitMs - elapsed()) / 1000);
    result = solver.solve(toLpText(mip), { time_limit: remainingS, output_flag: false, mip_rel_gap: 0 });
  } catch (error) {
    return { peer: 'highs', makespan: null, provenOptimal: false, elapsedMs: elapsed(), status: 'error', rejected: String(error) };
  }
  const status = result.Status;
  const columns = result.Columns as Record<string, { Primal?: number } | undefined>;
  const hasValues = SOLUTION_STATUSES.has(status) && Object.values(columns).some((c) => typeof c?.Primal === 'number');
  if (!hasValues) return { peer: 'highs', makespan: null, provenOptimal: false, elapsedMs: elapsed(), status };
  const placements = decodeStarts(instance, mip, (v) => columns[v]?.Primal);
  const checked = placements ? checkJobShopSchedule(shapeOfJssp(instance.operations), placements) : { error: 'cyclic machine order' };
  const elapsedMs = elapsed();
  if ('error' in checked) return { peer: 'highs', makespan: null, provenOptimal: false, elapsedMs, status, rejected: checked.error };
  return { peer: 'highs', makespan: checked.makespan, provenOptimal: status === 'Optimal', elapsedMs, status };
}
