/**
 * Tabu search for any plant: calendars, alternates and parallel units, material, fixed work,
 * due dates. Each step takes a critical path (see critical-path.ts), proposes N7-style moves
 * inside its blocks and moves of its operations to another unit or mode, scores each by
 * re-timing what the move reaches (decode-change.ts: given up once it cannot beat the best
 * candidate so far) and the lexicographic objective, and takes the best that is not tabu (or
 * beats the best), re-timing again only what that move reaches. When the best stalls, it
 * restarts from the best with a few random moves. A team of threads (team.ts) shares out each
 * step's candidates and takes the same move.
 */
import { clonePlacement, type Placement } from '../dispatch/placement.ts';
import { isBetter, type ObjectiveVector } from '../objective.ts';
import { ObjectiveDelta } from './objective-delta.ts';
import type { SearchBudget } from './budget.ts';
import type { SearchContext } from './context.ts';
import { criticalPath, pickTarget } from './critical-path.ts';
import { Decoder } from './decode.ts';
import { ChangeDecoder } from './decode-change.ts';
import type { SearchRandom } from './prng.ts';
import type { SequenceMove, SequenceState } from './sequences.ts';
import type { SearchTeam } from './team.ts';

const MAX_CANDIDATES = 32;
/** Steps without a new best before restarting from it, on a plant of 1,000 movable operations; fewer on larger ones (slower steps, and descents that end sooner). */
const STALL_LIMIT = 150;
const MAX_IDLE = 50;

