/**
 * Shortages as procurement sees them: one per (work order, item), over every operation of the
 * order that lacks the item, and which appeared or disappeared between two published versions.
 */
import type { SolveResult } from '../../scheduler/result.ts';
import { eventId, type ShortageClearedData, type ShortageRaisedData, type WebhookEvent } from './event.ts';

interface Shortage {
  readonly workOrder: string;
  readonly item: string;
  readonly missingQuantity: number;
  readonly operations: readonly string[];
  readonly earliestCoverAt: string | null;
}

const keyOf = (workOrder: string, item: string): string => JSON.stringify([workOrder, item]);

/** The version's shortages by (work order, item), in the order the solver reported them. */
export function shortagesOf(result: SolveResult): ReadonlyMap<string, Shortage> {
  const out = new Map<string, Shortage>();
  for (const p of result.problems) {
    if (p.type !== 'shortage') continue;
    const key = keyOf(p.workOrder, p.item);
    const seen = out.get(key);
    out.set(key, seen === undefined
      ? { workOrder: p.workOrder, item: p.item, missingQuantity: p.missingQuantity, operations: [p.operation], earliestCoverAt: p.earliestCoverAt }
      : {
        ...seen,
        missingQuantity: seen.missingQuantity + p.missingQuantity,
        operations: seen.operations.includes(p.operation) ? seen.operations : [...seen.operations, p.operation],
        // Covered when the last of its operations is: any uncovered one leaves it uncovered.
        earliestCoverAt: seen.earliestCoverAt === null || p.earliestCoverAt === null ? null : maxIso(seen.earliestCoverAt, p.earliestCoverAt),
      });
  }
  return out;
}

/** The facts a pure function cannot see in a SolveResult: when an unscheduled order could start. */
export interface OrderFacts {
  /** The order's release, when it has one. */
  readonly releaseOf?: (workOrder: string) => string | null | undefined;
}

export function shortageEvents(
  plant: string,
  previous: SolveResult | null,
  current: SolveResult,
  version: number,
  occurredAt: string,
  facts: OrderFacts = {},
): readonly (WebhookEvent<'shortage.raised'> | WebhookEvent<'shortage.cleared'>)[] {
  const before = previous === null ? new Map<string, Shortage>() : shortagesOf(previous);
  const now = shortagesOf(current);
  const events: (WebhookEvent<'shortage.raised'> | WebhookEvent<'shortage.cleared'>)[] = [];

  const blockedByItem = new Map<string, string[]>();
  for (const s of now.values()) {
    const list = blockedByItem.get(s.item) ?? [];
    if (!list.includes(s.workOrder)) list.push(s.workOrder);
    blockedByItem.set(s.item, list);
  }
  const starts = new Map(current.operations.map((op) => [`${op.workOrder}\u0000${op.operation}`, op.start]));

  for (const [key, s] of now) {
    if (before.has(key)) continue;
    const planned = s.operations.map((op) => starts.get(`${s.workOrder}\u0000${op}`)).filter((at): at is string => at !== undefined);
    const release = facts.releaseOf?.(s.workOrder) ?? null;
    const data: ShortageRaisedData = {
      workOrder: s.workOrder,
      item: s.item,
      missingQuantity: s.missingQuantity,
      neededBy: planned.length > 0 ? planned.reduce(minIso) : release === null ? current.now : maxIso(current.now, release),
      earliestCoverAt: s.earliestCoverAt,
      operations: s.operations,
      blockedOrders: [...(blockedByItem.get(s.item) ?? [])].sort(),
    };
    events.push({ id: eventId(plant, version, 'shortage.raised', s.workOrder, s.item), type: 'shortage.raised', plant, occurredAt, version, data });
  }

  const planned = new Set(current.orders.filter((o) => o.status !== 'completed').map((o) => o.workOrder));
  for (const [key, s] of before) {
    if (now.has(key)) continue;
    const data: ShortageClearedData = {
      workOrder: s.workOrder,
      item: s.item,
      reason: planned.has(s.workOrder) ? 'covered' : 'order-closed',
      previousMissingQuantity: s.missingQuantity,
    };
    events.push({ id: eventId(plant, version, 'shortage.cleared', s.workOrder, s.item), type: 'shortage.cleared', plant, occurredAt, version, data });
  }
  return events;
}

// Instants from the solver and the store are ISO strings; compare them as instants, not as text
// (offsets and fractional seconds differ between writers).
function minIso(a: string, b: string): string {
  return Date.parse(b) < Date.parse(a) ? b : a;
}

function maxIso(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}
