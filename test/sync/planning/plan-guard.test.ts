import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryLockPlant } from '../../../sync/planning/advisory-lock.ts';
import { localPlanGuard, postgresPlanGuard, type PlanGuard } from '../../../sync/planning/plan-guard.ts';
import { runPlan } from '../../../sync/planning/run-plan.ts';
import type { Database } from '../../../sync/store/database.ts';
import { openDatabase } from '../../../sync/store/open-database.ts';
import { ADMIN_URL, postgresBackend, withDatabase } from '../support/backends.ts';
import { NOW, seedPlant } from './plant-fixture.ts';
import { killHard, spawnFixture } from '../../support/processes.ts';

const HOLDER = new URL('./fixtures/hold-plan-claim.ts', import.meta.url);

describe('local plan guard', () => {
  it('gives a plant to one run at a time, and other plants meanwhile', async () => {
    const guard = localPlanGuard();
    const first = await guard.claim('P1');
    expect(first).not.toBeNull();
    expect(await guard.claim('P1')).toBeNull();
    const other = await guard.claim('P2');
    expect(other).not.toBeNull();
    await first!.release();
    await first!.release();
    const again = await guard.claim('P1');
    expect(again).not.toBeNull();
    // A second release of the old claim must not free the new one.
    expect(await guard.claim('P1')).toBeNull();
  });

  it('refuses a second run of a plant at once, before it reads or solves', async () => {
    const guard = localPlanGuard();
    const claim = await guard.claim('P1');
    const unusable = new Proxy({}, { get: () => { throw new Error('a refused run must not touch the database'); } }) as Kysely<Database>;
    expect(await runPlan(unusable, 'P1', { now: NOW, reason: 'test', guard })).toEqual({ status: 'busy', plant: 'P1' });
    await claim!.release();
  });
});

describe('PostgreSQL plan guard', () => {
  const backend = postgresBackend();
  let db: Kysely<Database>;
  let url: string;
  const others: Kysely<Database>[] = [];
  const guards: PlanGuard[] = [];
  /** A guard closed after the suite (it keeps a connection of its database's pool). */
  const guardOn = (on: Kysely<Database>): PlanGuard => {
    const guard = postgresPlanGuard(on);
    guards.push(guard);
    return guard;
  };
  /** Another process's database handle: its own pool on the same database. */
  async function otherProcess(): Promise<Kysely<Database>> {
    const other = await openDatabase({ databaseUrl: url, dataDir: ':memory:', poolSize: 2 });
    others.push(other);
    return other;
  }
  /** This process's guard: one per process, as the runtime has. */
  let here: PlanGuard;
  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db);
    const name = (await sql<{ db: string }>`select current_database() as db`.execute(db)).rows[0]!.db;
    url = withDatabase(ADMIN_URL, name);
    here = guardOn(db);
  });
  afterAll(async () => {
    for (const guard of guards) await guard.close();
    for (const other of others) await other.destroy().catch(() => undefined);
    await backend.close();
  });

  it('refuses a plant another process is planning, and gives it once that run ends', async () => {
    const there = guardOn(await otherProcess());
    const claim = await here.claim('P1');
    expect(claim).not.toBeNull();
    expect(await there.claim('P1')).toBeNull();
    const otherPlant = await there.claim('P2');
    expect(otherPlant).not.toBeNull();
    await otherPlant!.release();
    await claim!.release();
    const theirs = await there.claim('P1');
    expect(theirs).not.toBeNull();
    expect(await here.claim('P1')).toBeNull();
    await theirs!.release();
  });

  it('frees the plant when the process holding it is killed, without waiting for a lease', async () => {
    const { child, said } = await spawnFixture(HOLDER, [url, 'P1']);
    expect(said).toBe('claimed');
    expect(await here.claim('P1')).toBeNull();
    await killHard(child);
    const killedAt = Date.now();
    let claim = await here.claim('P1');
    while (claim === null && Date.now() - killedAt < 10_000) claim = await here.claim('P1');
    expect(claim).not.toBeNull();
    expect(Date.now() - killedAt).toBeLessThan(2_000);
    await claim!.release();
  });

  it('does not block the commit of the run that holds the claim', async () => {
    const claim = await here.claim('P1');
    const committed = await db.transaction().execute((trx) => tryLockPlant(trx, 'P1'));
    expect(committed).toBe(true);
    await claim!.release();
  });

  it('holds the claims of any number of plants on one connection, leaving the pool to the runs', async () => {
    const small = await otherProcess();
    const guard = guardOn(small);
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => guard.claim(`MANY-${i}`)));
    expect(claims.every((c) => c !== null)).toBe(true);
    // A pool of two: one for the claims, one still free for a run's reads and commit.
    expect((await sql<{ one: number }>`select 1 as one`.execute(small)).rows[0]?.one).toBe(1);
    for (const claim of claims) await claim!.release();
    expect(await guard.claim('MANY-0')).not.toBeNull();
  });

  it('opens a new session when its own is lost (the server restarted, say): its claims are gone with it', async () => {
    const guard = guardOn(await otherProcess());
    const lost = await guard.claim('LOST-1');
    expect(lost).not.toBeNull();
    // Ends every session that holds one of the guard's locks, as a restart of the server would.
    await sql`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and classid = ${0x746b726e} and pid <> pg_backend_pid()`.execute(db);
    // The run that held it ends: its release cannot unlock on a dead session, and need not.
    await lost!.release();
    const retry = async () => guard.claim('LOST-1').catch(() => 'failed' as const);
    let claim = await retry();
    // The first statement on the dead session may fail; the next opens a new one.
    if (claim === 'failed') claim = await retry();
    expect(claim).not.toBeNull();
    expect(claim).not.toBe('failed');
  });

  it('lets a run through the guard plan and leaves the plant free afterwards', async () => {
    expect(await runPlan(db, 'P1', { now: NOW, reason: 'test', guard: here, timeLimitMs: 0 })).toMatchObject({ status: 'planned' });
    const next = await here.claim('P1');
    expect(next).not.toBeNull();
    await next!.release();
  });
});
