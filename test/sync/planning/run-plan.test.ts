import type { Kysely } from 'kysely';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritebackPayload } from '../../../sync/writeback/payload.ts';
import { plantLockKey, tryLockPlant } from '../../../sync/planning/advisory-lock.ts';
import { runPlan } from '../../../sync/planning/run-plan.ts';
import type { Database } from '../../../sync/store/database.ts';
import { getPlantState, markPlantsDirty } from '../../../sync/store/plant-state.ts';
import { upsertWorkOrder } from '../../../sync/store/work-orders.ts';
import { ADMIN_URL, backends, withDatabase } from '../support/backends.ts';
import { NOW, order, seedPlant } from './plant-fixture.ts';

const run = (db: Kysely<Database>, reason = 'test') => runPlan(db, 'P1', { now: NOW, timeLimitMs: 0, reason });

async function outbox(db: Kysely<Database>, version: number) {
  return db.selectFrom('outbox').selectAll().where('schedule_version', '=', version).orderBy('work_order').execute();
}

describe.each(backends)('runPlan on $name', (makeBackend) => {
  const backend = makeBackend();
  let db: Kysely<Database>;
  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db, 'P1', [order('WO-1', 60, 3), order('WO-2', 90, 2), order('WO-3', 30, 1), order('WO-9', 30, 1, 'closed')]);
  });
  afterAll(async () => { await backend.close(); });

  it('takes the plant lock with pg_try_advisory_xact_lock', async () => {
    expect(await db.transaction().execute((trx) => tryLockPlant(trx, 'P1'))).toBe(true);
    expect(plantLockKey('P1')).toBe(plantLockKey('P1'));
    expect(plantLockKey('P1')).not.toBe(plantLockKey('P2'));
  });

  it('writes version 1 with a write-back per planned open order, and clears the dirty flag', async () => {
    await markPlantsDirty(db, ['P1']);
    const outcome = await run(db);
    expect(outcome).toMatchObject({ status: 'planned', version: 1, stillDirty: false });
    const rows = await outbox(db, 1);
    expect(rows.map((r) => r.work_order)).toEqual(['WO-1', 'WO-2', 'WO-3']);
    const payload = rows[0]?.payload as WritebackPayload;
    expect(rows[0]?.idempotency_key).toBe('P1:WO-1:v1');
    expect(payload).toMatchObject({ plant: 'P1', workOrder: 'WO-1', scheduleVersion: 1, idempotencyKey: 'P1:WO-1:v1' });
    expect(payload.operations).toEqual([expect.objectContaining({ operation: '10', workCenter: 'CNC' })]);
    expect(Date.parse(payload.plannedEnd) - Date.parse(payload.plannedStart)).toBe(60 * 60_000);
    expect((await getPlantState(db, 'P1'))?.dirty).toBe(false);
    expect((await getPlantState(db, 'P1'))?.lastVersion).toBe(1);
  });

  it('writes no write-back when nothing moved', async () => {
    const outcome = await run(db);
    expect(outcome).toMatchObject({ status: 'planned', version: 2 });
    expect(await outbox(db, 2)).toEqual([]);
  });

  it('writes back only the orders whose dates or rank changed, superseding their pending rows', async () => {
    // WO-3 becomes the most urgent: it moves first, the others move later by its 30 minutes.
    await upsertWorkOrder(db, 'P1', order('WO-3', 30, 10));
    await markPlantsDirty(db, ['P1']);
    const outcome = await run(db);
    expect(outcome).toMatchObject({ status: 'planned', version: 3 });
    const rows = await outbox(db, 3);
    expect(rows.map((r) => r.work_order).sort()).toEqual(['WO-1', 'WO-2', 'WO-3']);
    const older = await db.selectFrom('outbox').select(['status', 'last_error']).where('schedule_version', '=', 1).execute();
    expect(older.every((r) => r.status === 'skipped' && r.last_error === 'superseded by version 3')).toBe(true);

    // Only WO-2 changes: a longer run pushes nothing else (it is last), so only it is written.
    await upsertWorkOrder(db, 'P1', order('WO-2', 120, 2));
    const next = await run(db);
    expect(next).toMatchObject({ status: 'planned', version: 4 });
    expect((await outbox(db, 4)).map((r) => r.work_order)).toEqual(['WO-2']);
  });

  it('reports an unknown plant', async () => {
    expect(await runPlan(db, 'nope', { now: NOW, timeLimitMs: 0, reason: 'x' })).toEqual({ status: 'unknown-plant', plant: 'nope' });
  });
});

describe('runPlan on PostgreSQL under concurrency', () => {
  const backend = backends[1]!();
  let db: Kysely<Database>;
  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db);
  });
  afterAll(async () => { await backend.close(); });

  it('answers busy while another session holds the plant lock', async () => {
    const url = (await sql<{ db: string }>`select current_database() as db`.execute(db)).rows[0]?.db;
    const client = new pg.Client({ connectionString: withDatabase(ADMIN_URL, url!) });
    await client.connect();
    try {
      await client.query('begin');
      const held = await client.query('select pg_try_advisory_xact_lock($1::int4, $2::int4) as ok', [0x74616b74, plantLockKey('P1')]);
      expect(held.rows[0].ok).toBe(true);
      expect(await run(db)).toEqual({ status: 'busy', plant: 'P1' });
      await client.query('commit');
      expect(await run(db)).toMatchObject({ status: 'planned', version: 1 });
    } finally {
      await client.end();
    }
  });

  it('keeps the plant dirty when a change commits during the run', async () => {
    await markPlantsDirty(db, ['P1']);
    // A change that commits while the run solves: the run's generation is stale at its end.
    const concurrent = db.transaction().execute(async (trx) => {
      await sql`select pg_sleep(0.05)`.execute(trx);
      await markPlantsDirty(trx, ['P1']);
    });
    const [outcome] = await Promise.all([
      runPlan(db, 'P1', { now: NOW, timeLimitMs: 300, reason: 'race' }),
      concurrent,
    ]);
    expect(outcome).toMatchObject({ status: 'planned', stillDirty: true });
    expect((await getPlantState(db, 'P1'))?.dirty).toBe(true);
  });
});
