/**
 * The budget part: does `solve` end on its time limit at every plant size (issue 11: within 2 %
 * or 50 ms), and what does the general search do in that time (steps per second, weighted
 * tardiness against the constructive schedule)? Each plant and limit in its own process.
 */
import type { BudgetRow } from './budget-run.ts';
import { runBenchChild } from './child-json.ts';
import { runLine, type RunPlace } from './report.ts';

export const BUDGET_CASES: readonly { readonly ops: number; readonly limitMs: number }[] = [
  { ops: 1_000, limitMs: 1_000 }, { ops: 1_000, limitMs: 10_000 },
  { ops: 10_000, limitMs: 1_000 }, { ops: 10_000, limitMs: 10_000 },
  { ops: 100_000, limitMs: 10_000 }, { ops: 100_000, limitMs: 30_000 },
];

export async function measureBudget(seed: number, log: (line: string) => void): Promise<readonly BudgetRow[]> {
  const rows: BudgetRow[] = [];
  for (const { ops, limitMs } of BUDGET_CASES) {
    const row = await runBenchChild<BudgetRow>('solver-bench/budget-run.ts', { ops, limit: limitMs, seed });
    log(`budget ${row.operations} ops, ${limitMs} ms: ${row.wallMs} ms, ${row.stepsPerSecond} steps/s, tardiness ×${row.tardinessRatio}`);
    rows.push(row);
  }
  return rows;
}

/**
 * The same cases measured on the engine before the limit covered the whole solve and the search
 * read the clock between candidates (commit 7100832, 2026-12-03, this machine, seed 7): kept as
 * the baseline the issue asks for.
 */
export const BASELINE: { readonly commit: string; readonly rows: readonly BudgetRow[] } = {
  commit: '7100832',
  rows: [
    { operations: 1000, limitMs: 1000, wallMs: 1090, constructiveMs: 25, iterations: 576, stepsPerSecond: 553.9, tardinessRatio: 0.893 },
    { operations: 1000, limitMs: 10000, wallMs: 10084, constructiveMs: 40, iterations: 6272, stepsPerSecond: 627, tardinessRatio: 0.875 },
    { operations: 10002, limitMs: 1000, wallMs: 6085, constructiveMs: 325, iterations: 64, stepsPerSecond: 11.3, tardinessRatio: 0.976 },
    { operations: 10002, limitMs: 10000, wallMs: 11531, constructiveMs: 325, iterations: 128, stepsPerSecond: 11.5, tardinessRatio: 0.972 },
    { operations: 100002, limitMs: 10000, wallMs: 152858, constructiveMs: 1397, iterations: 64, stepsPerSecond: 0.4, tardinessRatio: 0.999 },
    // Measured 2026-12-03 13:15 UTC, when this machine ran the engine about 1.6 times slower than for the rows above (the 10k plant at 10 s: 7.2 steps/s).
    { operations: 10002, limitMs: 300000, wallMs: 306743, constructiveMs: 513, iterations: 1024, stepsPerSecond: 3.3, tardinessRatio: 0.941, peakRssMb: 188 },
  ],
};

/** Within 2 % of the limit, or 50 ms, whichever is more. */
export const keptBudget = (row: BudgetRow): boolean => row.wallMs <= row.limitMs + Math.max(0.02 * row.limitMs, 50);

/**
 * The baseline engine's search replayed step for step: the engine at commit 01c94ff gives the
 * baseline's schedules at any iteration budget (the same 200 steps: 15,185,800 both, 39.9 s
 * against 4.8 s), here for the 3,450 steps the baseline takes in 300 s at its best speed on
 * this machine (11.5 steps/s).
 */
const BASELINE_REPLAYED = { commit: '01c94ff', steps: 3450, tardinessRatio: 0.919 };

/** The issue's target: the 10k plant at 10 s no worse than the baseline engine reached at 300 s. */
function againstLongBaseline(rows: readonly BudgetRow[]): string[] {
  const now = rows.find((r) => r.operations === 10002 && r.limitMs === 10_000);
  const then = BASELINE.rows.find((r) => r.operations === 10002 && r.limitMs === 300_000);
  if (now?.tardinessRatio == null || then?.tardinessRatio == null) return [];
  const met = now.tardinessRatio <= then.tardinessRatio;
  const metReplayed = now.tardinessRatio <= BASELINE_REPLAYED.tardinessRatio;
  return [
    `The 10k plant at 10 s: weighted tardiness ×${now.tardinessRatio} of the constructive schedule's, against ×${then.tardinessRatio} for the baseline engine at 300 s (${met ? 'no worse: met' : '**not met**'}).`,
    `Replayed for the ${BASELINE_REPLAYED.steps.toLocaleString('en-US')} steps it takes in 300 s at its best speed here (11.5 steps/s; commit ${BASELINE_REPLAYED.commit} gives its schedules step for step), the baseline reaches ×${BASELINE_REPLAYED.tardinessRatio} (${metReplayed ? 'no worse: met' : '**not met**'}).`,
    '',
  ];
}

function tableOf(rows: readonly BudgetRow[]): string[] {
  return [
    '| operations | limit | wall | kept | constructive | search steps/s | weighted tardiness vs constructive | peak RSS |',
    '| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.operations} | ${r.limitMs / 1000} s | ${(r.wallMs / 1000).toFixed(2)} s | ${keptBudget(r) ? 'yes' : '**no**'} | ${r.constructiveMs} ms | ${r.stepsPerSecond} | ${r.tardinessRatio === null ? '—' : `${((r.tardinessRatio - 1) * 100).toFixed(1)} %`} | ${r.peakRssMb === undefined ? '—' : `${r.peakRssMb} MB`} |`),
  ];
}

export function renderBudgetSection(rows: readonly BudgetRow[], meta: RunPlace): string {
  return [
    '## Time limit kept, and the general search at plant scale',
    '',
    runLine(meta, 'one core; generated plants (seed of the run)'),
    'Wall time of the whole `solve` (compile, constructive pass, search, result) against its limit: kept means within 2 % or 50 ms. Peak RSS: the process that generated the plant and ran that one solve.',
    '',
    ...tableOf(rows),
    '',
    ...againstLongBaseline(rows),
    `Baseline, the engine before the limit covered the whole solve and the search read the clock between candidates (commit ${BASELINE.commit}, same machine and plants; the 300 s row measured a few hours later, when this machine ran the engine about 1.6 times slower, so that row flatters the baseline rather than takt):`,
    '',
    ...tableOf(BASELINE.rows),
    '',
  ].join('\n');
}
