/**
 * Which orders need a write-back after a plan run. Closed, cancelled and locked orders are
 * never written. Toward an ERP connector, an order is written when what the ERP would hold after
 * the write (the connector's projection: its fields at its granularity) differs from what it
 * holds now (the order's link: as last read, or as takt last wrote it); an order the connector
 * never read has nowhere to go. Toward the generic adapter, an order is written when its planned
 * start or end moved by at least the threshold, or its dispatch priority changed, against the
 * previous version (or it was not planned in it).
 */
import type { ScheduledOperation, SolveResult } from '../../scheduler/result.ts';
import { sameJson } from '../connectors/canonical-json.ts';
import type { ErpLink } from '../connectors/connector.ts';
import { isClosedForWriteback } from '../writeback/closed-orders.ts';
import { buildWritebackPayload, type WritebackPayload } from '../writeback/payload.ts';

export interface ChangeThreshold {
  /** Minimum move of planned start or end that is worth telling the ERP (default 1 minute). */
  readonly moveMs: number;
}

export const defaultChangeThreshold: ChangeThreshold = { moveMs: 60_000 };

/** What a connector plant's write-back decision needs: the projection and the orders' links. */
export interface HeldByErp {
  project(payload: WritebackPayload, basis: ErpLink): unknown;
  linkOf(workOrder: string): ErpLink | undefined;
}

export interface DueWriteback {
  readonly payload: WritebackPayload;
  /** The order's link as of the snapshot (the change-stamp guard), when a connector holds it. */
  readonly basis: ErpLink | null;
}

export interface ChangedOrdersInput {
  readonly plant: string;
  readonly version: number;
  readonly result: SolveResult;
  readonly previous: SolveResult | null;
  readonly statusOf: (workOrder: string) => string | null | undefined;
  readonly threshold?: ChangeThreshold;
  readonly correlationId?: string | null;
  readonly timeZone?: string | null;
  /** Set for a plant behind an ERP connector. */
  readonly held?: HeldByErp | null;
}

function moved(before: string | null, after: string | null, thresholdMs: number): boolean {
  if (before === null || after === null) return before !== after;
  return Math.abs(Date.parse(after) - Date.parse(before)) >= thresholdMs;
}

export function changedOrderPayloads(input: ChangedOrdersInput): readonly DueWriteback[] {
  const { plant, version, result, previous, held } = input;
  const threshold = input.threshold ?? defaultChangeThreshold;
  const before = new Map((previous?.orders ?? []).map((o) => [o.workOrder, o]));
  const operationsOf = new Map<string, ScheduledOperation[]>();
  for (const op of result.operations) {
    const list = operationsOf.get(op.workOrder);
    if (list) list.push(op);
    else operationsOf.set(op.workOrder, [op]);
  }
  const due: DueWriteback[] = [];
  for (const order of result.orders) {
    if (order.status !== 'scheduled') continue;
    const status = input.statusOf(order.workOrder);
    // Unknown to the store (deleted meanwhile) or closed in the ERP: nothing to write.
    if (status === undefined || isClosedForWriteback(status)) continue;
    const payload = buildWritebackPayload(plant, version, order, operationsOf.get(order.workOrder) ?? [], input.correlationId ?? null, input.timeZone ?? null);
    if (payload === null) continue;
    if (held) {
      const link = held.linkOf(order.workOrder);
      if (link !== undefined && !sameJson(held.project(payload, link), link.held)) due.push({ payload, basis: link });
      continue;
    }
    const old = before.get(order.workOrder);
    const changed = old === undefined
      || old.status !== 'scheduled'
      || moved(old.plannedStart, order.plannedStart, threshold.moveMs)
      || moved(old.plannedEnd, order.plannedEnd, threshold.moveMs)
      || old.dispatchPriority !== order.dispatchPriority;
    if (changed) due.push({ payload, basis: null });
  }
  return due;
}
