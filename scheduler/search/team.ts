/**
 * Threads searching one plant together, step by step: every member holds the same state and
 * the same candidates (same seed, same moves); the step's candidates are handed out one at a
 * time to whichever member is free, each member gives up those that cannot beat the best any
 * member found so far, and the members exchange their best offers to take the same move. The
 * search is then the one-thread search, faster: the same schedule for a seed and an iteration
 * budget, whatever the team's size. The engine reads no clock and shares no memory itself:
 * the exchange is injected, like the clock (see sync/planning/search-team.ts).
 */
import type { ObjectiveVector } from '../objective.ts';

export interface TeamOffer {
  /** Index into the step's candidates of this member's best, or -1 when it has none. */
  readonly candidate: number;
  readonly value: ObjectiveVector | null;
  /** This member's budget is spent: the team stops after this step. */
  readonly outOfTime: boolean;
}

export interface SearchTeam {
  readonly member: number;
  readonly size: number;
  /**
   * Publishes this member's offer for the step and returns every member's, in member order, once
   * all have offered; null when the others did not come (the member then searches alone).
   */
  exchange(offer: TeamOffer): readonly TeamOffer[] | null;
  /** The index of the next candidate of this step to time, handed to one member only (at or past the count: none left). */
  next(): number;
  /** The lowest first objective term of an admissible candidate any member has timed in this step (Infinity: none yet). */
  stepBest(): number;
  /** Tells the team this member timed an admissible candidate with this first term. */
  timed(firstTerm: number): void;
}
