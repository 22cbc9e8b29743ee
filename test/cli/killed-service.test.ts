/**
 * `takt start` on PostgreSQL and BullMQ, SIGKILLed in the middle of a plan run while a shop floor
 * keeps reporting breakdowns, then started again: the restarted process plans the changes at
 * once (not after BullMQ's 30 s lock on the killed job), and once the reports stop every one of
 * them has been planned (the plant ends clean).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../solver-bench/sync/scratch.ts';
import { openDatabase } from '../../sync/store/open-database.ts';
import { getPlantState } from '../../sync/store/plant-state.ts';
import { ADMIN_URL } from '../sync/support/backends.ts';
import { deleteKeys, REDIS_URL } from '../sync/queue/queue-backends.ts';
import { killHard, spawnTaktStart } from '../support/processes.ts';

const KEY = `takt_${randomBytes(16).toString('hex')}`;
const PLANT = 'MACH-1';

describe('takt start killed mid-run (PostgreSQL + BullMQ)', () => {
  const prefix = `takt-test-${randomBytes(6).toString('hex')}`;
  let scratch: ScratchDatabase;
  let server: ChildProcess | null = null;
  let url = '';

  function start(): Promise<string> {
    const started = spawnTaktStart({
      ...process.env, DATABASE_URL: scratch.url, REDIS_URL, TAKT_QUEUE_PREFIX: prefix, TAKT_ADMIN_KEY: KEY,
      PORT: '0', TAKT_DEMO: '1', LOG_LEVEL: 'silent', TAKT_TIME_LIMIT_MS: '1500',
    });
    server = started.child;
    return started.url;
  }

  const version = async (): Promise<number> => {
    const res = await fetch(`${url}/v1/plants/${PLANT}/schedule`, { headers: { authorization: `Bearer ${KEY}` } });
    return res.ok ? ((await res.json()) as { version: number }).version : 0;
  };

  let reports = 0;
  async function reportBreakdown(): Promise<void> {
    reports += 1;
    const now = new Date();
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{
        id: `bd-${prefix}-${reports}`, source: 'mes', type: 'downtime.started', plant: PLANT, occurredAt: now.toISOString(), version: 1,
        data: { id: `BD-${reports}`, workCenter: reports % 2 === 0 ? 'LATHE' : 'SAW', start: now.toISOString(), expectedEnd: new Date(now.getTime() + 3_600_000).toISOString() },
      }] }),
    });
    expect(res.status).toBe(202);
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase(ADMIN_URL);
    url = await start();
  }, 60_000);
  afterAll(async () => {
    server?.kill('SIGKILL');
    await deleteKeys(`${prefix}:*`);
    await scratch?.drop();
  });

  it('plans the changes at once after the restart, and loses none', async () => {
    const before = await version();
    expect(before).toBeGreaterThan(0);
    await reportBreakdown();
    // Into the run that breakdown started (1.5 s of search), then killed.
    await new Promise((resolve) => setTimeout(resolve, 700));
    await killHard(server!);
    url = await start();
    const restarted = Date.now();
    // Reports keep coming while the restarted process plans.
    for (let i = 0; i < 10; i++) {
      await reportBreakdown();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    let planned = await version();
    while (planned <= before && Date.now() - restarted < 20_000) planned = await version();
    expect(planned).toBeGreaterThan(before);
    const db = await openDatabase({ databaseUrl: scratch.url, dataDir: ':memory:', poolSize: 1 });
    try {
      const firstAfterRestart = await db.selectFrom('schedule_versions').select('created_at').where('plant', '=', PLANT).where('version', '>', before)
        .orderBy('version').executeTakeFirstOrThrow();
      expect(new Date(firstAfterRestart.created_at).getTime() - restarted).toBeLessThan(6_000);
      // Every report planned: the plant ends clean, well before any 30 s lock or sweep.
      let state = await getPlantState(db, PLANT);
      while (state?.dirty && Date.now() - restarted < 20_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = await getPlantState(db, PLANT);
      }
      expect(state?.dirty).toBe(false);
      expect(Date.now() - restarted).toBeLessThan(15_000);
    } finally {
      await db.destroy();
    }
  }, 60_000);
});
