/** `takt jssp FILE [--time-limit S] [--seed N] [--json]`: a classic job shop through the same engine. */
import { readFile } from 'node:fs/promises';
import { isParseError, jobShopPlacements, jsspToPlantProblem, parseJsspInstance } from '../../scheduler/jssp.ts';
import { solve } from '../../scheduler/solve.ts';
import { numberOption, parseArgs, UsageError } from '../args.ts';
import { solveProgress } from '../solve-progress.ts';
import { usageOf } from '../usage.ts';


export async function jsspCommand(argv: readonly string[], print: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, new Set(['json']), new Set(['time-limit', 'seed', 'stop-without-improvement']));
  const file = args.positional[0];
  if (!file) throw new UsageError(usageOf('jssp'));
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new UsageError(`cannot read ${file}: ${error.message}`);
  });
  const instance = parseJsspInstance(text);
  if (isParseError(instance)) throw new UsageError(`${file}:${instance.line}: ${instance.error}`);
  const problem = jsspToPlantProblem(instance, file);
  const progress = solveProgress(process.stderr, (objective) => `makespan ${objective[0]}`);
  const result = solve(problem, {
    now: problem.now!,
    seed: numberOption(args, 'seed', 1),
    timeLimitMs: numberOption(args, 'time-limit', 10) * 1000,
    stopWithoutImprovementMs: numberOption(args, 'stop-without-improvement', 0) * 1000,
    clock: () => performance.now(),
    ...(progress.onImprove && { onImprove: progress.onImprove }),
  });
  progress.done();
  const placements = jobShopPlacements(instance.operations, result);
  if ('error' in placements) {
    print(`no complete schedule: ${placements.error}`);
    return 1;
  }
  const makespan = result.kpis.makespanMinutes;
  if (args.options.has('json')) {
    print(JSON.stringify({ makespan, provedOptimal: result.stats.provedOptimal, starts: placements.map((row) => row.map((p) => p.start)) }));
  } else {
    print(`${file}: ${instance.jobs} jobs × ${instance.machines} machines, makespan ${makespan}${result.stats.provedOptimal ? ' (proved optimal)' : ''}`);
    print(`constructive ${result.stats.constructiveMs.toFixed(0)} ms (makespan ${result.stats.initialObjective[0]}), improvement ${result.stats.improvementMs.toFixed(0)} ms, ${result.stats.iterations} iterations`);
  }
  return 0;
}
