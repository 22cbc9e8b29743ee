/**
 * The reschedule part: what an event-driven re-plan achieves in the service's default budget
 * (2 s) after a breakdown on the busiest work center, the first plan as `previous`: weighted
 * tardiness against the first plan and the re-plan's constructive start, and how many
 * operations it moved. Each plant in its own process.
 */
import { runBenchChild } from './child-json.ts';
import type { RescheduleRow } from './reschedule-run.ts';
import { runLine, type RunPlace } from './report.ts';

export const RESCHEDULE_CASES: readonly { readonly ops: number; readonly first: number; readonly limit: number }[] = [
  { ops: 1_000, first: 5_000, limit: 2_000 },
  { ops: 10_000, first: 10_000, limit: 2_000 },
];

/**
 * The same cases on the engine before re-plans started from the previous schedule (commit
 * d80e044, 2026-12-03, this machine, seed 7): the baseline.
 */
export const RESCHEDULE_BASELINE: { readonly commit: string; readonly rows: readonly RescheduleRow[] } = {
  commit: 'd80e044',
  rows: [
    { operations: 1000, firstLimitMs: 5000, limitMs: 2000, firstTardiness: 502928, constructiveTardiness: 574076, rescheduleTardiness: 502987, operationsMoved: 424, iterations: 532 },
    { operations: 10002, firstLimitMs: 10000, limitMs: 2000, firstTardiness: 15269004, constructiveTardiness: 15735417, rescheduleTardiness: 15498048, operationsMoved: 1478, iterations: 18 },
  ],
};

export async function measureReschedule(seed: number, log: (line: string) => void): Promise<readonly RescheduleRow[]> {
  const rows: RescheduleRow[] = [];
  for (const c of RESCHEDULE_CASES) {
    const row = await runBenchChild<RescheduleRow>('solver-bench/reschedule-run.ts', { ops: c.ops, first: c.first, limit: c.limit, seed });
    log(`reschedule ${row.operations} ops: tardiness ${row.rescheduleTardiness} (first plan ${row.firstTardiness}), ${row.operationsMoved} operations moved`);
    rows.push(row);
  }
  return rows;
}

function tableOf(rows: readonly RescheduleRow[]): string[] {
  const vs = (a: number, b: number): string => (b === 0 ? '—' : `${(((a - b) / b) * 100).toFixed(1)} %`);
  return [
    '| operations | first plan | re-plan budget | weighted tardiness vs first plan | vs its constructive start | operations moved | search steps |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.operations} | ${r.firstLimitMs / 1000} s | ${r.limitMs / 1000} s | ${vs(r.rescheduleTardiness, r.firstTardiness)} | ${vs(r.rescheduleTardiness, r.constructiveTardiness)} | ${r.operationsMoved} | ${r.iterations} |`),
  ];
}

export function renderRescheduleSection(rows: readonly RescheduleRow[], meta: RunPlace): string {
  return [
    '## Re-plan after a breakdown',
    '',
    runLine(meta, 'one core; generated plants (seed of the run)'),
    'A first plan, then a breakdown on the busiest work center re-planned in the service\'s default budget with the first plan as `previous`.',
    '',
    ...tableOf(rows),
    '',
    `Baseline, before re-plans started from the previous schedule (commit ${RESCHEDULE_BASELINE.commit}, same machine and plants):`,
    '',
    ...tableOf(RESCHEDULE_BASELINE.rows),
    '',
  ].join('\n');
}
