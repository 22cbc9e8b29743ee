/**
 * Which orders need a write-back after a plan run: those whose planned start or end moved by at
 * least the threshold, or whose dispatch priority changed, against the previous version (or that
 * were not planned in it). Closed, cancelled and locked orders are never written.
 */
import type { ScheduledOperation, SolveResult } from '../../scheduler/result.ts';
import { isClosedForWriteback } from '../writeback/closed-orders.ts';
import { buildWritebackPayload, type WritebackPayload } from '../writeback/payload.ts';

export interface ChangeThreshold {
  /** Minimum move of planned start or end that is worth telling the ERP (default 1 minute). */
  readonly moveMs: number;
}

export const defaultChangeThreshold: ChangeThreshold = { moveMs: 60_000 };

function moved(before: string | null, after: string | null, thresholdMs: number): boolean {
  if (before === null || after === null) return before !== after;
  return Math.abs(Date.parse(after) - Date.parse(before)) >= thresholdMs;
}

export function changedOrderPayloads(
  plant: string,
  version: number,
  result: SolveResult,
  previous: SolveResult | null,
  statusOf: (workOrder: string) => string | null | undefined,
  threshold: ChangeThreshold = defaultChangeThreshold,
  correlationId: string | null = null,
  timeZone: string | null = null,
): readonly WritebackPayload[] {
  const before = new Map((previous?.orders ?? []).map((o) => [o.workOrder, o]));
  const operationsOf = new Map<string, ScheduledOperation[]>();
  for (const op of result.operations) {
    const list = operationsOf.get(op.workOrder);
    if (list) list.push(op);
    else operationsOf.set(op.workOrder, [op]);
  }
  const payloads: WritebackPayload[] = [];
  for (const order of result.orders) {
    if (order.status !== 'scheduled') continue;
    const status = statusOf(order.workOrder);
    // Unknown to the store (deleted meanwhile) or closed in the ERP: nothing to write.
    if (status === undefined || isClosedForWriteback(status)) continue;
    const old = before.get(order.workOrder);
    const changed = old === undefined
      || old.status !== 'scheduled'
      || moved(old.plannedStart, order.plannedStart, threshold.moveMs)
      || moved(old.plannedEnd, order.plannedEnd, threshold.moveMs)
      || old.dispatchPriority !== order.dispatchPriority;
    if (!changed) continue;
    const payload = buildWritebackPayload(plant, version, order, operationsOf.get(order.workOrder) ?? [], correlationId, timeZone);
    if (payload !== null) payloads.push(payload);
  }
  return payloads;
}