export function searchGeneral(ctx: SearchContext, initial: SequenceState, budget: SearchBudget, random: SearchRandom, options: { readonly team?: SearchTeam | undefined } = {}): { state: SequenceState; iterations: number } {
  const { model } = ctx;
  const decoder = new Decoder(ctx);
  const changes = new ChangeDecoder(ctx, decoder);
  const state = initial.clone();
  const current = clonePlacement(ctx.base);
  const fullDecodeStartedAt = budget.elapsedMs();
  if (!decoder.decode(state, current)) return { state: initial, iterations: 0 };
  /** A full decode's time: one follows a chosen move, and one the search. */
  const fullDecodeMs = budget.elapsedMs() - fullDecodeStartedAt;
  // Candidates are scored against the current schedule's terms, summed again only where they differ.
  const objective = new ObjectiveDelta(model);
  let currentValue = objective.reset(current);
  const best = state.clone();
  let bestValue = currentValue;
  const tabu = new TabuList(model.operations.length, model.resources.length);
  const tenure = 5 + Math.min(15, Math.round(Math.sqrt(ctx.movable.length)));
  const stallLimit = Math.max(10, Math.min(STALL_LIMIT, Math.round(STALL_LIMIT * Math.sqrt(1000 / ctx.movable.length))));

  let iteration = 0;
  let stall = 0;
  let idle = 0;
  /** How long the last candidate's decode took (by the budget's clock; 0 without one). */
  let decodeMs = 0;
  /** What must fit before the deadline after a candidate starts: it, the chosen move taken (at most a full decode), the final decode. */
  const room = (): number => decodeMs + 2 * fullDecodeMs;
  /**
   * Scores candidates into `offer`, the best kept (the first among equals): those `pick` hands
   * out until it returns an index past the last; true when time ran out. With a team, a
   * candidate is given up as soon as it cannot beat the best any member has found this step.
   */
  const score = (moves: readonly SequenceMove[], offer: StepOffer, pick: () => number, team: SearchTeam | null): boolean => {
    for (let i = pick(); i < moves.length; i = pick()) {
      // A large plant's decode takes milliseconds: the deadline is kept between candidates too,
      // with room for the decodes that follow.
      if (budget.outOfTime(room())) return true;
      const move = moves[i]!;
      const applied = state.apply(move);
      const decodeStartedAt = budget.elapsedMs();
      const teamBest = team === null ? Infinity : team.stepBest();
      const limit = offer.value !== null && offer.value[0]! <= teamBest ? offer.value : teamBest < Infinity ? [teamBest] : null;
      // A candidate that cannot beat the best so far is given up once it can only get worse.
      const feasible = changes.tryMove(state, applied, current, limit === null ? undefined : objective.boundBelow(limit));
      decodeMs = budget.elapsedMs() - decodeStartedAt;
      state.undo(applied);
      if (!feasible) continue;
      const changed = changes.changed();
      const value = objective.valueWith(changes.candidate, changed.ops, changed.count);
      if (tabu.isTabu(state, move, iteration) && !isBetter(value, bestValue)) continue;
      team?.timed(value[0]!);
      takeIfBetter(offer, i, value);
    }
    return budget.outOfTime(room());
  };
  let team = options.team ?? null;
  let teamStops = false;
  for (;;) {
    const spent = budget.exhausted(iteration);
    // A team stops together: on the shared iteration budget, or after the step in which one member's time ran out.
    if (team === null ? spent : teamStops || budget.reachedIterations(iteration)) break;
    iteration++;
    const moves = candidateMoves(ctx, decoder, state, current, random);
    if (moves.length === 0) {
      if (++idle > MAX_IDLE) break;
      continue;
    }
    idle = 0;
    const offer: StepOffer = { candidate: -1, value: null };
    let outOfTime = spent;
    const scored: number[] = [];
    if (!outOfTime && team === null) {
      let next = 0;
      outOfTime = score(moves, offer, () => next++, null);
    } else if (!outOfTime && team !== null) {
      const handing = team;
      outOfTime = score(moves, offer, () => { const i = handing.next(); scored.push(i); return i; }, team);
    }
    if (team !== null) {
      const offers = team.exchange({ ...offer, outOfTime });
      if (offers === null) {
        // The others did not come: this step's candidates they may have had, and every later step, alone.
        const mine = new Set(scored);
        let next = 0;
        const others = (): number => { while (mine.has(next)) next++; return next++; };
        if (!outOfTime) outOfTime = score(moves, offer, others, null);
        team = null;
      } else {
        for (const other of offers) if (other.value !== null) takeIfBetter(offer, other.candidate, other.value);
        teamStops = offers.some((o) => o.outOfTime);
        if (teamStops) break;
      }
    }
    if (team === null && outOfTime) break;
    if (offer.value === null) {
      stall++;
      continue;
    }
    const chosen = moves[offer.candidate]!;
    tabu.record(state, chosen, iteration + tenure + random.below(tenure));
    if (!changes.commit(state, state.apply(chosen), current)) decoder.decode(state, current);
    currentValue = objective.reset(current);
    if (isBetter(currentValue, bestValue)) {
      bestValue = currentValue;
      best.copyFrom(state);
      budget.improved(iteration, bestValue);
      stall = 0;
    } else if (++stall > stallLimit) {
      state.copyFrom(best);
      kick(ctx, decoder, state, current, random);
      currentValue = objective.reset(current);
      tabu.clear();
      stall = 0;
    }
  }
  return { state: best, iterations: iteration };
}

/** A step's best candidate so far: the better objective, the lower index among equals (the one a single thread meets first). */
interface StepOffer {
  candidate: number;
  value: ObjectiveVector | null;
}

function takeIfBetter(offer: StepOffer, candidate: number, value: ObjectiveVector): void {
  if (offer.value === null || isBetter(value, offer.value) || (!isBetter(offer.value, value) && candidate < offer.candidate)) {
    offer.candidate = candidate;
    offer.value = value;
  }
}

