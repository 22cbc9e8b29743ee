/**
 * When the search stops: an iteration budget (deterministic) and/or a time budget read only
 * through the injected clock. The clock is sampled about every millisecond of search: every
 * iteration when iterations are slow (a large plant's), every few dozen when they take
 * microseconds (a job shop's), so that neither the clock nor an overshoot costs much.
 */
import type { SolveOptions } from '../result.ts';

export interface BudgetOptions {
  readonly timeLimitMs: number;
  /** The clock reading to stop at, when the budget started before the search (the whole solve's); default: the search's start plus `timeLimitMs`. */
  readonly deadlineAt?: number | undefined;
  readonly maxIterations?: number | undefined;
  readonly clock?: (() => number) | undefined;
  /** Stop once this many ms pass without an improvement (needs the clock; 0: never). */
  readonly stopWithoutImprovementMs?: number | undefined;
  readonly onImprove?: SolveOptions['onImprove'] | undefined;
}

/** At most this many iterations between clock readings, and about this long. */
const CLOCK_EVERY = 64;
const CLOCK_INTERVAL_MS = 1;

export class SearchBudget {
  private readonly deadline: number;
  private readonly maxIterations: number;
  private readonly clock: (() => number) | undefined;
  private readonly startedAt: number;
  private readonly stallMs: number;
  private readonly onImprove: BudgetOptions['onImprove'];
  private timedOut = false;
  private nextCheck = 0;
  /** Iterations between the last two readings: the next gap grows at most twice as long. */
  private checkEvery = 1;
  private lastCheck = { iteration: 0, at: 0 };
  /** Milliseconds from the search's start to its last improvement (0 without a clock). */
  bestAtMs = 0;
  /** The iteration of the last improvement. */
  bestIteration = 0;

  constructor(options: BudgetOptions) {
    this.clock = options.timeLimitMs > 0 ? options.clock : undefined;
    this.startedAt = this.clock?.() ?? 0;
    this.deadline = this.clock ? options.deadlineAt ?? this.startedAt + options.timeLimitMs : Infinity;
    this.lastCheck = { iteration: 0, at: this.startedAt };
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
    if (this.clock === undefined || iterations < this.nextCheck) return false;
    const at = this.clock();
    const perIteration = (at - this.lastCheck.at) / Math.max(1, iterations - this.lastCheck.iteration);
    this.lastCheck = { iteration: iterations, at };
    this.checkEvery = Math.max(1, Math.min(CLOCK_EVERY, 2 * this.checkEvery, Math.floor(CLOCK_INTERVAL_MS / Math.max(perIteration, 1e-6))));
    this.nextCheck = iterations + this.checkEvery;
    return this.outOfTime();
  }

  /** Whether `iterations` reach the iteration budget (the part of `exhausted` that reads no clock). */
  reachedIterations(iterations: number): boolean {
    return iterations >= this.maxIterations;
  }

  /** Milliseconds since the search started (0 without a clock). */
  elapsedMs(): number {
    return this.clock ? this.clock() - this.startedAt : 0;
  }

  /**
   * Reads the clock now (for work between iterations, such as a proof or a costly candidate):
   * past the deadline or the stall limit, or too close to the deadline for `nextStepMs` more.
   */
  outOfTime(nextStepMs = 0): boolean {
    if (this.clock && !this.timedOut) {
      const now = this.clock();
      if (now + nextStepMs >= this.deadline || now - this.startedAt - this.bestAtMs >= this.stallMs) this.timedOut = true;
    }
    return this.timedOut;
  }
}
