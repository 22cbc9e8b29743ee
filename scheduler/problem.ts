/**
 * The plant problem: what `solve` takes, what `takt solve FILE` reads and what the service
 * builds from its store. Instants are ISO-8601 strings with an offset; shift times are local
 * wall-clock times in the plant's IANA zone. The JSON Schema lives in `scheduler/problem.schema.json`.
 */

export type IsoInstant = string;
/** Local wall-clock time `HH:mm` (`24:00` allowed as an end). */
export type LocalTime = string;
/** Local calendar date `YYYY-MM-DD`. */
export type LocalDate = string;
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface PlantProblem {
  readonly plant: PlantSettings;
  /** Snapshot time; `takt solve` uses it as `now` when the options give none. */
  readonly now?: IsoInstant;
  readonly calendars: readonly CalendarSpec[];
  readonly workCenters: readonly WorkCenterSpec[];
  readonly items?: readonly ItemSpec[];
  readonly workOrders: readonly WorkOrderSpec[];
  readonly lots?: readonly LotSpec[];
  readonly receipts?: readonly ReceiptSpec[];
  readonly holds?: readonly HoldSpec[];
  /** Standard times of routing operations, for operations that name a `standard` instead of modes. */
  readonly operationTimes?: readonly OperationTimeSpec[];
  /** The schedule in force, for the frozen window and for stability. */
  readonly previous?: readonly PreviousAssignment[];
}

export interface PlantSettings {
  readonly id: string;
  readonly name?: string;
  /** IANA zone of the plant's calendars, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Operations planned to start within this many minutes of `now` keep their slot. */
  readonly frozenWindowMinutes?: number;
  /** How far ahead the engine may place work (default 365 days). */
  readonly horizonDays?: number;
  /** `weighted-tardiness` (default) or `makespan` (classic job shop). */
  readonly objective?: Objective;
}

export type Objective = 'weighted-tardiness' | 'makespan';

export interface ShiftSpec {
  readonly days: readonly Weekday[];
  readonly start: LocalTime;
  /** An end at or before the start runs past midnight into the next day. */
  readonly end: LocalTime;
}

export interface CalendarException {
  readonly date: LocalDate;
  /** Replaces that day's shifts: `[]` closes the day (holiday); entries give extra or changed shifts. */
  readonly shifts: readonly { readonly start: LocalTime; readonly end: LocalTime }[];
  readonly reason?: string;
}

export interface CalendarSpec {
  readonly id: string;
  /** Weekly pattern; an empty list with no exceptions means never working. */
  readonly shifts: readonly ShiftSpec[];
  readonly exceptions?: readonly CalendarException[];
  /** `true`: every minute is working time (24/7); `shifts` is then ignored. */
  readonly alwaysOpen?: boolean;
}

export interface DowntimeSpec {
  readonly id?: string;
  readonly start: IsoInstant;
  /** Expected end; for an open breakdown, the MES's estimate. */
  readonly end: IsoInstant;
  /** Only this unit (1-based); all units when absent. */
  readonly unit?: number;
  readonly reason?: string;
}

export interface WorkCenterSpec {
  readonly id: string;
  readonly name?: string;
  /** Parallel identical machines. */
  readonly units: number;
  readonly calendar: string;
  readonly downtimes?: readonly DowntimeSpec[];
}

export interface ItemSpec {
  readonly id: string;
  readonly name?: string;
  readonly uom?: string;
}

export type WorkOrderStatus = 'planned' | 'released' | 'started' | 'completed' | 'cancelled' | 'closed';
export type OperationStatus = 'pending' | 'started' | 'completed';

export interface OperationMode {
  readonly workCenter: string;
  readonly setupMinutes?: number;
  readonly runMinutesPerUnit: number;
}

export interface OperationProgress {
  /** Where the started operation runs; it stays there. */
  readonly workCenter: string;
  readonly unit?: number;
  readonly startedAt?: IsoInstant;
  readonly quantityDone?: number;
}

export interface PinSpec {
  readonly workCenter: string;
  readonly unit?: number;
  readonly start: IsoInstant;
}

/**
 * An operation whose times the plant keeps apart from the order (an ERP that holds routings but
 * no times, such as Tryton): the modes are the candidate work centers that have an
 * `OperationTimeSpec` for this routing operation.
 */
export interface StandardOperationRef {
  /** The routing operation, as `OperationTimeSpec.operation` names it. */
  readonly operation: string;
  /** Work-center category: times given for it apply to every candidate without its own. */
  readonly category?: string;
  /** Candidate work centers, preferred first (default: those with a time of their own for the operation). */
  readonly workCenters?: readonly string[];
}

/** A standard time: routing operation × work center (or × category, or for any work center). */
export interface OperationTimeSpec {
  readonly operation: string;
  /** Only this work center (most specific). */
  readonly workCenter?: string;
  /** Any work center of this category, unless it has its own time. */
  readonly category?: string;
  readonly setupMinutes?: number;
  readonly runMinutesPerUnit: number;
  readonly minWaitAfterMinutes?: number;
  readonly nonInterruptible?: boolean;
}

export interface OperationSpec {
  readonly id: string;
  readonly name?: string;
  /** The primary work center first, then alternates, each with its own rates. Empty (or absent) with a `standard`. */
  readonly modes: readonly OperationMode[];
  /** Times from the plant's standard times instead of `modes`. */
  readonly standard?: StandardOperationRef;
  /** Elapsed (calendar) minutes the next operation must wait after this one ends. */
  readonly minWaitAfterMinutes?: number;
  /** When true the operation must run in one stretch of working time. */
  readonly nonInterruptible?: boolean;
  readonly status?: OperationStatus;
  readonly progress?: OperationProgress;
  readonly pin?: PinSpec;
}

export interface MaterialRequirement {
  readonly item: string;
  readonly quantity: number;
  /** The consuming operation (default: the first operation). */
  readonly operation?: string;
}

export interface WorkOrderSpec {
  readonly id: string;
  /** The item this order produces; its output is supply for other orders at its planned end. */
  readonly item: string;
  readonly quantity: number;
  readonly due: IsoInstant;
  readonly release?: IsoInstant;
  /** ERP priority: higher is more urgent; the tardiness weight. Default 1. */
  readonly priority?: number;
  readonly status?: WorkOrderStatus;
  readonly operations: readonly OperationSpec[];
  readonly materials?: readonly MaterialRequirement[];
}

export type LotStatus = 'available' | 'held' | 'blocked';

export interface LotSpec {
  readonly id: string;
  readonly item: string;
  readonly quantity: number;
  readonly status: LotStatus;
  readonly expiresAt?: IsoInstant;
}

export interface ReceiptSpec {
  readonly id: string;
  readonly item: string;
  readonly quantity: number;
  readonly expectedAt: IsoInstant;
}

export type HoldTarget =
  | { readonly kind: 'lot'; readonly id: string }
  | { readonly kind: 'item'; readonly id: string }
  | { readonly kind: 'work_order'; readonly id: string };

export interface HoldSpec {
  readonly id: string;
  readonly target: HoldTarget;
  readonly reason?: string;
}

export interface PreviousAssignment {
  readonly workOrder: string;
  readonly operation: string;
  readonly workCenter: string;
  readonly unit: number;
  readonly start: IsoInstant;
  readonly end: IsoInstant;
}
