/** The threads part: the 10k plant at 10 s searched by one solver thread and by two together. */
import { runBenchChild } from './child-json.ts';
import type { ThreadsRow } from './threads-run.ts';
import { runLine, type RunPlace } from './report.ts';

/** Search seeds of the plan run: one trajectory is chaotic, three show the pattern. */
const SOLVE_SEEDS = [1, 11, 21];

export async function measureThreads(seed: number, log: (line: string) => void): Promise<readonly ThreadsRow[]> {
  const rows: ThreadsRow[] = [];
  for (const solveSeed of SOLVE_SEEDS) {
    for (const width of [1, 2]) {
      const row = await runBenchChild<ThreadsRow>('solver-bench/threads-run.ts', { ops: 10_000, limit: 10_000, width, seed, 'solve-seed': solveSeed });
      log(`threads ${width}, search seed ${solveSeed}: weighted tardiness ${row.tardiness} (constructive ${row.constructiveTardiness}), ${row.stepsPerSecond} steps/s, ${row.wallMs} ms`);
      rows.push(row);
    }
  }
  return rows;
}

export function renderThreadsSection(rows: readonly ThreadsRow[], meta: RunPlace): string {
  return [
    '## One plant on several solver threads',
    '',
    runLine(meta, 'generated plant (seed of the run)'),
    'The plan run as the service makes it with `TAKT_SOLVER_THREADS` threads, as a search team: each step\'s candidates are handed out to the threads one at a time, each gives up those that cannot beat the best any thread has found, and all take the same move (the one-thread search\'s, so the same schedule for a seed at an iteration budget, sooner).',
    '',
    '| operations | limit | search seed | threads | wall | search steps | steps/s | weighted tardiness | vs constructive |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.operations} | ${r.limitMs / 1000} s | ${r.solveSeed} | ${r.width} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.iterations} | ${r.stepsPerSecond} | ${r.tardiness} | ${(((r.tardiness - r.constructiveTardiness) / r.constructiveTardiness) * 100).toFixed(1)} % |`),
    '',
  ].join('\n');
}
