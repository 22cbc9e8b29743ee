/**
 * Part (a): the classic job-shop instances, and the flexible ones (Brandimarte, Hurink), through
 * takt's own `solve`, at a fixed time limit, each schedule checked independently before its
 * makespan counts.
 */
import { fjspToPlantProblem, parseFjspInstance } from '../scheduler/fjsp.ts';
import { isParseError, jobShopPlacements, jsspToPlantProblem, parseJsspInstance, type JsspInstance } from '../scheduler/jssp.ts';
import type { PlantProblem } from '../scheduler/problem.ts';
import { bestKnown, gap, readInstanceText, type BenchKind, type IndexEntry } from './benchdata.ts';
import type { SolveFunction } from './engine.ts';
import { checkJobShopSchedule, shapeOfJssp, type JobShopShape } from './schedule-check.ts';

export interface ClassicRow {
  readonly name: string;
  readonly jobs: number;
  readonly machines: number;
  readonly best: number | null;
  readonly bestIsOptimal: boolean;
  /** Makespan of takt's checked schedule; null when the schedule was missing or invalid. */
  readonly makespan: number | null;
  readonly gap: number | null;
  readonly constructiveMakespan: number | null;
  readonly constructiveMs: number;
  readonly improvementMs: number;
  readonly iterations: number;
  /** The search proved its makespan optimal and stopped (absent in results from before the proof). */
  readonly provedOptimal?: boolean;
  /** When the engine reports it: ms from the start of the solve to its final best. */
  readonly timeToBestMs: number | null;
  readonly elapsedMs: number;
  readonly status: string;
  readonly error?: string;
}

export function loadJssp(entry: IndexEntry): JsspInstance {
  const parsed = parseJsspInstance(readInstanceText('jssp', entry));
  if (isParseError(parsed)) throw new Error(`${entry.path}:${parsed.line}: ${parsed.error}`);
  return parsed;
}

/** The instance as a plant problem, and the shape its schedule is checked against. */
function loadInstance(kind: BenchKind, entry: IndexEntry): { readonly problem: PlantProblem; readonly shape: JobShopShape } {
  if (kind === 'jssp') {
    const instance = loadJssp(entry);
    return { problem: jsspToPlantProblem(instance, entry.name), shape: shapeOfJssp(instance.operations) };
  }
  const parsed = parseFjspInstance(readInstanceText('fjsp', entry));
  if (isParseError(parsed)) throw new Error(`${entry.path}:${parsed.line}: ${parsed.error}`);
  return { problem: fjspToPlantProblem(parsed, entry.name), shape: parsed.operations };
}

export function solveClassic(solve: SolveFunction, entry: IndexEntry, timeLimitMs: number, seed = 1, kind: BenchKind = 'jssp'): ClassicRow {
  const { problem, shape } = loadInstance(kind, entry);
  // The constructive pass alone (no improvement budget), for the before/after comparison.
  const constructive = solve(problem, { now: problem.now!, seed, timeLimitMs: 0, clock: () => performance.now() });
  const started = performance.now();
  const result = solve(problem, { now: problem.now!, seed, timeLimitMs, clock: () => performance.now() });
  const elapsedMs = performance.now() - started;
  const best = bestKnown(entry);
  const base = {
    name: entry.name,
    jobs: entry.jobs,
    machines: entry.machines,
    best,
    bestIsOptimal: entry.optimum != null,
    constructiveMakespan: constructive.operations.length ? constructive.kpis.makespanMinutes : null,
    constructiveMs: result.stats.constructiveMs,
    improvementMs: result.stats.improvementMs,
    iterations: result.stats.iterations,
    provedOptimal: result.stats.provedOptimal,
    timeToBestMs: result.stats.timeToBestMs,
    elapsedMs,
    status: result.status,
  };
  const placements = jobShopPlacements(shape, result);
  const checked = 'error' in placements ? placements : checkJobShopSchedule(shape, placements);
  if ('error' in checked) return { ...base, makespan: null, gap: null, error: checked.error };
  if (checked.makespan !== result.kpis.makespanMinutes) {
    return { ...base, makespan: checked.makespan, gap: best ? gap(checked.makespan, best) : null, error: `engine reported makespan ${result.kpis.makespanMinutes}, schedule has ${checked.makespan}` };
  }
  // A proof that contradicts a better known schedule is a bug in the proof.
  if (result.stats.provedOptimal && best !== null && checked.makespan > best) {
    return { ...base, makespan: checked.makespan, gap: gap(checked.makespan, best), error: `claims ${checked.makespan} optimal, but ${best} is known` };
  }
  return { ...base, makespan: checked.makespan, gap: best ? gap(checked.makespan, best) : null };
}
