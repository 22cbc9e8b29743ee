/**
 * Long solves on a terminal show the best schedule found so far, on one line of stderr
 * rewritten in place (at most ten times a second), cleared when the solve ends. Not on a pipe.
 */
import type { SolveOptions } from '../scheduler/result.ts';

export interface SolveProgress {
  readonly onImprove: NonNullable<SolveOptions['onImprove']> | undefined;
  /** Clears the line (call once the solve returned). */
  done(): void;
}

export function solveProgress(stream: NodeJS.WriteStream, describe: (objective: readonly number[]) => string): SolveProgress {
  if (!stream.isTTY) return { onImprove: undefined, done: () => undefined };
  let shownAt = -Infinity;
  let shown = false;
  return {
    onImprove: ({ objective, elapsedMs, iterations }) => {
      if (elapsedMs - shownAt < 100) return;
      shownAt = elapsedMs;
      shown = true;
      stream.write(`\r\x1b[2Kbest so far: ${describe(objective)} after ${(elapsedMs / 1000).toFixed(1)} s (${iterations} iterations)`);
    },
    done: () => { if (shown) stream.write('\r\x1b[2K'); },
  };
}
