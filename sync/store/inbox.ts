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

/** False when (source, id) is already in the inbox: a duplicate. Concurrent inserts wait for each other. */
export async function insertInboxEntry(db: Db, entry: InboxEntry): Promise<boolean> {
  const inserted = await db.insertInto('inbox')
    .values({
      source: entry.source,
      event_id: entry.eventId,
      type: entry.type,
      plant: entry.plant,
      version: entry.version,
      occurred_at: entry.occurredAt,
      payload: toJson(entry.payload),
      outcome: entry.outcome,
      key_id: entry.keyId,
    })
    .onConflict((oc) => oc.columns(['source', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function setInboxOutcome(db: Db, source: string, eventId: string, outcome: InboxOutcome): Promise<void> {
  await db.updateTable('inbox').set({ outcome }).where('source', '=', source).where('event_id', '=', eventId).execute();
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
