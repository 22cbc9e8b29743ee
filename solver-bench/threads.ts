/** The threads part: the 10k plant at 10 s searched by one solver thread and by two together. */
import { runBenchChild } from './child-json.ts';
import type { ThreadsRow } from './threads-run.ts';
import { runLine, type RunPlace } from './report.ts';

export async function measureThreads(seed: number, log: (line: string) => void): Promise<readonly ThreadsRow[]> {
  const rows: ThreadsRow[] = [];
  for (const width of [1, 2]) {
    const row = await runBenchChild<ThreadsRow>('solver-bench/threads-run.ts', { ops: 10_000, limit: 10_000, width, seed });
    log(`threads ${width}: weighted tardiness ${row.tardiness} (constructive ${row.constructiveTardiness}), ${row.wallMs} ms`);
    rows.push(row);
  }
  return rows;
}

export function renderThreadsSection(rows: readonly ThreadsRow[], meta: RunPlace): string {
  return [
    '## One plant on several solver threads',
    '',
    runLine(meta, 'generated plant (seed of the run)'),
    'The plan run as the service makes it with `TAKT_SOLVER_THREADS` threads: each searches with its own seed, the best schedule is kept.',
    '',
    '| operations | limit | threads | wall | weighted tardiness | vs constructive |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.operations} | ${r.limitMs / 1000} s | ${r.width} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.tardiness} | ${(((r.tardiness - r.constructiveTardiness) / r.constructiveTardiness) * 100).toFixed(1)} % |`),
    '',
  ].join('\n');
}
