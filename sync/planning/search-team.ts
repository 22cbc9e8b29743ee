/**
 * The exchange of a search team (scheduler/search/team.ts) between solver threads, in shared
 * memory. Per step, a counter hands out the candidates and a word holds the best first term
 * found; each member writes its offer into its own slot, then waits on Atomics until every
 * member has offered for the step. All of it comes in two sets, by the step's parity: a member
 * done with a step cannot touch what another still uses, as it cannot pass the next step before
 * that one arrives (and each member clears the next step's set before it arrives). A member that waits too long gives the team up (the others
 * see it at their next exchange) and every member searches on alone.
 */
import type { SearchTeam, TeamOffer } from '../../scheduler/search/team.ts';

/** Where a member sits: the team's shared memory (from `teamBuffer`), its index and the team's size. */
export interface TeamSeat {
  readonly buffer: SharedArrayBuffer;
  readonly member: number;
  readonly size: number;
  /** How long a member waits for the others at the first exchange (they may still be compiling, or queued behind another solve) and at later ones. */
  readonly firstWaitMs?: number;
  readonly waitMs?: number;
}

/** Objective terms at most (weighted tardiness, makespan and flow, moved operations, setup). */
const TERMS = 4;
const SLOT = 3 + TERMS;
const BELL = 0;
const DEPARTED = 1;
const NEXT = 2;
const ARRIVED = 4;
/** In the float part, before the slots: the best first term, per parity. */
const BEST = 0;
const SLOTS = 2;
const FIRST_WAIT_MS = 10 * 60_000;
const WAIT_MS = 10_000;

export function teamBuffer(size: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(controlBytes(size) + 8 * (SLOTS + 2 * size * SLOT));
  new Float64Array(buffer, controlBytes(size), SLOTS).fill(Infinity);
  return buffer;
}

export function joinTeam(seat: TeamSeat): SearchTeam {
  const { buffer, member, size } = seat;
  const control = new Int32Array(buffer, 0, ARRIVED + size);
  const floats = new Float64Array(buffer, controlBytes(size), SLOTS + 2 * size * SLOT);
  const slots = floats.subarray(SLOTS);
  /** Exchanges done: the step being scored is the next one. */
  let step = 0;
  const parity = (): number => (step + 1) % 2;
  return {
    member,
    size,
    next: () => Atomics.add(control, NEXT + parity(), 1),
    stepBest: () => floats[BEST + parity()]!,
    timed(firstTerm: number): void {
      // Racing members may leave the higher of two values: still a candidate's, so still a bound
      // (an aligned 8-byte word is not torn on x64 or arm64, where Node runs).
      if (firstTerm < floats[BEST + parity()]!) floats[BEST + parity()] = firstTerm;
    },
    exchange(offer: TeamOffer): readonly TeamOffer[] | null {
      step++;
      if (Atomics.load(control, DEPARTED) !== 0) return null;
      const base = ((step % 2) * size + member) * SLOT;
      slots[base] = offer.candidate;
      slots[base + 1] = offer.outOfTime ? 1 : 0;
      slots[base + 2] = offer.value === null ? -1 : offer.value.length;
      offer.value?.forEach((term, i) => { slots[base + 3 + i] = term; });
      // The next step's counter and best, cleared before this member arrives (nobody uses them until all have).
      const following = (step + 1) % 2;
      Atomics.store(control, NEXT + following, 0);
      floats[BEST + following] = Infinity;
      // The store publishes the slot: Atomics order the plain writes before it.
      Atomics.store(control, ARRIVED + member, step);
      Atomics.add(control, BELL, 1);
      Atomics.notify(control, BELL);
      const deadline = Date.now() + (step === 1 ? seat.firstWaitMs ?? FIRST_WAIT_MS : seat.waitMs ?? WAIT_MS);
      for (let m = 0; m < size; m++) {
        while (Atomics.load(control, ARRIVED + m) < step) {
          if (Atomics.load(control, DEPARTED) !== 0) return null;
          const bell = Atomics.load(control, BELL);
          if (Atomics.load(control, ARRIVED + m) >= step) break;
          const left = deadline - Date.now();
          if (left <= 0) {
            Atomics.store(control, DEPARTED, 1);
            Atomics.notify(control, BELL);
            return null;
          }
          Atomics.wait(control, BELL, bell, left);
        }
      }
      const offers: TeamOffer[] = [];
      for (let m = 0; m < size; m++) {
        const at = ((step % 2) * size + m) * SLOT;
        const terms = slots[at + 2]!;
        offers.push({ candidate: slots[at]!, outOfTime: slots[at + 1] === 1, value: terms < 0 ? null : Array.from(slots.subarray(at + 3, at + 3 + terms)) });
      }
      return offers;
    },
  };
}

/** The control words (bell, departed, one arrival counter per member), padded to the slots' 8-byte alignment. */
const controlBytes = (size: number): number => Math.ceil((4 * (ARRIVED + size)) / 8) * 8;
