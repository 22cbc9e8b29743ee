/**
 * The shared benchmark data: instance files and their index with the optimum or best-known
 * bounds. Lives outside the repo (`../shared/benchdata` from the repo root); TAKT_BENCHDATA
 * points elsewhere.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type BenchKind = 'jssp' | 'fjsp';

export interface IndexEntry {
  readonly name: string;
  readonly jobs: number;
  readonly machines: number;
  readonly optimum?: number | null;
  readonly bounds?: { readonly lower: number; readonly upper: number };
  readonly path: string;
  readonly family?: string;
}

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

export function benchdataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TAKT_BENCHDATA ? resolve(env.TAKT_BENCHDATA) : resolve(repoRoot, '../shared/benchdata');
}

export function loadIndex(kind: BenchKind, dir = benchdataDir()): readonly IndexEntry[] {
  return JSON.parse(readFileSync(join(dir, kind, 'index.json'), 'utf8')) as IndexEntry[];
}

export function readInstanceText(kind: BenchKind, entry: IndexEntry, dir = benchdataDir()): string {
  return readFileSync(join(dir, kind, entry.path), 'utf8');
}

/** The value gaps are measured against: the optimum when proven, else the best known upper bound. */
export function bestKnown(entry: IndexEntry): number | null {
  return entry.optimum ?? entry.bounds?.upper ?? null;
}

export function gap(makespan: number, best: number): number {
  return (makespan - best) / best;
}
