/**
 * Whether a new plan of an order is worth telling the ERP, against what takt last wrote: a start
 * or end of the order or of an operation moved by at least the policy's minutes, an operation
 * moved to another work center, added or gone, or the dispatch rank crossed a bucket boundary.
 */
import type { WritebackPolicy } from '../store/plant-policies.ts';
import type { WritebackPayload } from '../writeback/payload.ts';

const MINUTE_MS = 60_000;

function movedBy(before: string, after: string, minutes: number): boolean {
  return Math.abs(Date.parse(after) - Date.parse(before)) >= Math.max(minutes * MINUTE_MS, 1);
}

/** The bucket of a rank: the index of the first boundary at or above it. */
export function rankBucket(rank: number, boundaries: readonly number[]): number {
  const index = boundaries.findIndex((upper) => rank <= upper);
  return index === -1 ? boundaries.length : index;
}

export function isMaterialChange(before: WritebackPayload | undefined, after: WritebackPayload, policy: WritebackPolicy): boolean {
  if (before === undefined) return true;
  if (movedBy(before.plannedStart, after.plannedStart, policy.orderMoveMinutes) || movedBy(before.plannedEnd, after.plannedEnd, policy.orderMoveMinutes)) return true;
  if (rankBucket(before.dispatchPriority, policy.priorityBoundaries) !== rankBucket(after.dispatchPriority, policy.priorityBoundaries)) return true;
  const old = new Map(before.operations.map((op) => [op.operation, op]));
  if (old.size !== after.operations.length) return true;
  return after.operations.some((op) => {
    const was = old.get(op.operation);
    return was === undefined || was.workCenter !== op.workCenter
      || movedBy(was.plannedStart, op.plannedStart, policy.operationMoveMinutes) || movedBy(was.plannedEnd, op.plannedEnd, policy.operationMoveMinutes);
  });
}
