/**
 * What a shop-floor report must not claim: work on an order that is no longer open, a second
 * start of a completed operation, more made than the order asks (beyond the plant's
 * over-production tolerance), or an end before its start. A completion whose start was never
 * reported is believed (shops often book only the completion): the start stays unknown.
 */
import type { PlantView } from '../batch/view.ts';
import type { ProgressRecord } from '../../store/operation-progress.ts';
import { CLOSED_STATUSES } from '../../store/work-orders.ts';
import type { Rejection } from '../validate.ts';
import { invalidData } from './handler.ts';

export function requireOpenOrder(view: PlantView, workOrder: string): Rejection | null {
  const status = view.order(workOrder)?.status ?? null;
  if (status === null || !CLOSED_STATUSES.includes(status)) return null;
  return { code: 'order-closed', field: 'data.workOrder', reason: `work order "${workOrder}" is ${status}: it takes no shop-floor reports` };
}

export function requireNotCompleted(stored: ProgressRecord | null, verb: 'start' | 'progress'): Rejection | null {
  if (stored?.status !== 'completed') return null;
  return {
    code: 'operation-completed', field: 'data.operation',
    reason: `operation "${stored.operation}" of "${stored.workOrder}" is completed: it cannot ${verb} again`,
  };
}

/** Good plus scrap within the order quantity and the plant's tolerance. */
export function requirePlausibleQuantity(view: PlantView, workOrder: string, good: number, scrap: number, given: { readonly good: boolean; readonly scrap: boolean }): Rejection | null {
  const ordered = view.order(workOrder)?.quantity;
  if (ordered === undefined) return null;
  const tolerance = view.shopFloor.overProductionPercent;
  const limit = ordered * (1 + tolerance / 100);
  // A relative epsilon: quantities arrive as decimals from ERPs and scales.
  if (good + scrap <= limit * (1 + 1e-9)) return null;
  const field = given.scrap && (!given.good || scrap > limit) ? 'data.quantityScrap' : 'data.quantityGood';
  return {
    code: 'implausible-quantity', field,
    reason: `good ${good} + scrap ${scrap} exceeds the order quantity ${ordered} by more than the plant's over-production tolerance (${tolerance} %)`,
  };
}

/** `end` (from `field`) not before `start`. */
export function requireNotBefore(start: string | null, end: string, field: string, what: string): Rejection | null {
  if (start === null || Date.parse(end) >= Date.parse(start)) return null;
  return invalidData(field, `${what} ${end} is before its start ${start}`);
}
