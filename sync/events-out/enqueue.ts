/**
 * The publish hook: the events of a newly published schedule version become delivery rows, one
 * per (matching subscription, event), in the transaction that publishes the version, so the
 * events exist if and only if the publication does. The dispatchers send them after the commit.
 */
import { sql } from 'kysely';
import type { SolveResult } from '../../scheduler/result.ts';
import { toIso, toJson, type Db } from '../store/database.ts';
import { publicationEvents } from './publication-events.ts';
import { hasSubscribers } from './subscriptions.ts';

/** A published schedule version as the hook needs it (a `StoredScheduleVersion` is one). */
export interface PublishedVersion {
  readonly version: number;
  readonly result: SolveResult;
}

export interface EnqueueReport {
  readonly events: number;
  /** Rows written (an event already enqueued for a subscriber is not enqueued again). */
  readonly deliveries: number;
}

const CHUNK = 1_000;

/**
 * Call this inside the transaction that publishes `currentPublished` for `plant`: a plan run's
 * commit when the plant publishes automatically, or a planner's approval of a proposed version.
 * `previousPublished` is the version published before it (`latestPublishedBefore`), not merely
 * the one before: receivers compare with what they last saw. Cheap: one indexed lookup when no
 * subscription takes the plant's events; else one read of the short orders' releases and one
 * set-based INSERT … SELECT per thousand events (subscriptions × events done by the database).
 * Idempotent: publishing (or calling this for) the same version again enqueues nothing new.
 */
export async function enqueuePublicationEvents(
  trx: Db,
  plant: string,
  previousPublished: PublishedVersion | null,
  currentPublished: PublishedVersion,
  now: Date,
): Promise<EnqueueReport> {
  if (!(await hasSubscribers(trx, plant))) return { events: 0, deliveries: 0 };
  const releases = await releasesOfShortOrders(trx, plant, currentPublished.result);
  const events = publicationEvents(
    plant, previousPublished?.result ?? null, currentPublished.result, currentPublished.version, now.toISOString(),
    { releaseOf: (workOrder) => releases.get(workOrder) },
  );
  let deliveries = 0;
  const at = now.toISOString();
  for (let i = 0; i < events.length; i += CHUNK) {
    const chunk = toJson(events.slice(i, i + CHUNK));
    const inserted = await sql<{ id: string }>`
      insert into webhook_deliveries (id, subscription, event_id, type, plant, payload, status, attempts, next_attempt_at, retry_window_from, created_at)
      select gen_random_uuid()::text, s.id, e.value->>'id', e.value->>'type', ${plant}, e.value, 'pending', 0,
             ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
      from webhook_subscriptions s cross join jsonb_array_elements(${chunk}::jsonb) as e(value)
      where s.active
        and (s.plants is null or s.plants @> jsonb_build_array(${plant}::text))
        and (s.event_types is null or s.event_types @> jsonb_build_array(e.value->>'type'))
      on conflict (subscription, event_id) do nothing
      returning id`.execute(trx);
    deliveries += inserted.rows.length;
  }
  return { events: events.length, deliveries };
}

/**
 * The plant's published version before `version` (null: none), the `previousPublished` of the
 * hook. Proposed, discarded and superseded versions in between are skipped: no receiver saw them.
 */
export async function latestPublishedBefore(db: Db, plant: string, version: number): Promise<PublishedVersion | null> {
  const row = await db.selectFrom('schedule_versions').select(['version', 'result'])
    .where('plant', '=', plant).where('state', '=', 'published').where('version', '<', version)
    .orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? null : { version: row.version, result: row.result as SolveResult };
}

/** Releases of the orders short of material: an unscheduled order's material is needed by then, not now. */
async function releasesOfShortOrders(db: Db, plant: string, result: SolveResult): Promise<ReadonlyMap<string, string>> {
  const ids = [...new Set(result.problems.flatMap((p) => (p.type === 'shortage' ? [p.workOrder] : [])))];
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('work_orders').select(['id', 'release_at'])
      .where('plant', '=', plant).where('id', 'in', ids.slice(i, i + CHUNK)).where('release_at', 'is not', null).execute();
    for (const r of rows) if (r.release_at !== null) out.set(r.id, toIso(r.release_at));
  }
  return out;
}
