/**
 * The feed cursor commits with the page's events, in one transaction: if the cursor cannot be
 * written, the page's events are not kept either (they come again with the page), and ingest
 * given a caller's transaction leaves the commit to it. PostgreSQL, with a trigger that makes
 * the cursor write fail on demand.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollOnce, type FeedConfig } from '../../../sync/feeds/feed-poller.ts';
import { ingestEvents } from '../../../sync/ingest/ingest-events.ts';
import type { Db } from '../../../sync/store/database.ts';
import { getFeedCursor } from '../../../sync/store/feed-cursors.ts';
import { countInbox } from '../../../sync/store/inbox.ts';
import { getPlantState } from '../../../sync/store/plant-state.ts';
import { listWorkOrders } from '../../../sync/store/work-orders.ts';
import { startEventFeed, type EventFeed } from '../../support/event-feed.ts';
import { postgresBackend } from '../support/backends.ts';
import { event, everySource, smallPlant } from '../support/events.ts';

const workOrder = (id: string, quantity: number) => ({
  id, item: 'PUMP', quantity, due: '2026-11-30T16:00:00Z',
  operations: [{ id: '10', modes: [{ workCenter: 'CNC', runMinutesPerUnit: 5 }] }],
});

describe('feed cursor and events in one transaction (PostgreSQL)', () => {
  const backend = postgresBackend();
  let db: Db;
  let feed: EventFeed;
  let config: FeedConfig;

  beforeAll(async () => {
    db = await backend.open();
    await ingestEvents(db, smallPlant('P1'), everySource);
    feed = await startEventFeed();
    config = { name: 'erp-tx', source: 'erp', url: feed.url, limit: 10, timeoutMs: 2_000 };
    await sql`create function takt_test_refuse_cursor() returns trigger language plpgsql as $$
      begin raise exception 'cursor store unavailable'; end $$`.execute(db);
  });
  afterAll(async () => {
    await feed?.close();
    await backend.close();
  });

  const orders = async () => (await listWorkOrders(db, 'P1', { includeClosed: true })).map((o) => o.id).sort();

  it('a failed cursor write takes the page back; the next poll applies it as new', async () => {
    feed.push(
      event('work_order.upserted', workOrder('WO-T1', 3), { id: 'erp-t1' }),
      event('work_order.upserted', workOrder('WO-T2', 4), { id: 'erp-t2' }),
      // A rejected event: its dead letter must not outlive the rolled-back page either.
      event('work_order.upserted', { ...workOrder('WO-T3', 1), item: 'NOPE' }, { id: 'erp-t3' }),
    );
    const inboxBefore = await countInbox(db);
    const generationBefore = (await getPlantState(db, 'P1'))?.generation;
    await sql`create trigger refuse before insert or update on feed_cursors for each row execute function takt_test_refuse_cursor()`.execute(db);
    await expect(pollOnce(db, config, null)).rejects.toThrow(/cursor store unavailable/);
    expect(await countInbox(db)).toBe(inboxBefore);
    expect(await orders()).toEqual(['WO1']);
    expect(await getFeedCursor(db, 'erp', 'erp-tx')).toBeNull();
    expect((await getPlantState(db, 'P1'))?.generation).toBe(generationBefore);
    expect(await db.selectFrom('dead_letters').select('id').where('key', '=', 'erp:erp-t3').execute()).toHaveLength(0);

    await sql`drop trigger refuse on feed_cursors`.execute(db);
    const outcome = await pollOnce(db, config, null);
    expect(outcome).toMatchObject({ kind: 'applied', cursor: '3', dirtyPlants: ['P1'] });
    if (outcome.kind === 'applied') expect(outcome.outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'rejected']);
    expect(await orders()).toEqual(['WO-T1', 'WO-T2', 'WO1']);
    expect(await getFeedCursor(db, 'erp', 'erp-tx')).toBe('3');
    expect(await db.selectFrom('dead_letters').select('id').where('key', '=', 'erp:erp-t3').execute()).toHaveLength(1);
  });

  it('ingest inside a caller\'s transaction commits and rolls back with it', async () => {
    const kept = event('work_order.upserted', workOrder('WO-K', 2), { id: 'erp-kept' });
    const dropped = event('work_order.upserted', workOrder('WO-D', 2), { id: 'erp-dropped' });
    await expect(db.transaction().execute(async (trx) => {
      const report = await ingestEvents(trx, [dropped], everySource);
      expect(report.outcomes.map((o) => o.status)).toEqual(['accepted']);
      throw new Error('caller gives up');
    })).rejects.toThrow('caller gives up');
    expect(await orders()).not.toContain('WO-D');
    expect(await db.selectFrom('inbox').select('event_id').where('event_id', '=', 'erp-dropped').execute()).toHaveLength(0);

    const report = await db.transaction().execute(async (trx) => {
      const inside = await ingestEvents(trx, [kept, dropped, { ...kept }], everySource);
      // Visible inside the caller's transaction before it commits.
      expect(await trx.selectFrom('work_orders').select('id').where('id', '=', 'WO-K').execute()).toHaveLength(1);
      return inside;
    });
    expect(report.outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'duplicate']);
    expect(await orders()).toEqual(expect.arrayContaining(['WO-K', 'WO-D']));
  });
});
