/** `takt solve PROBLEM.json [--time-limit S] [--seed N] [--out FILE]`: offline solve of a plant file. */
import { readFile, writeFile } from 'node:fs/promises';
import { solve } from '../../scheduler/solve.ts';
import type { PlantProblem } from '../../scheduler/problem.ts';
import type { SolveResult } from '../../scheduler/result.ts';
import { numberOption, parseArgs, stringOption, UsageError } from '../args.ts';
import { CommandError } from '../command-error.ts';
import { plantTimeFormatter } from '../plant-time.ts';
import { solveProgress } from '../solve-progress.ts';
import { usageOf } from '../usage.ts';


export async function solveCommand(argv: readonly string[], print: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, new Set(), new Set(['time-limit', 'seed', 'out', 'stop-without-improvement']));
  const file = args.positional[0];
  if (!file) throw new UsageError(usageOf('solve'));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CommandError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let problem: PlantProblem;
  try {
    problem = JSON.parse(text) as PlantProblem;
  } catch (error) {
    throw new CommandError(`${file} is not JSON: ${jsonErrorAt(text, (error as Error).message)}`);
  }
  const timeLimitMs = numberOption(args, 'time-limit', 2) * 1000;
  const progress = solveProgress(process.stderr, (objective) => `weighted tardiness ${formatMinutes(objective[0] ?? 0)}`);
  const result = solve(problem, {
    now: problem.now ?? new Date(),
    seed: numberOption(args, 'seed', 1),
    timeLimitMs,
    stopWithoutImprovementMs: numberOption(args, 'stop-without-improvement', 0) * 1000,
    clock: () => performance.now(),
    ...(progress.onImprove && { onImprove: progress.onImprove }),
  });
  progress.done();
  if (result.status === 'invalid') {
    // Nothing to schedule from: say why, write no schedule.
    const at = plantTimeFormatter(problem.plant?.timeZone);
    for (const p of result.problems) print(`  - ${describeProblem(p, at)}`);
    throw new CommandError(`${file} cannot be scheduled: ${result.problems.length} problem(s) in the data, listed above; no schedule written`, 2);
  }
  const out = stringOption(args, 'out') ?? file.replace(/\.json$/i, '') + '.schedule.json';
  await writeFile(out, JSON.stringify(result, null, 2) + '\n');
  for (const line of summarize(result, plantTimeFormatter(problem.plant.timeZone))) print(line);
  print(`schedule written to ${out}`);
  return 0;
}

/** A JSON.parse error with the line and column of its position (Node names only the offset). */
export function jsonErrorAt(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return message;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

/** The KPIs, problems and late orders in lines; `at` prints an instant (in the plant's zone). */
export function summarize(result: SolveResult, at: (iso: string) => string = (iso) => iso): string[] {
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
  const listed = result.problems.filter((x) => x.type !== 'late');
  for (const p of listed.slice(0, 10)) lines.push(`  - ${describeProblem(p, at)}`);
  if (listed.length > 10) lines.push(`  … and ${listed.length - 10} more in the schedule file`);
  const late = result.orders.filter((o) => (o.latenessMinutes ?? 0) > 0 && o.reasons.length > 0)
    .sort((a, b) => (b.latenessMinutes ?? 0) - (a.latenessMinutes ?? 0));
  if (late.length > 0) lines.push('late orders, most late first, with the constraint that binds them:');
  for (const order of late.slice(0, 5)) lines.push(`  - ${order.workOrder} ${formatMinutes(order.latenessMinutes ?? 0)} late: ${describeReason(order.reasons, at)}`);
  if (late.length > 5) lines.push(`  … and ${late.length - 5} more late orders in the schedule file`);
  return lines;
}

/** The link of the chain that held the order back longest (else the first that is not a predecessor), as the board picks it. */
function describeReason(reasons: SolveResult['orders'][number]['reasons'], at: (iso: string) => string): string {
  const waited = (r: (typeof reasons)[number]): number => ('waitMinutes' in r ? r.waitMinutes ?? 0 : 0);
  const longest = reasons.reduce<(typeof reasons)[number] | null>((best, r) => (waited(r) > (best === null ? 0 : waited(best)) ? r : best), null);
  const link = longest ?? reasons.find((r) => r.kind !== 'predecessor') ?? reasons[0]!;
  switch (link.kind) {
    case 'material': return `${link.operation} waits for ${link.item} from ${link.source} (${at(link.at)})${link.stockTakenBy?.length ? `; the stock before went to ${link.stockTakenBy.join(', ')}` : ''}`;
    case 'capacity': return `${link.operation} waits for ${link.workCenter} unit ${link.unit}, behind ${link.behind}`;
    case 'calendar': return `${link.operation} waits for working time on ${link.workCenter}`;
    case 'release': return `${link.operation} cannot start before the release (${at(link.at)})`;
    case 'fixed': return `${link.operation} is ${link.by} at ${at(link.at)}`;
    case 'predecessor': return `${link.operation} waits for ${link.after}`;
    default: return link.kind;
  }
}

function describeProblem(p: SolveResult['problems'][number], at: (iso: string) => string): string {
  switch (p.type) {
    case 'shortage': return `shortage: ${p.workOrder}/${p.operation} misses ${p.missingQuantity} of ${p.item}${p.earliestCoverAt ? ` (coverable from ${at(p.earliestCoverAt)} if it had priority)` : ' (no supply in the horizon)'}`;
    case 'hold': return `hold ${p.hold} keeps ${p.workOrder} from being scheduled${p.reason ? ` (${p.reason})` : ''}`;
    case 'invalid-data': return `invalid data at ${p.path}: ${p.message}`;
    case 'unknown-reference': return `unknown ${p.kind} "${p.key}" at ${p.path}`;
    case 'beyond-horizon': return `${p.workOrder}/${p.operation} does not fit on ${p.workCenter} within the horizon`;
    case 'pin-conflict': return `pin-conflict: ${p.workOrder}/${p.operation} ${p.message}`;
    case 'precedence-violated-by-fixed': return `${p.workOrder}/${p.operation} is fixed (started or frozen) before ${p.workOrder}/${p.after} can end`;
    case 'lot-expires': return `${p.workOrder}/${p.operation} cannot start before its lot ${p.lot} expires (${at(p.expiresAt)})`;
    case 'missing-operation-time': return `${p.workOrder}/${p.operation}: ${p.message}`;
    default: return JSON.stringify(p);
  }
}

function formatMinutes(minutes: number): string {
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 2880) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}
