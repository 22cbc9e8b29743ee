/**
 * When the search stops: an iteration budget (deterministic) and/or a time budget read only
 * through the injected clock, sampled every few iterations so the clock stays off the hot path.
 */
import type { SolveOptions } from '../result.ts';

export interface BudgetOptions {
  readonly timeLimitMs: number;
  readonly maxIterations?: number | undefined;
  readonly clock?: (() => number) | undefined;
  /** Stop once this many ms pass without an improvement (needs the clock; 0: never). */
  readonly stopWithoutImprovementMs?: number | undefined;
  readonly onImprove?: SolveOptions['onImprove'] | undefined;
}

const CLOCK_EVERY = 64;

export class SearchBudget {
  private readonly deadline: number;
  private readonly maxIterations: number;
  private readonly clock: (() => number) | undefined;
  private readonly startedAt: number;
  private readonly stallMs: number;
  private readonly onImprove: BudgetOptions['onImprove'];
  private timedOut = false;
  /** Milliseconds from the search's start to its last improvement (0 without a clock). */
  bestAtMs = 0;
  /** The iteration of the last improvement. */
  bestIteration = 0;

  constructor(options: BudgetOptions) {
    this.clock = options.timeLimitMs > 0 ? options.clock : undefined;
    this.startedAt = this.clock?.() ?? 0;
    this.deadline = this.clock ? this.startedAt + options.timeLimitMs : Infinity;
    const max = options.maxIterations ?? 0;
    this.maxIterations = max > 0 ? max : this.clock ? Infinity : 0;
    this.stallMs = this.clock && (options.stopWithoutImprovementMs ?? 0) > 0 ? options.stopWithoutImprovementMs! : Infinity;
    this.onImprove = options.onImprove;
  }

  /** Records that the best solution improved at this iteration (for time-to-best), to `objective`. */
  improved(iteration: number, objective: readonly number[]): void {
    this.bestIteration = iteration;
    if (this.clock) this.bestAtMs = this.clock() - this.startedAt;
    this.onImprove?.({ objective, elapsedMs: this.bestAtMs, iterations: iteration });
  }

  /** True once `iterations` reach the budget, the clock passes the deadline, or improvements stalled too long. */
  exhausted(iterations: number): boolean {
    if (iterations >= this.maxIterations || this.timedOut) return true;
    return iterations % CLOCK_EVERY === 0 && this.outOfTime();
  }

  /** Milliseconds since the search started (0 without a clock). */
  elapsedMs(): number {
    return this.clock ? this.clock() - this.startedAt : 0;
  }

  /** Reads the clock now (for work between iterations, such as a proof): past the deadline or the stall limit. */
  outOfTime(): boolean {
    if (this.clock && !this.timedOut) {
      const now = this.clock();
      if (now >= this.deadline || now - this.startedAt - this.bestAtMs >= this.stallMs) this.timedOut = true;
    }
    return this.timedOut;
  }
}
