/**
 * What SAP holds of the write-back fields, at SAP's granularity: plant-local date and time to the
 * second for the order's start and end (basic or scheduled dates, as configured), the importance
 * code, and per operation its earliest scheduled execution start (and end) and work center.
 * `project(payload, basis)` and `heldOf(order)` build the same shape, which the core compares as
 * canonical JSON: a write is due only when they differ.
 */
import type { WritebackPayload } from '../../writeback/payload.ts';
import type { ResolvedSapConfig, SapImportanceMapping, SapOrderDates } from './config.ts';
import { edmCalendarDate, edmTimeSeconds, text, toClock, type Entity } from './odata-values.ts';
import { orderOperations, taktOperationId } from './operations.ts';
import { operationIsDone } from './order-status.ts';
import { toWallClock } from '../wall-clock.ts';

export interface HeldOperation {
  /** `YYYY-MM-DDTHH:MM:SS`, plant-local. */
  readonly start: string | null;
  readonly end?: string | null;
  readonly workCenter?: string;
}

export interface SapHeld {
  readonly start: string | null;
  readonly end: string | null;
  readonly importance: string | null;
  readonly operations: Readonly<Record<string, HeldOperation>>;
}

export const ORDER_DATE_FIELDS: Readonly<Record<SapOrderDates, {
  readonly startDate: string; readonly startTime: string; readonly endDate: string; readonly endTime: string;
}>> = {
  basic: { startDate: 'MfgOrderPlannedStartDate', startTime: 'MfgOrderPlannedStartTime', endDate: 'MfgOrderPlannedEndDate', endTime: 'MfgOrderPlannedEndTime' },
  scheduled: { startDate: 'MfgOrderScheduledStartDate', startTime: 'MfgOrderScheduledStartTime', endDate: 'MfgOrderScheduledEndDate', endTime: 'MfgOrderScheduledEndTime' },
};

export const OPERATION_DATE_FIELDS = {
  startDate: 'OpErlstSchedldExecStrtDte', startTime: 'OpErlstSchedldExecStrtTme',
  endDate: 'OpErlstSchedldExecEndDte', endTime: 'OpErlstSchedldExecEndTme',
} as const;

type HeldConfig = Pick<ResolvedSapConfig, 'orderDates' | 'operationDates' | 'writeWorkCenter' | 'importance' | 'timeZone'>;

export function importanceOf(rank: number, mapping: SapImportanceMapping): string {
  return mapping.buckets.find((bucket) => rank <= bucket.upToRank)?.code ?? mapping.otherwise;
}

function wallClock(iso: string, timeZone: string): string {
  const local = toWallClock(Date.parse(iso), timeZone);
  return `${local.date}T${local.time}`;
}

/** A date field and its time field as SAP holds them, `YYYY-MM-DDTHH:MM:SS`; null when the date is empty. */
export function localOf(entity: Entity, dateField: string, timeField: string): string | null {
  const date = edmCalendarDate(entity[dateField]);
  if (date === null) return null;
  const seconds = edmTimeSeconds(entity[timeField]) ?? 0;
  return `${date}T${toClock(seconds)}`;
}

function operation(start: string | null, end: string | null, workCenter: string, config: HeldConfig): HeldOperation {
  return {
    start,
    ...(config.operationDates === 'earliest' && { end }),
    ...(config.writeWorkCenter && { workCenter }),
  };
}

/** A link's `held` when it is one of ours (links written by other versions may hold anything). */
export function asHeld(value: unknown): SapHeld | null {
  if (typeof value !== 'object' || value === null) return null;
  const operations = (value as { operations?: unknown }).operations;
  return typeof operations === 'object' && operations !== null ? value as SapHeld : null;
}

/**
 * What SAP would hold after writing `payload` to the order `basis` holds: the order's dates and
 * importance, and per operation SAP has open (the basis's) takt's dates where the plan has the
 * operation and SAP's own where it has not (they are not written). An operation SAP does not
 * have, or no longer reschedules, cannot hold anything. Without a basis, the payload's.
 */
export function project(payload: WritebackPayload, config: HeldConfig, basis: SapHeld | null = null): SapHeld {
  const planned = new Map(config.operationDates === 'none' ? [] : payload.operations.map((op) => [
    op.operation, operation(wallClock(op.plannedStart, config.timeZone), wallClock(op.plannedEnd, config.timeZone), op.workCenter, config),
  ] as const));
  const operations = basis === null
    ? [...planned]
    : Object.entries(basis.operations).map(([id, held]) => [id, planned.get(id) ?? held] as const);
  return {
    start: wallClock(payload.plannedStart, config.timeZone),
    end: wallClock(payload.plannedEnd, config.timeZone),
    importance: config.importance === null ? null : importanceOf(payload.dispatchPriority, config.importance),
    operations: Object.fromEntries(operations.toSorted(([a], [b]) => a.localeCompare(b))),
  };
}

/**
 * The same from an order as read (with `to_ProductionOrderOperation` expanded). Operations SAP
 * will not reschedule any more (confirmed, completed, deleted) are left out: takt does not plan
 * them either, so they must not make the two differ.
 */
export function heldOf(order: Entity, config: HeldConfig): SapHeld {
  const fields = ORDER_DATE_FIELDS[config.orderDates];
  const f = OPERATION_DATE_FIELDS;
  const operations = config.operationDates === 'none' ? [] : orderOperations(order)
    .filter((op) => !operationIsDone(op))
    .map((op) => [
      taktOperationId(op),
      operation(localOf(op, f.startDate, f.startTime), localOf(op, f.endDate, f.endTime), text(op, 'WorkCenter'), config),
    ] as const)
    .toSorted(([a], [b]) => a.localeCompare(b));
  return {
    start: localOf(order, fields.startDate, fields.startTime),
    end: localOf(order, fields.endDate, fields.endTime),
    importance: config.importance === null ? null : text(order, 'ManufacturingOrderImportance'),
    operations: Object.fromEntries(operations),
  };
}
