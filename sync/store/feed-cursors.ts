/** Change-feed positions; advanced in the same transaction that applies the feed's events. */
import type { Db } from './database.ts';

export async function listFeedCursors(db: Db): Promise<readonly { readonly source: string; readonly feed: string; readonly cursor: string | null; readonly updated_at: Date }[]> {
  return db.selectFrom('feed_cursors').selectAll().orderBy('source').orderBy('feed').execute();
}

export async function getFeedCursor(db: Db, source: string, feed: string): Promise<string | null> {
  const row = await db.selectFrom('feed_cursors').select('cursor')
    .where('source', '=', source).where('feed', '=', feed).executeTakeFirst();
  return row?.cursor ?? null;
}

/**
 * The cursor, locked until the transaction ends, so that two pollers of one feed cannot both
 * apply a page and move the cursor back and forth. Must run inside a transaction.
 */
export async function lockFeedCursor(trx: Db, source: string, feed: string): Promise<string | null> {
  await trx.insertInto('feed_cursors').values({ source, feed, cursor: null })
    .onConflict((oc) => oc.columns(['source', 'feed']).doNothing()).execute();
  const row = await trx.selectFrom('feed_cursors').select('cursor')
    .where('source', '=', source).where('feed', '=', feed).forUpdate().executeTakeFirstOrThrow();
  return row.cursor;
}

export async function setFeedCursor(db: Db, source: string, feed: string, cursor: string | null): Promise<void> {
  await db.insertInto('feed_cursors').values({ source, feed, cursor })
    .onConflict((oc) => oc.columns(['source', 'feed']).doUpdateSet({ cursor, updated_at: new Date() }))
    .execute();
}

/**
 * Takes (or renews) the lease on reading a source: true when `owner` holds it until
 * `now + ttlMs`. Another worker's unexpired lease keeps it out; an expired one is taken over.
 */
export async function claimFeedLease(db: Db, source: string, feed: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
  await db.insertInto('feed_cursors').values({ source, feed, cursor: null })
    .onConflict((oc) => oc.columns(['source', 'feed']).doNothing()).execute();
  const claimed = await db.updateTable('feed_cursors')
    .set({ lease_owner: owner, lease_until: new Date(now.getTime() + ttlMs) })
    .where('source', '=', source).where('feed', '=', feed)
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) > 0;
}

/** Gives the lease up (a worker stopping), so another takes over at once. */
export async function releaseFeedLease(db: Db, source: string, feed: string, owner: string): Promise<void> {
  await db.updateTable('feed_cursors').set({ lease_owner: null, lease_until: null })
    .where('source', '=', source).where('feed', '=', feed).where('lease_owner', '=', owner).execute();
}
