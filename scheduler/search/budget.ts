/**
 * When the search stops: an iteration budget (deterministic) and/or a time budget read only
 * through the injected clock, sampled every few iterations so the clock stays off the hot path.
 */
export interface BudgetOptions {
  readonly timeLimitMs: number;
  readonly maxIterations?: number | undefined;
  readonly clock?: (() => number) | undefined;
}

const CLOCK_EVERY = 64;

export class SearchBudget {
  private readonly deadline: number;
  private readonly maxIterations: number;
  private readonly clock: (() => number) | undefined;
  private readonly startedAt: number;
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
  }

  /** Records that the best solution improved at this iteration (for time-to-best). */
  improved(iteration: number): void {
    this.bestIteration = iteration;
    if (this.clock) this.bestAtMs = this.clock() - this.startedAt;
  }

  /** True once `iterations` reach the budget or the clock passes the deadline. */
  exhausted(iterations: number): boolean {
    if (iterations >= this.maxIterations || this.timedOut) return true;
    if (this.clock && iterations % CLOCK_EVERY === 0 && this.clock() >= this.deadline) this.timedOut = true;
    return this.timedOut;
  }
}
