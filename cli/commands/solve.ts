/** `takt solve PROBLEM.json [--time-limit S] [--seed N] [--out FILE]`: offline solve of a plant file. */
import { readFile, writeFile } from 'node:fs/promises';
import { solve } from '../../scheduler/solve.ts';
import type { PlantProblem } from '../../scheduler/problem.ts';
import type { SolveResult } from '../../scheduler/result.ts';
import { numberOption, parseArgs, stringOption, UsageError } from '../args.ts';

export async function solveCommand(argv: readonly string[], print: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, new Set(), new Set(['time-limit', 'seed', 'out']));
  const file = args.positional[0];
  if (!file) throw new UsageError('usage: takt solve PROBLEM.json [--time-limit S] [--seed N] [--out FILE]');
  let problem: PlantProblem;
  try {
    problem = JSON.parse(await readFile(file, 'utf8')) as PlantProblem;
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const timeLimitMs = numberOption(args, 'time-limit', 2) * 1000;
  const result = solve(problem, {
    now: problem.now ?? new Date(),
    seed: numberOption(args, 'seed', 1),
    timeLimitMs,
    clock: () => performance.now(),
  });
  const out = stringOption(args, 'out') ?? file.replace(/\.json$/i, '') + '.schedule.json';
  await writeFile(out, JSON.stringify(result, null, 2) + '\n');
  for (const line of summarize(result)) print(line);
  print(`schedule written to ${out}`);
  return result.status === 'invalid' ? 2 : 0;
}

export function summarize(result: SolveResult): string[] {
  const k = result.kpis;
  const lines = [
    `status                 ${result.status}`,
    `orders                 ${k.scheduledOrders}/${k.orders} scheduled, ${k.lateOrders} late (on-time ${(k.onTimeRate * 100).toFixed(1)}%)`,
    `weighted tardiness     ${formatMinutes(k.totalWeightedTardinessMinutes)}`,
    `makespan               ${formatMinutes(k.makespanMinutes)}`,
    `setup                  ${formatMinutes(k.totalSetupMinutes)}`,
    `operations             ${result.operations.length} placed, ${k.operationsMoved} moved since the previous schedule`,
    `solver                 constructive ${result.stats.constructiveMs.toFixed(0)} ms, improvement ${result.stats.improvementMs.toFixed(0)} ms, ${result.stats.iterations} iterations`,
    `utilisation            ${k.utilisation.map((u) => `${u.workCenter} ${(u.utilisation * 100).toFixed(0)}%`).join(', ')}`,
  ];
  const byType = new Map<string, number>();
  for (const p of result.problems) byType.set(p.type, (byType.get(p.type) ?? 0) + 1);
  if (byType.size > 0) lines.push(`problems               ${[...byType].map(([t, n]) => `${n} ${t}`).join(', ')}`);
  for (const p of result.problems.filter((x) => x.type !== 'late').slice(0, 10)) lines.push(`  - ${describeProblem(p)}`);
  const late = result.orders.filter((o) => (o.latenessMinutes ?? 0) > 0 && o.reasons.length > 0)
    .sort((a, b) => (b.latenessMinutes ?? 0) - (a.latenessMinutes ?? 0));
  if (late.length > 0) lines.push('late orders, most late first, with the constraint that binds them:');
  for (const order of late.slice(0, 5)) lines.push(`  - ${order.workOrder} ${formatMinutes(order.latenessMinutes ?? 0)} late: ${describeReason(order.reasons)}`);
  return lines;
}

/** The link of the chain that explains most: material, capacity, calendar or release before predecessors. */
function describeReason(reasons: SolveResult['orders'][number]['reasons']): string {
  const link = reasons.find((r) => r.kind !== 'predecessor') ?? reasons[0]!;
  switch (link.kind) {
    case 'material': return `${link.operation} waits for ${link.item} from ${link.source} (${link.at})`;
    case 'capacity': return `${link.operation} waits for ${link.workCenter} unit ${link.unit}, behind ${link.behind}`;
    case 'calendar': return `${link.operation} waits for working time on ${link.workCenter}`;
    case 'release': return `${link.operation} cannot start before the release (${link.at})`;
    case 'fixed': return `${link.operation} is ${link.by} at ${link.at}`;
    case 'predecessor': return `${link.operation} waits for ${link.after}`;
    default: return link.kind;
  }
}

function describeProblem(p: SolveResult['problems'][number]): string {
  switch (p.type) {
    case 'shortage': return `shortage: ${p.workOrder}/${p.operation} misses ${p.missingQuantity} of ${p.item}${p.earliestCoverAt ? ` (coverable from ${p.earliestCoverAt} if it had priority)` : ' (no supply in the horizon)'}`;
    case 'hold': return `hold ${p.hold} keeps ${p.workOrder} from being scheduled${p.reason ? ` (${p.reason})` : ''}`;
    case 'invalid-data': return `invalid data at ${p.path}: ${p.message}`;
    case 'unknown-reference': return `unknown ${p.kind} "${p.key}" at ${p.path}`;
    case 'beyond-horizon': return `${p.workOrder}/${p.operation} does not fit on ${p.workCenter} within the horizon`;
    default: return JSON.stringify(p);
  }
}

function formatMinutes(minutes: number): string {
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 2880) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}
