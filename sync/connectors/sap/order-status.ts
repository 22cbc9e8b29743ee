/**
 * A production order's state from its status flags (Edm.String(1), `"X"` when set), for reading
 * (which canonical event, which status) and for writing (whether takt may touch it at all).
 */
import type { WorkOrderStatus } from '../../../scheduler/problem.ts';
import { flag, type Entity } from './odata-values.ts';

export type OrderState =
  | { readonly kind: 'cancelled'; readonly reason: string }
  | { readonly kind: 'active'; readonly status: WorkOrderStatus };

/**
 * Deleted or marked for deletion → cancelled; closed → closed; technically completed or
 * delivered → completed; confirmed, partially confirmed or partially delivered → started (work
 * has been reported); released (also partially) → released; otherwise created → planned.
 */
export function orderState(order: Entity): OrderState {
  if (flag(order, 'OrderIsDeleted')) return { kind: 'cancelled', reason: 'deleted in SAP' };
  if (flag(order, 'OrderIsMarkedForDeletion')) return { kind: 'cancelled', reason: 'marked for deletion in SAP' };
  if (flag(order, 'OrderIsClosed')) return { kind: 'active', status: 'closed' };
  if (flag(order, 'OrderIsTechnicallyCompleted') || flag(order, 'OrderIsDelivered')) return { kind: 'active', status: 'completed' };
  if (flag(order, 'OrderIsConfirmed') || flag(order, 'OrderIsPartiallyConfirmed') || flag(order, 'OrderIsPartiallyDelivered')) {
    return { kind: 'active', status: 'started' };
  }
  if (flag(order, 'OrderIsReleased') || flag(order, 'OrderIsPartiallyReleased')) return { kind: 'active', status: 'released' };
  return { kind: 'active', status: 'planned' };
}

/** Flags that forbid a write-back, in the order they are reported. */
const WRITE_BLOCKERS = [
  'OrderIsDeleted', 'OrderIsMarkedForDeletion', 'OrderIsClosed', 'OrderIsTechnicallyCompleted', 'OrderIsDelivered', 'OrderIsLocked',
] as const;

/** The first flag that makes the order untouchable, or null. */
export function writeBlocker(order: Entity): string | null {
  return WRITE_BLOCKERS.find((name) => flag(order, name)) ?? null;
}

/** An operation SAP will not reschedule any more (confirmed, completed, closed, deleted). */
export function operationIsDone(operation: Entity): boolean {
  return flag(operation, 'OperationIsConfirmed') || flag(operation, 'OperationIsTechlyCompleted')
    || flag(operation, 'OperationIsClosed') || flag(operation, 'OperationIsDeleted');
}
