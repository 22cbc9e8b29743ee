/**
 * Flexible job-shop instances (Brandimarte `.fjs` format, also used by the Hurink sets): every
 * operation may run on one of several machines, each with its own duration. They become plant
 * problems whose operations carry one mode per alternative machine.
 *
 * Format: first line `jobs machines [average_alternatives]`; then one line per job: the number
 * of operations, then per operation the number k of alternatives followed by k `machine
 * duration` pairs. Machines are numbered from 1 in the file; here they are 0-based, like JSSP.
 */
import type { PlantProblem } from './problem.ts';
import { dataLines, jobShopOrders, jobShopProblem, parseNonNegativeInt, type ParseError } from './jssp.ts';

export interface FjspMode {
  /** 0-based machine index (the file's number minus one). */
  readonly machine: number;
  readonly duration: number;
}

export interface FjspInstance {
  readonly jobs: number;
  readonly machines: number;
  /** operations[j][k]: the alternatives of job j's k-th operation. */
  readonly operations: readonly (readonly (readonly FjspMode[])[])[];
}

export function parseFjspInstance(text: string): FjspInstance | ParseError {
  const lines = dataLines(text);
  const header = lines[0];
  if (!header) return { error: 'empty instance: expected a `jobs machines` line', line: 1 };
  const jobs = parseNonNegativeInt(header.tokens[0]);
  const machines = parseNonNegativeInt(header.tokens[1]);
  if (jobs === null || machines === null || jobs < 1 || machines < 1 || header.tokens.length > 3) {
    return { error: `expected "jobs machines [average]", got "${header.tokens.join(' ')}"`, line: header.line };
  }
  if (lines.length - 1 !== jobs) {
    const at = lines.length - 1 < jobs ? (lines[lines.length - 1]?.line ?? header.line) + 1 : lines[jobs + 1]!.line;
    return { error: `expected ${jobs} job lines, found ${lines.length - 1}`, line: at };
  }

  const operations: FjspMode[][][] = [];
  for (let j = 0; j < jobs; j++) {
    const { line, tokens } = lines[j + 1]!;
    let cursor = 0;
    const next = (): number | null => parseNonNegativeInt(tokens[cursor++]);
    const count = next();
    if (count === null || count < 1) return { error: `job ${j}: expected the number of operations first`, line };
    const ops: FjspMode[][] = [];
    for (let k = 0; k < count; k++) {
      const alternatives = next();
      if (alternatives === null || alternatives < 1) {
        return { error: `job ${j}, operation ${k}: expected the number of alternative machines`, line };
      }
      const modes: FjspMode[] = [];
      for (let a = 0; a < alternatives; a++) {
        const machine = next();
        const duration = next();
        if (machine === null || duration === null) {
          return { error: `job ${j}, operation ${k}: expected ${alternatives} "machine duration" pairs`, line };
        }
        if (machine < 1 || machine > machines) {
          return { error: `job ${j}, operation ${k}: machine ${machine} is out of range 1..${machines}`, line };
        }
        modes.push({ machine: machine - 1, duration });
      }
      ops.push(modes);
    }
    if (cursor !== tokens.length) return { error: `job ${j}: ${tokens.length - cursor} numbers after the last operation`, line };
    operations.push(ops);
  }
  return { jobs, machines, operations };
}

/** Horizon bound: every operation on its slowest machine, all in sequence. */
function slowestTotal(instance: FjspInstance): number {
  let sum = 0;
  for (const job of instance.operations) for (const modes of job) sum += Math.max(...modes.map((m) => m.duration));
  return sum;
}

export function fjspToPlantProblem(instance: FjspInstance, name: string): PlantProblem {
  return jobShopProblem(name, instance.machines, slowestTotal(instance), jobShopOrders(instance.operations));
}
