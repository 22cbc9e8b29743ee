/**
 * Bulk replay of dead write-backs by filter, on PostgreSQL: the error text (its `%` and `_`
 * taken literally), the plant and the time range pick the letters; each is replayed once
 * (pending again, enqueued); a superseded one is refused and reported, not replayed.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErpOutbound } from '../../../sync/connectors/connector.ts';
import type { JobQueue } from '../../../sync/queue/job-queue.ts';
import type { Database } from '../../../sync/store/database.ts';
import { replayDeadLetter, replayDeadLetters } from '../../../sync/writeback/replay.ts';
import { createWritebackHandler } from '../../../sync/writeback/worker.ts';
import { seedPlant } from '../planning/plant-fixture.ts';
import { postgresBackend } from '../support/backends.ts';
import { insertOutboxRow } from './outbox-row.ts';

describe('bulk replay of dead write-backs (PostgreSQL)', () => {
  const backend = postgresBackend();
  let db: Kysely<Database>;
  const enqueued: string[] = [];
  const queue = { enqueueWriteback: async (id: string) => void enqueued.push(id) } as unknown as JobQueue;

  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db);
  });
  afterAll(() => backend.close());

  /** A dead letter of `workOrder` at `version`, refused by the ERP with `reason`. */
  async function dead(workOrder: string, version: number, reason: string): Promise<string> {
    const refusing: ErpOutbound = { project: (p) => p, write: async () => ({ kind: 'rejected', reason, status: 422 }) };
    const id = await insertOutboxRow(db, workOrder, version);
    expect(await createWritebackHandler({ db, adapter: refusing })(id)).toBe('dead');
    return (await db.selectFrom('dead_letters').select('id').where('key', '=', `P1:${workOrder}:v${version}`).executeTakeFirstOrThrow()).id;
  }
  const replayOne = (id: string) => replayDeadLetter(db, queue, id);

  it('replays what the filter matches, once, and reports what it cannot replay', async () => {
    const locked = [await dead('WO-1', 1, 'order is locked by MRP (100% booked)'), await dead('WO-2', 1, 'order is locked by MRP (100% booked)')];
    const other = await dead('WO-3', 1, 'unit of measure unknown');
    // `%` is a character of the message, not a wildcard: "100_ booked" matches nothing.
    expect(await replayDeadLetters(db, { error: '100_ booked' }, replayOne)).toEqual({ matched: 0, requeued: 0, refused: [] });
    expect(await replayDeadLetters(db, { error: 'plant P2' }, replayOne)).toEqual({ matched: 0, requeued: 0, refused: [] });

    const replayed = await replayDeadLetters(db, { error: '100% booked', plant: 'P1', kind: 'writeback' }, replayOne);
    expect(replayed).toEqual({ matched: 2, requeued: 2, refused: [] });
    expect(enqueued).toHaveLength(2);
    for (const id of locked) expect((await db.selectFrom('dead_letters').select('replayed_at').where('id', '=', id).executeTakeFirstOrThrow()).replayed_at).not.toBeNull();
    const rows = await db.selectFrom('outbox').select(['work_order', 'status', 'attempts']).where('work_order', 'in', ['WO-1', 'WO-2']).orderBy('work_order').execute();
    expect(rows).toEqual([{ work_order: 'WO-1', status: 'pending', attempts: 0 }, { work_order: 'WO-2', status: 'pending', attempts: 0 }]);
    // Replayed letters are not matched again; the other one is untouched.
    expect(await replayDeadLetters(db, { error: '100% booked' }, replayOne)).toEqual({ matched: 0, requeued: 0, refused: [] });
    expect((await db.selectFrom('dead_letters').select('replayed_at').where('id', '=', other).executeTakeFirstOrThrow()).replayed_at).toBeNull();
  });

  it('picks by time and refuses a letter a newer write-back of its order superseded', async () => {
    const old = await dead('WO-3', 2, 'timeout at the gateway');
    await insertOutboxRow(db, 'WO-3', 3);
    const until = new Date(Date.now() + 60_000).toISOString();
    expect(await replayDeadLetters(db, { since: until }, replayOne)).toMatchObject({ matched: 0 });
    const result = await replayDeadLetters(db, { error: 'gateway', until }, replayOne);
    expect(result).toEqual({ matched: 1, requeued: 0, refused: [{ id: old, code: 'superseded', message: 'order WO-3 has a newer write-back than version 2' }] });
  });
});
