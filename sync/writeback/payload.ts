/** The canonical write-back: what the generic adapter POSTs and what vendor adapters map. */
import type { ScheduledOperation, ScheduledOrder } from '../../scheduler/result.ts';

export interface WritebackOperation {
  readonly operation: string;
  readonly workCenter: string;
  readonly plannedStart: string;
  readonly plannedEnd: string;
}

export interface WritebackPayload {
  readonly plant: string;
  /** The plant's IANA zone, for ERPs that keep plant-local wall-clock times (SAP). */
  readonly timeZone?: string;
  readonly workOrder: string;
  readonly scheduleVersion: number;
  readonly plannedStart: string;
  readonly plannedEnd: string;
  /** 1 = run first. */
  readonly dispatchPriority: number;
  readonly operations: readonly WritebackOperation[];
  /** `<plant>:<order>:v<version>`: the same write-back is the same key, whatever the retries. */
  readonly idempotencyKey: string;
  /** The source event whose change led to this schedule version, when one did. */
  readonly correlationId?: string;
}

export function idempotencyKey(plant: string, workOrder: string, version: number): string {
  return `${plant}:${workOrder}:v${version}`;
}

/** The payload of one scheduled order; null when it has no planned dates to write. */
export function buildWritebackPayload(
  plant: string,
  version: number,
  order: ScheduledOrder,
  operations: readonly ScheduledOperation[],
  correlationId: string | null = null,
  timeZone: string | null = null,
): WritebackPayload | null {
  if (order.plannedStart === null || order.plannedEnd === null) return null;
  return {
    plant,
    ...(timeZone !== null && { timeZone }),
    workOrder: order.workOrder,
    scheduleVersion: version,
    plannedStart: order.plannedStart,
    plannedEnd: order.plannedEnd,
    dispatchPriority: order.dispatchPriority,
    operations: operations
      .filter((op) => op.workOrder === order.workOrder)
      .map((op) => ({ operation: op.operation, workCenter: op.workCenter, plannedStart: op.start, plannedEnd: op.end })),
    idempotencyKey: idempotencyKey(plant, order.workOrder, version),
    ...(correlationId !== null && { correlationId }),
  };
}