/** Block moves on a critical path and reassignments of its operations, shuffled and capped. */
function candidateMoves(ctx: SearchContext, decoder: Decoder, state: SequenceState, current: Placement, random: SearchRandom): SequenceMove[] {
  const target = pickTarget(ctx, current, random);
  if (target < 0) return [];
  const path = criticalPath(ctx, decoder, target);
  const moves: SequenceMove[] = [];
  for (const block of path.blocks) {
    const r = state.resource[block[0]!]!;
    const first = state.sequences[r]!.indexOf(block[0]!);
    const k = block.length;
    const move = (op: number, toIndex: number): void => {
      moves.push({ op, toResource: r, toMode: state.mode[op]!, toIndex });
    };
    for (let j = 1; j < k; j++) move(block[0]!, first + j);
    for (let j = 0; j < k - 1; j++) if (!(k === 2 && j === 0)) move(block[k - 1]!, first + j);
    for (let j = 1; j < k - 1; j++) {
      move(block[j]!, first);
      move(block[j]!, first + k - 1);
    }
  }
  for (const op of path.ops) {
    const options = ctx.options[op]!;
    if (options.length < 2) continue;
    for (const { resource, mode } of options) {
      if (resource === state.resource[op] && mode === state.mode[op]) continue;
      if (resource === state.resource[op]) {
        moves.push({ op, toResource: resource, toMode: mode, toIndex: state.indexOf(op) });
        continue;
      }
      // Into the other unit's sequence where the operation now starts.
      const seq = state.sequences[resource]!;
      let index = 0;
      while (index < seq.length && current.start[seq[index]!]! < current.start[op]!) index++;
      moves.push({ op, toResource: resource, toMode: mode, toIndex: index });
    }
  }
  for (let i = moves.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [moves[i], moves[j]] = [moves[j]!, moves[i]!];
  }
  if (moves.length > MAX_CANDIDATES) moves.length = MAX_CANDIDATES;
  return moves;
}

/** A few random feasible critical moves away from the best, to leave its basin. */
function kick(ctx: SearchContext, decoder: Decoder, state: SequenceState, current: Placement, random: SearchRandom): void {
  decoder.decode(state, current);
  const kicks = 1 + random.below(3);
  for (let k = 0; k < kicks; k++) {
    const moves = candidateMoves(ctx, decoder, state, current, random);
    if (moves.length === 0) break;
    const applied = state.apply(moves[random.below(moves.length)]!);
    if (!decoder.decode(state, current)) {
      state.undo(applied);
      decoder.decode(state, current);
    }
  }
}

/** Precedences a move reverses and units an operation left, forbidden for a while. */
class TabuList {
  private readonly arcs = new Map<number, number>();
  private readonly units = new Map<number, number>();

  constructor(private readonly operations: number, private readonly resources: number) {}

  clear(): void {
    this.arcs.clear();
    this.units.clear();
  }

  isTabu(state: SequenceState, move: SequenceMove, iteration: number): boolean {
    const { op } = move;
    if (move.toResource !== state.resource[op]) return (this.units.get(op * this.resources + move.toResource) ?? 0) > iteration;
    const seq = state.sequences[move.toResource]!;
    const from = seq.indexOf(op);
    if (move.toIndex > from) {
      for (let i = from + 1; i <= move.toIndex; i++) if ((this.arcs.get(seq[i]! * this.operations + op) ?? 0) > iteration) return true;
    } else {
      for (let i = move.toIndex; i < from; i++) if ((this.arcs.get(op * this.operations + seq[i]!) ?? 0) > iteration) return true;
    }
    return false;
  }

  /** Call before applying the move. */
  record(state: SequenceState, move: SequenceMove, until: number): void {
    const { op } = move;
    const r = state.resource[op]!;
    if (move.toResource !== r) {
      this.units.set(op * this.resources + r, until);
      return;
    }
    const seq = state.sequences[r]!;
    const from = seq.indexOf(op);
    if (move.toIndex > from) {
      for (let i = from + 1; i <= move.toIndex; i++) this.arcs.set(op * this.operations + seq[i]!, until);
    } else {
      for (let i = move.toIndex; i < from; i++) this.arcs.set(seq[i]! * this.operations + op, until);
    }
  }
}
