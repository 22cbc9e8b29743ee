/** Change-feed positions; advanced in the same transaction that applies the feed's events. */
import type { Db } from './database.ts';

export async function getFeedCursor(db: Db, source: string, feed: string): Promise<string | null> {
  const row = await db.selectFrom('feed_cursors').select('cursor')
    .where('source', '=', source).where('feed', '=', feed).executeTakeFirst();
  return row?.cursor ?? null;
}

export async function setFeedCursor(db: Db, source: string, feed: string, cursor: string | null): Promise<void> {
  await db.insertInto('feed_cursors').values({ source, feed, cursor })
    .onConflict((oc) => oc.columns(['source', 'feed']).doUpdateSet({ cursor, updated_at: new Date() }))
    .execute();
}
