/**
 * An ERP connector: how takt meets one ERP for one plant. The rest of takt sees only this file.
 *
 * - Inbound, `read`: what changed in the ERP since the stored cursor (the ERP's own change
 *   stamps), mapped to takt's canonical events (`sync/ingest/schemas.ts`): units converted,
 *   status codes mapped, and with each record the ERP's reference for the way back. The core
 *   (`inbound.ts`) applies the records through the one ingest path, drops those whose canonical
 *   content did not change (an echo of takt's own write-back starts no plan run), and commits
 *   the links and the new cursor with the events.
 * - Outbound, `write`: one order's planned dates (per order and per operation) and priority,
 *   as far as the ERP can hold them; guarded by the change stamp of the snapshot takt planned
 *   from and by the ERP's own status at write time.
 * - `project`: what the ERP would hold after writing a payload (its granularity: dates only,
 *   minutes, a priority level). A write is due only when that differs from what the ERP holds.
 */
import type { EventType } from '../ingest/schemas.ts';
import type { Source } from '../ports.ts';
import type { WritebackPayload } from '../writeback/payload.ts';

/** What takt keeps per ERP object it has read: the way back, the last stamp seen, what the ERP holds. */
export interface ErpLink {
  /** The canonical object: `work_order`, `item`, `receipt`, `lot`, … and its takt id. */
  readonly kind: string;
  readonly key: string;
  /** The ERP's reference (connector-defined JSON), e.g. `{ "production": 12, "works": { "10": 40 } }`. */
  readonly ref: unknown;
  /** The ERP's change stamp as last seen (read, or read back after takt's own write). */
  readonly stamp: string | null;
  /** The write-back values the ERP holds as last seen, in the shape `project` returns. */
  readonly held: unknown;
  /** What takt is writing and has not seen confirmed (null when nothing is in flight): reading it back is takt's own echo. */
  readonly pending: unknown;
  /** What the connector wants to remember about the object between reads. */
  readonly memo: unknown;
}

/** One ERP object as a canonical event, with what the core keeps in its link. */
export interface ErpRecord {
  readonly type: EventType;
  /** Default `erp`; stock per lot is `wms`, shop-floor progress `mes`. */
  readonly source?: Source;
  readonly data: Readonly<Record<string, unknown>>;
  readonly ref?: unknown;
  readonly stamp?: string | null;
  readonly held?: unknown;
  readonly memo?: unknown;
  /** When the ERP changed it (ms since the epoch); event versions are derived from it. */
  readonly changedAt: number;
}

/** The links of this connection, as stored when the read began. */
export interface LinkIndex {
  get(kind: string, key: string): ErpLink | undefined;
  /** Every key of a kind (to find objects deleted in the ERP, which leave no trace there). */
  keys(kind: string): readonly string[];
  /** Objects whose last read was not applied (it raced takt's own write): read them again. */
  refresh(kind: string): readonly ErpLink[];
}

export interface ReadRequest {
  /** The connector's own cursor as it last returned it; null before the first read. */
  readonly cursor: string | null;
  readonly links: LinkIndex;
  /** Wall clock (ms). */
  readonly now: number;
  /** Whether takt has the plant already (a connector may create it from the ERP's company once). */
  readonly plantExists: boolean;
}

export type ReadOutcome =
  | {
    readonly kind: 'changes';
    /** In dependency order: items and work centers before the orders that name them. */
    readonly records: readonly ErpRecord[];
    readonly cursor: string;
    /** There is more to read right now (a page limit was hit). */
    readonly more: boolean;
  }
  | { readonly kind: 'unavailable'; readonly reason: string; readonly retryAfterMs: number | null };

export interface ErpInbound {
  read(request: ReadRequest): Promise<ReadOutcome>;
}

export interface WriteRequest {
  readonly payload: WritebackPayload;
  /** The order's link as of the snapshot the schedule was planned from; null: not read from this ERP. */
  readonly basis: ErpLink | null;
}

export type WriteOutcome =
  /** Written (or the ERP held it already); `held`/`stamp` as the ERP has them now, for the link. */
  | { readonly kind: 'written'; readonly held: unknown; readonly stamp: string | null; readonly calls: number }
  /** The order changed in the ERP after the snapshot: not overwritten; re-read and re-plan. */
  | { readonly kind: 'conflict'; readonly reason: string }
  /** Done, closed, cancelled or locked in the ERP as read at write time: never written. */
  | { readonly kind: 'closed'; readonly reason: string }
  /** Down, slow, throttled: try again (honouring `retryAfterMs`). */
  | { readonly kind: 'retry'; readonly reason: string; readonly status: number | null; readonly retryAfterMs: number | null }
  /** The ERP refused the data; the same write will fail again. */
  | { readonly kind: 'rejected'; readonly reason: string; readonly status: number | null };

export interface ErpOutbound {
  write(request: WriteRequest): Promise<WriteOutcome>;
  /**
   * What the ERP would hold after `write(payload)`, comparable (as JSON) with `ErpLink.held`;
   * `basis` (the order's link) says what exists there to hold it (e.g. which operations).
   */
  project(payload: WritebackPayload, basis: ErpLink | null): unknown;
}

export interface ErpConnector extends ErpInbound, ErpOutbound {
  /** `tryton`, `odoo`, `sap`. */
  readonly kind: string;
  /** The connection's name: the key of its cursor and links, the prefix of its event ids. */
  readonly name: string;
  /** The takt plant this connection feeds. */
  readonly plant: string;
  /** Whether `read` is used (false: write-back only). */
  readonly inbound: boolean;
  /** Whether `write` is used (false: read only). */
  readonly outbound: boolean;
  /**
   * Whether `read` reads again what `LinkIndex.refresh` names: then a read that raced a
   * write-back is applied but for those objects; else it is read again whole.
   */
  readonly refreshes?: boolean;
  close?(): Promise<void>;
}
