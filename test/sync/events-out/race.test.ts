/**
 * Dispatchers of two worker processes (two connection pools, two loops each) over the same rows:
 * the claim (FOR UPDATE SKIP LOCKED and a lease) lets each row go out once.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookAdmin } from '../../../sync/events-out/admin.ts';
import { createWebhookDispatch, startWebhookDispatcher } from '../../../sync/events-out/dispatcher.ts';
import { enqueuePublicationEvents } from '../../../sync/events-out/enqueue.ts';
import type { Database } from '../../../sync/store/database.ts';
import { openDatabase } from '../../../sync/store/open-database.ts';
import { upsertPlant } from '../../../sync/store/plants.ts';
import { ADMIN_URL, postgresBackend } from '../support/backends.ts';
import { waitFor } from '../queue/queue-backends.ts';
import { order, result } from './results.ts';
import { startReceiver, type Receiver } from './receiver.ts';

describe('two worker processes dispatching the same rows (PostgreSQL)', () => {
  const backend = postgresBackend();
  let db: Kysely<Database>;
  let other: Kysely<Database>;
  let receiver: Receiver;

  beforeAll(async () => {
    db = await backend.open();
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${rows[0]!.name}`;
    other = await openDatabase({ databaseUrl: url.toString(), dataDir: ':memory:', poolSize: 4 });
    await upsertPlant(db, { id: 'P1', timeZone: 'UTC' });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await other.destroy();
    await backend.close();
  });

  it('delivers every event once to every subscriber', async () => {
    const secrets: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const created = await createWebhookAdmin(db).createSubscription({ url: `${receiver.url}?s=${i}` });
      if (!created.ok) throw new Error(created.message);
      secrets.push(created.value.secret);
    }
    receiver.trust(secrets);
    // Answers take a while: claims of the other dispatchers come in while rows are in flight.
    receiver.respond(() => ({ status: 200, delayMs: Math.floor(Math.random() * 8) }));
    const late = result({ orders: Array.from({ length: 99 }, (_, i) => order(`WO-${i}`, 10)) });
    await enqueuePublicationEvents(db, 'P1', null, { version: 1, result: late }, new Date());
    const expected = (await db.selectFrom('webhook_deliveries').select(['subscription', 'event_id']).execute());
    expect(expected).toHaveLength(300);

    const options = { intervalMs: 5, concurrency: 4 } as const;
    const loops = [
      startWebhookDispatcher({ db, ...options }), startWebhookDispatcher({ db, ...options }),
      startWebhookDispatcher({ db: other, ...options }), startWebhookDispatcher({ db: other, ...options }),
    ];
    // And single rounds fired at once from both processes, for claims that meet head on.
    const rounds = [createWebhookDispatch({ db, concurrency: 16 }), createWebhookDispatch({ db: other, concurrency: 16 })];
    await Promise.all(Array.from({ length: 6 }, (_, i) => rounds[i % 2]!()));
    try {
      await waitFor(async () => {
        const pending = await db.selectFrom('webhook_deliveries').select('id').where('status', '!=', 'delivered').executeTakeFirst();
        return pending === undefined;
      }, 20_000, 'every row delivered');
    } finally {
      await Promise.all(loops.map((l) => l.stop()));
    }

    // Per (subscriber, event): one request, and so one acceptance.
    const perSubscriberEvent = new Map<string, number>();
    for (const r of receiver.requests) {
      expect(r.signatureOk).toBe(true);
      const key = `${r.url}|${r.eventId}`;
      perSubscriberEvent.set(key, (perSubscriberEvent.get(key) ?? 0) + 1);
    }
    expect(perSubscriberEvent.size).toBe(300);
    expect([...perSubscriberEvent.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.requests).toHaveLength(300);
    const rows = await db.selectFrom('webhook_deliveries').select(['attempts', 'status']).execute();
    expect(rows.every((r) => r.attempts === 1 && r.status === 'delivered')).toBe(true);
    // Each event id reached each of the three subscribers once.
    expect([...receiver.accepted.values()].every((n) => n === 3)).toBe(true);
    expect(receiver.accepted.size).toBe(100);
  });
});
