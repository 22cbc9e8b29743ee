/**
 * The body of a solver thread: answers each `SolveJob` with the engine's result, or with the
 * message of whatever the engine threw. Loaded by `solver-worker.mjs`, which registers tsx first.
 */
import { parentPort } from 'node:worker_threads';
import { solve } from '../../scheduler/solve.ts';
import type { SolveJob, SolverReply } from './solver-messages.ts';
import { toSolveOptions } from './solver-pool.ts';

const port = parentPort;
if (port === null) throw new Error('solver-worker runs only as a worker thread');

const reply = (message: SolverReply): void => port.postMessage(message);

port.on('message', (job: SolveJob) => {
  let answer: SolverReply;
  try {
    answer = { kind: 'solved', id: job.id, result: solve(job.problem, toSolveOptions(job.request)) };
  } catch (error) {
    answer = { kind: 'failed', id: job.id, message: error instanceof Error ? error.message : String(error) };
  }
  reply(answer);
});
reply({ kind: 'ready' });
