/**
 * The engine's internal model: the plant problem compiled to integers. Time is minutes from
 * `now` (minute 0), intervals are half-open. Entities are referred to by dense indexes so the
 * hot paths work on arrays, never on maps of strings.
 */
import type { WorkingTime } from './calendar/working-time.ts';
import type { Objective } from './problem.ts';

export interface ResourceModel {
  /** Index of the work center this unit belongs to. */
  readonly workCenter: number;
  /** 1-based unit number. */
  readonly unit: number;
  readonly working: WorkingTime;
}

export interface WorkCenterModel {
  readonly id: string;
  /** Indexes into `Model.resources`, one per unit. */
  readonly resources: readonly number[];
}

export interface ModeModel {
  readonly workCenter: number;
  /** Working minutes: setup + quantity × run rate (remaining quantity for started work). */
  readonly duration: number;
  readonly setup: number;
}

export type FixedBy = 'started' | 'frozen' | 'pinned';

export interface FixedPlacement {
  readonly resource: number;
  readonly start: number;
  readonly by: FixedBy;
  /** For started work: the ISO start reported by the MES, shown as the operation's start. */
  readonly reportedStartIso?: string;
}

export interface OperationModel {
  readonly id: string;
  readonly order: number;
  /** Position in the order's routing. */
  readonly seq: number;
  readonly modes: readonly ModeModel[];
  /** Elapsed minutes the next operation of the order waits after this one ends. */
  readonly waitAfter: number;
  readonly nonInterruptible: boolean;
  readonly quantity: number;
  readonly fixed: FixedPlacement | null;
  /** Material demands consumed at this operation's start (indexes into `Model.demands`). */
  readonly demands: readonly number[];
}

export interface OrderModel {
  readonly id: string;
  readonly item: string;
  readonly quantity: number;
  readonly due: number;
  readonly release: number;
  readonly weight: number;
  /** Indexes into `Model.operations` in routing order; completed operations are left out. */
  readonly operations: readonly number[];
  /** Hold ids that keep this order from being scheduled. */
  readonly heldBy: readonly string[];
  readonly completed: boolean;
}

export interface DemandModel {
  readonly order: number;
  readonly operation: number;
  readonly item: string;
  readonly quantity: number;
}

export type SupplyKind = 'lot' | 'receipt' | 'order';

export interface SupplyModel {
  readonly id: string;
  readonly kind: SupplyKind;
  readonly item: string;
  readonly quantity: number;
  /** When it can be consumed; for order output an estimate until that order is placed. */
  readonly availableAt: number;
  /** A lot cannot be consumed at or after this minute. */
  readonly expiresAt: number | null;
  /** For order output: the producing order. */
  readonly producer: number | null;
}

export interface Model {
  readonly nowMs: number;
  readonly horizon: number;
  readonly objective: Objective;
  readonly resources: readonly ResourceModel[];
  readonly workCenters: readonly WorkCenterModel[];
  readonly orders: readonly OrderModel[];
  readonly operations: readonly OperationModel[];
  readonly demands: readonly DemandModel[];
  readonly supplies: readonly SupplyModel[];
  /** Previous placement per operation index (resource, start), for stability. */
  readonly previous: ReadonlyMap<number, { readonly resource: number; readonly start: number }>;
}

export const MINUTE_MS = 60_000;

export function toMinute(model: { readonly nowMs: number }, iso: string | number): number {
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  return Math.round((ms - model.nowMs) / MINUTE_MS);
}

export function toIso(model: { readonly nowMs: number }, minute: number): string {
  return isoOfMs(model.nowMs + minute * MINUTE_MS);
}

const DAY_MS = 86_400_000;
/** 0000-01-01 and 10000-01-01: outside, `toISOString` writes six-digit years. */
const FIRST_FOUR_DIGIT_YEAR_MS = -62_167_219_200_000;
const FIRST_SIX_DIGIT_YEAR_MS = 253_402_300_800_000;
const TIMES_OF_DAY = Array.from({ length: 1440 }, (_, m) => `T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00.000Z`);
/** Day number → 'YYYY-MM-DD'; bounded, a pure memo. */
const datesOfDays = new Map<number, string>();

/**
 * `new Date(ms).toISOString()`, fast for whole minutes (every planned instant is one): the date
 * is looked up per day, the time of day in a table. A result lists hundreds of thousands.
 */
export function isoOfMs(ms: number): string {
  if (ms % MINUTE_MS !== 0 || !(ms >= FIRST_FOUR_DIGIT_YEAR_MS && ms < FIRST_SIX_DIGIT_YEAR_MS)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let date = datesOfDays.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (datesOfDays.size >= 100_000) datesOfDays.clear();
    datesOfDays.set(day, date);
  }
  return date + TIMES_OF_DAY[(ms - day * DAY_MS) / MINUTE_MS]!;
}
