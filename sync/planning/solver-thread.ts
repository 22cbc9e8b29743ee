/**
 * A `SolverPool` on `node:worker_threads`: solves run off the event loop, so the HTTP requests and
 * queue jobs of the same process keep moving during a long reschedule. Threads are started up
 * front and reused (loading tsx and the engine costs a few hundred ms); each runs one solve at a
 * time and further solves wait in order. A thread that dies takes only its own solve with it
 * (rejected with the reason) and is replaced.
 */
import { Worker } from 'node:worker_threads';
import type { PlantProblem } from '../../scheduler/problem.ts';
import type { SolveResult } from '../../scheduler/result.ts';
import type { SolveJob, SolverReply } from './solver-messages.ts';
import { SolverBusyError, type SolveRequest, type SolverPool } from './solver-pool.ts';

export interface SolverThreadsOptions {
  /** Number of threads, each running one solve at a time (default 1). */
  readonly size?: number;
  /** Solves that may wait for a thread (default: any number); one more is refused with `SolverBusyError`. */
  readonly maxWaiting?: number;
  /** The thread's entry module (default `solver-worker.mjs`); tests substitute one that misbehaves. */
  readonly entry?: URL;
}

export interface SolverThreads extends SolverPool {
  /** Threads currently alive (diagnostics and tests). */
  liveThreads(): number;
}

export const SOLVER_WORKER_ENTRY = new URL('./solver-worker.mjs', import.meta.url);

interface PendingSolve {
  readonly job: SolveJob;
  readonly resolve: (result: SolveResult) => void;
  readonly reject: (error: Error) => void;
}

interface SolverThread {
  readonly worker: Worker;
  running: PendingSolve | null;
  /** It loaded the engine: when such a thread dies it is replaced at once (one that cannot load would only loop). */
  ready: boolean;
}

export function startSolverThreads(options: SolverThreadsOptions = {}): SolverThreads {
  const size = Math.max(1, Math.floor(options.size ?? 1));
  const entry = options.entry ?? SOLVER_WORKER_ENTRY;
  const threads = new Set<SolverThread>();
  const waiting: PendingSolve[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): SolverThread {
    const thread: SolverThread = { worker: new Worker(entry), running: null, ready: false };
    // An idle pool never keeps the process alive on its own; a running solve does.
    thread.worker.unref();
    thread.worker.on('message', (reply: SolverReply) => {
      if (reply.kind === 'ready') {
        thread.ready = true;
        return;
      }
      const pending = thread.running;
      if (pending === null || pending.job.id !== reply.id) return;
      finish(thread);
      if (reply.kind === 'solved') pending.resolve(reply.result);
      else pending.reject(new Error(reply.message));
      dispatch();
    });
    // An uncaught error ends the thread ('exit' follows): its solve gets the error's message and
    // no further solve is handed to it.
    thread.worker.on('error', (error: unknown) => {
      threads.delete(thread);
      fail(thread, new Error(`solver thread failed: ${error instanceof Error ? error.message : String(error)}`));
    });
    thread.worker.on('exit', (code) => {
      threads.delete(thread);
      fail(thread, new Error(closed ? 'solver pool closed' : `solver thread exited with code ${code}`));
      if (closed) return;
      if (thread.ready && threads.size < size) spawn();
      dispatch();
    });
    threads.add(thread);
    return thread;
  }

  function finish(thread: SolverThread): void {
    thread.running = null;
    thread.worker.unref();
  }

  function fail(thread: SolverThread, error: Error): void {
    const pending = thread.running;
    if (pending === null) return;
    finish(thread);
    pending.reject(error);
  }

  function dispatch(): void {
    while (!closed && waiting.length > 0) {
      const thread = [...threads].find((t) => t.running === null) ?? (threads.size < size ? spawn() : undefined);
      if (thread === undefined) return;
      const pending = waiting.shift()!;
      thread.running = pending;
      thread.worker.ref();
      try {
        thread.worker.postMessage(pending.job);
      } catch (error) {
        // Not cloneable (a problem with functions or symbols): the caller's mistake, the thread is fine.
        finish(thread);
        pending.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  for (let i = 0; i < size; i++) spawn();

  return {
    solve(problem: PlantProblem, request: SolveRequest): Promise<SolveResult> {
      if (closed) return Promise.reject(new Error('solver pool closed'));
      const idle = [...threads].some((t) => t.running === null) || threads.size < size;
      if (!idle && waiting.length >= (options.maxWaiting ?? Infinity)) return Promise.reject(new SolverBusyError());
      return new Promise((resolve, reject) => {
        waiting.push({ job: { id: nextId++, problem, request }, resolve, reject });
        dispatch();
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const pending of waiting.splice(0)) pending.reject(new Error('solver pool closed'));
      await Promise.all([...threads].map((thread) => thread.worker.terminate()));
      threads.clear();
    },

    liveThreads: () => threads.size,
  };
}
