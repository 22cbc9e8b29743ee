/** The inbox: every event accepted or found stale, keyed by (source, id) for idempotency. */
import { toJson, type Db, type InboxOutcome } from './database.ts';

export interface InboxEntry {
  readonly source: string;
  readonly eventId: string;
  readonly type: string;
  readonly plant: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly payload: unknown;
  readonly outcome: InboxOutcome;
  readonly keyId: string | null;
}

/** The identity of an inbox row, as one string: `source` and `id` never contain a NUL. */
export function inboxKey(source: string, eventId: string): string {
  return `${source}\u0000${eventId}`;
}

function toRow(entry: InboxEntry) {
  return {
    source: entry.source,
    event_id: entry.eventId,
    type: entry.type,
    plant: entry.plant,
    version: entry.version,
    occurred_at: entry.occurredAt,
    payload: toJson(entry.payload),
    outcome: entry.outcome,
    key_id: entry.keyId,
  };
}

/** False when (source, id) is already in the inbox: a duplicate. Concurrent inserts wait for each other. */
export async function insertInboxEntry(db: Db, entry: InboxEntry): Promise<boolean> {
  return (await insertInboxEntries(db, [entry])).size === 1;
}

/**
 * Inserts the entries (distinct keys) in one statement and answers the keys (`inboxKey`) that
 * were new; the others are duplicates. Rows go in key order so that two concurrent batches
 * take the row locks in the same order and cannot deadlock on each other.
 */
export async function insertInboxEntries(db: Db, entries: readonly InboxEntry[]): Promise<ReadonlySet<string>> {
  if (entries.length === 0) return new Set();
  const sorted = [...entries].sort((a, b) => compareKeys(inboxKey(a.source, a.eventId), inboxKey(b.source, b.eventId)));
  const inserted = await db.insertInto('inbox')
    .values(sorted.map(toRow))
    .onConflict((oc) => oc.columns(['source', 'event_id']).doNothing())
    .returning(['source', 'event_id'])
    .execute();
  return new Set(inserted.map((r) => inboxKey(r.source, r.event_id)));
}

export interface InboxId {
  readonly source: string;
  readonly eventId: string;
}

/** The stored events of these ids, by `inboxKey`. */
export async function inboxPayloads(db: Db, ids: readonly InboxId[]): Promise<Map<string, unknown>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('inbox').select(['source', 'event_id', 'payload'])
    .where((eb) => eb(eb.refTuple('source', 'event_id'), 'in', ids.map((id) => eb.tuple(id.source, id.eventId))))
    .execute();
  return new Map(rows.map((r) => [inboxKey(r.source, r.event_id), r.payload]));
}

/** Removes rows this transaction wrote for events it then rejected. */
export async function deleteInboxEntries(db: Db, ids: readonly InboxId[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('inbox')
    .where((eb) => eb(eb.refTuple('source', 'event_id'), 'in', ids.map((id) => eb.tuple(id.source, id.eventId))))
    .execute();
}

export async function setInboxOutcome(db: Db, source: string, eventId: string, outcome: InboxOutcome): Promise<void> {
  await setInboxOutcomes(db, [{ source, eventId }], outcome);
}

export async function setInboxOutcomes(db: Db, ids: readonly InboxId[], outcome: InboxOutcome): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('inbox').set({ outcome })
    .where((eb) => eb(eb.refTuple('source', 'event_id'), 'in', ids.map((id) => eb.tuple(id.source, id.eventId))))
    .execute();
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function countInbox(db: Db, plant?: string): Promise<number> {
  let query = db.selectFrom('inbox').select((eb) => eb.fn.countAll<number>().as('n'));
  if (plant !== undefined) query = query.where('plant', '=', plant);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Latest received event per (source, plant), for sync status. */
export async function lastEventPerSource(db: Db): Promise<readonly { readonly source: string; readonly plant: string; readonly lastReceivedAt: Date; readonly lastOccurredAt: Date }[]> {
  const rows = await db.selectFrom('inbox')
    .select((eb) => ['source', 'plant', eb.fn.max('received_at').as('last_received_at'), eb.fn.max('occurred_at').as('last_occurred_at')])
    .groupBy(['source', 'plant']).orderBy('source').orderBy('plant').execute();
  return rows.map((r) => ({ source: r.source, plant: r.plant, lastReceivedAt: new Date(r.last_received_at), lastOccurredAt: new Date(r.last_occurred_at) }));
}
