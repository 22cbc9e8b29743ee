/**
 * Which orders need a write-back after a schedule version is published. Closed, cancelled and
 * locked orders are never written. An order is written when its new plan is a material change
 * against what takt last wrote for it (the plant's policy: minutes moved, work centers, rank
 * buckets) or when takt never wrote it. Toward an ERP connector also: never when the ERP holds
 * the plan already (the connector's projection, at its granularity), always when the ERP holds
 * something other than what takt last wrote (edited there); an order the connector never read
 * has nowhere to go.
 */
import type { ScheduledOperation, SolveResult } from '../../scheduler/result.ts';
import { sameJson } from '../canonical-json.ts';
import type { ErpLink } from '../connectors/connector.ts';
import type { StoredLink } from '../store/erp-links.ts';
import type { LastWritten } from '../store/outbox.ts';
import type { WritebackPolicy } from '../store/plant-policies.ts';
import { isClosedForWriteback } from '../writeback/closed-orders.ts';
import { buildWritebackPayload, type WritebackPayload } from '../writeback/payload.ts';
import { isMaterialChange } from './material-change.ts';

/** What a connector plant's write-back decision needs: the projection and the orders' links. */
export interface HeldByErp {
  project(payload: WritebackPayload, basis: ErpLink): unknown;
  linkOf(workOrder: string): StoredLink | undefined;
  /** The connection reads the ERP: an order it never read is not in it. False: write-back only. */
  readonly linked: boolean;
}

export interface ChangedOrders {
  readonly due: readonly DueWriteback[];
  /** Orders whose waiting write-back would undo what the ERP holds now: set it aside. */
  readonly obsolete: readonly string[];
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
  readonly statusOf: (workOrder: string) => string | null | undefined;
  /** What takt last wrote (or is writing) per order. */
  readonly lastWritten: (workOrder: string) => LastWritten | undefined;
  readonly policy: WritebackPolicy;
  readonly correlationId?: string | null;
  readonly timeZone?: string | null;
  /** Set for a plant behind an ERP connector. */
  readonly held?: HeldByErp | null;
}

export function changedOrderPayloads(input: ChangedOrdersInput): ChangedOrders {
  const { plant, version, result, held, policy } = input;
  const operationsOf = new Map<string, ScheduledOperation[]>();
  for (const op of result.operations) {
    const list = operationsOf.get(op.workOrder);
    if (list) list.push(op);
    else operationsOf.set(op.workOrder, [op]);
  }
  const due: DueWriteback[] = [];
  const obsolete: string[] = [];
  for (const order of result.orders) {
    if (order.status !== 'scheduled') continue;
    const status = input.statusOf(order.workOrder);
    // Unknown to the store (deleted meanwhile) or closed in the ERP: nothing to write.
    if (status === undefined || isClosedForWriteback(status)) continue;
    const payload = buildWritebackPayload(plant, version, order, operationsOf.get(order.workOrder) ?? [], input.correlationId ?? null, input.timeZone ?? null);
    if (payload === null) continue;
    const last = input.lastWritten(order.workOrder);
    const before = last?.payload;
    const link = held?.linkOf(order.workOrder);
    if (!held || (link === undefined && !held.linked)) {
      if (isMaterialChange(before, payload, policy)) due.push({ payload, basis: null });
      continue;
    }
    if (link === undefined) continue;
    if (sameJson(held.project(payload, link), link.held)) {
      // The ERP holds this plan already; an older write still waiting would undo it.
      if (last?.pending === true && !sameJson(held.project(last.payload, link), link.held)) {
        if (last.inFlight) due.push({ payload, basis: link });
        else obsolete.push(order.workOrder);
      }
      continue;
    }
    // Edited in the ERP: it holds something other than what it held right after takt's last write.
    const edited = link.writtenHeld !== null ? !sameJson(link.held, link.writtenHeld) : before === undefined || !sameJson(link.held, held.project(before, link));
    if (edited || isMaterialChange(before, payload, policy)) due.push({ payload, basis: link });
  }
  return { due, obsolete };
}
