/**
 * Child process of the javascript-lp-solver peer: reads a LinearProgram as JSON on stdin,
 * solves it with the engine's wrapper, prints the answer as JSON. The parent kills it at the
 * time limit.
 */
import { solveLinearProgram, type LinearProgram } from '../../scheduler/materials/lp.ts';
import type { ChildAnswer } from './lp-solver-peer.ts';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk as string;
const solution = solveLinearProgram(JSON.parse(input) as LinearProgram);
const answer: ChildAnswer = solution.feasible
  ? { feasible: true, result: solution.result, variables: Object.fromEntries(solution.variables) }
  : solution;
process.stdout.write(JSON.stringify(answer));
