/**
 * When the tabu search asks for a proof, and how much it may spend: at iteration milestones that
 * double, with a node budget of a sixty-fourth of the iterations so far (deterministic under an
 * iteration budget) and, with a clock, at most a tenth of the time searched so far, so proofs
 * cost a bounded share of the search. Only for shops with integer times (where "below the best
 * makespan" means "at most one less") and small enough for a depth-first proof.
 */
import type { SearchBudget } from './budget.ts';
import type { JobShopData } from './job-shop-state.ts';
import { makespanFeasibility, type ProofOutcome } from './job-shop-proof.ts';

const MAX_OPERATIONS = 500;
const MIN_NODES = 1_000;
const NODES_PER_ITERATION = 1 / 64;
const TIME_SHARE = 0.1;

export class ProofSchedule {
  private nextAt: number;

  private constructor(private readonly data: JobShopData, firstAt: number) {
    this.nextAt = firstAt;
  }

  /** A schedule for this shop, or undefined when no proof is attempted for it. */
  static for(data: JobShopData, firstAt: number): ProofSchedule | undefined {
    if (data.duration.length > MAX_OPERATIONS) return undefined;
    const integral = (values: Float64Array) => values.every(Number.isInteger);
    if (!integral(data.duration) || !integral(data.release) || !integral(data.waitAfter)) return undefined;
    return new ProofSchedule(data, firstAt);
  }

  due(iteration: number): boolean {
    return iteration >= this.nextAt;
  }

  /** Whether a makespan of `bestMakespan - 1` is reachable, within this attempt's nodes and time. */
  attempt(iteration: number, bestMakespan: number, budget: SearchBudget): ProofOutcome {
    this.nextAt = 2 * Math.max(iteration, 1);
    const maxNodes = Math.max(MIN_NODES, Math.floor(iteration * NODES_PER_ITERATION));
    const startedAt = budget.elapsedMs();
    const until = startedAt * (1 + TIME_SHARE);
    const shouldStop = () => budget.outOfTime() || (startedAt > 0 && budget.elapsedMs() > until);
    return makespanFeasibility(this.data, bestMakespan - 1, { maxNodes, shouldStop });
  }
}
