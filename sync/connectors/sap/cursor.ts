/**
 * The connector's cursor, as JSON text:
 *
 * ```json
 * { "v": 1,
 *   "orders": { "ms": 1795766400000, "format": "timestamp14", "after": null },
 *   "refreshed": { "workCenters": 1795766400000, "stock": …, "receipts": …, "orderSweep": … },
 *   "sweepAfter": null }
 * ```
 *
 * `orders.ms` is the latest `LastChangeDateTime` seen (in the entity set's own type). While a
 * delta is being paged through (`after` set: the sort literals of the last order read), the next
 * read continues exactly there; once it is complete the next delta starts `overlapMs` before the
 * latest stamp, so a change committed late with an earlier stamp is still seen (the core drops
 * what comes again unchanged). `refreshed` says when each snapshot was last read in full;
 * `sweepAfter` is how far the check for vanished orders got through the linked orders.
 */
import type { SnapshotKind } from './config.ts';
import type { StampFormat } from './odata-values.ts';
import type { After } from './paging.ts';

export interface DeltaMark {
  readonly ms: number;
  readonly format: StampFormat;
  readonly after: After;
}

export interface SapCursor {
  readonly v: 1;
  readonly orders: DeltaMark | null;
  readonly refreshed: Readonly<Partial<Record<SnapshotKind, number>>>;
  readonly sweepAfter: string | null;
}

export const EMPTY_CURSOR: SapCursor = { v: 1, orders: null, refreshed: {}, sweepAfter: null };

/** An unreadable cursor starts over: everything is read again, and the core drops what did not change. */
export function parseCursor(text: string | null): SapCursor {
  if (text === null) return EMPTY_CURSOR;
  try {
    const value = JSON.parse(text) as Partial<SapCursor>;
    if (value.v !== 1) return EMPTY_CURSOR;
    const orders = value.orders;
    const validOrders = orders != null && typeof orders.ms === 'number' && (orders.format === 'timestamp14' || orders.format === 'datetimeoffset')
      && (orders.after === null || (Array.isArray(orders.after) && orders.after.every((a) => typeof a === 'string')));
    return {
      v: 1,
      orders: validOrders ? { ms: orders.ms, format: orders.format, after: orders.after } : null,
      refreshed: typeof value.refreshed === 'object' && value.refreshed !== null ? value.refreshed : {},
      sweepAfter: typeof value.sweepAfter === 'string' ? value.sweepAfter : null,
    };
  } catch {
    return EMPTY_CURSOR;
  }
}

export function serializeCursor(cursor: SapCursor): string {
  return JSON.stringify(cursor);
}

/** Whether a snapshot is due again. */
export function due(cursor: SapCursor, kind: SnapshotKind, everyMs: number, now: number): boolean {
  const last = cursor.refreshed[kind];
  return last === undefined || now - last >= everyMs;
}
