/**
 * A worker that dies mid-job loses nothing and doubles nothing: a new worker on the same queue
 * (BullMQ on the shared Redis, a fresh prefix) and its sweeper finish the work from Postgres —
 * the dirty flag, the pending outbox rows, the expired lease — and the ERP gets every
 * write-back key acknowledged once (a redelivery after a lost lease is de-duplicated by key).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobQueue } from '../../../sync/queue/job-queue.ts';
import type { Db } from '../../../sync/store/database.ts';
import { getPlantState, markPlantsDirty } from '../../../sync/store/plant-state.ts';
import { upsertWorkOrder } from '../../../sync/store/work-orders.ts';
import { restAdapter } from '../../../sync/writeback/rest-adapter.ts';
import { startRecordingErp, type RecordingErp } from '../../support/recording-erp.ts';
import { startSyncWorker, type SyncWorker, type SyncWorkerConfig } from '../../support/sync-worker.ts';
import { NOW, order, seedPlant } from '../planning/plant-fixture.ts';
import { deleteKeys, REDIS_URL, waitFor } from '../queue/queue-backends.ts';
import { postgresBackend } from '../support/backends.ts';

const ORDERS = Array.from({ length: 6 }, (_, i) => order(`WO-${i + 1}`, 30 + 10 * i, 1 + (i % 3)));

describe('a worker killed mid-job (PostgreSQL + BullMQ)', () => {
  const backend = postgresBackend();
  let db: Db;
  let erp: RecordingErp;
  const workers: SyncWorker[] = [];
  const prefixes: string[] = [];
  let plantSeq = 0;

  beforeAll(async () => {
    db = await backend.open();
    erp = await startRecordingErp({ random: Math.random, failureRate: 0 });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
  });
  afterAll(async () => {
    await erp?.close();
    await backend.close();
    for (const prefix of prefixes) await deleteKeys(`${prefix}:*`);
  });

  async function freshPlant(): Promise<string> {
    plantSeq += 1;
    const plant = `PC${plantSeq}`;
    await seedPlant(db, plant, ORDERS);
    await markPlantsDirty(db, [plant]);
    return plant;
  }

  function worker(prefix: string, overrides: Partial<SyncWorkerConfig> = {}): SyncWorker {
    const started = startSyncWorker({
      db, redisUrl: REDIS_URL, prefix,
      adapter: restAdapter({ url: erp.url, timeoutMs: 2_000 }),
      planClock: () => NOW.getTime(), timeLimitMs: 100, sweepIntervalMs: 100,
      queueRetry: { attempts: 1, baseDelayMs: 20, maxDelayMs: 100 },
      writebackRetry: { attempts: 10, baseDelayMs: 20, maxDelayMs: 200 },
      leaseMs: 5_000,
      ...overrides,
    });
    workers.push(started);
    return started;
  }

  function newPrefix(): string {
    const prefix = `takt-crash-${randomBytes(6).toString('hex')}`;
    prefixes.push(prefix);
    return prefix;
  }

  const outbox = (plant: string) => db.selectFrom('outbox').selectAll().where('plant', '=', plant).orderBy('work_order').execute();

  /** Every row of the plant delivered, each key acknowledged by the ERP exactly once. */
  async function expectDeliveredOnce(plant: string, expectedRows: number): Promise<void> {
    await waitFor(async () => {
      const rows = await outbox(plant);
      return rows.length === expectedRows && rows.every((r) => r.status === 'delivered');
    }, 15_000, `every write-back of ${plant} delivered`);
    for (const row of await outbox(plant)) expect(erp.acknowledged.get(row.idempotency_key), row.idempotency_key).toBe(1);
    expect((await getPlantState(db, plant))?.dirty).toBe(false);
  }

  it('the reschedule dies before planning: the plant stays dirty and the next worker\'s sweeper plans it', async () => {
    const plant = await freshPlant();
    const prefix = newPrefix();
    let attempts = 0;
    const doomed = worker(prefix, {
      sweepIntervalMs: 60_000,
      wrapReschedule: () => async () => { attempts += 1; throw new Error('worker process died'); },
    });
    await doomed.queue.enqueueReschedule(plant);
    await waitFor(() => attempts >= 1, 10_000, 'the doomed run');
    await doomed.close();
    workers.splice(workers.indexOf(doomed), 1);
    expect(await outbox(plant)).toHaveLength(0);
    expect((await getPlantState(db, plant))?.dirty).toBe(true);

    worker(prefix);
    await expectDeliveredOnce(plant, ORDERS.length);
    expect((await getPlantState(db, plant))?.lastVersion).toBe(1);
  });

  it('the run commits but dies before queueing its write-backs: the sweeper delivers each once', async () => {
    const plant = await freshPlant();
    const prefix = newPrefix();
    let handedOff = 0;
    const lose = (queue: JobQueue): JobQueue => Object.assign(Object.create(queue) as JobQueue, {
      enqueueWriteback: () => { handedOff += 1; return Promise.reject(new Error('process died')); },
    });
    const doomed = worker(prefix, { sweepIntervalMs: 60_000, handOffQueue: lose });
    await doomed.queue.enqueueReschedule(plant);
    await waitFor(() => handedOff === ORDERS.length, 10_000, 'the hand-off');
    await doomed.close();
    workers.splice(workers.indexOf(doomed), 1);
    const pending = await outbox(plant);
    expect(pending.map((r) => r.status)).toEqual(ORDERS.map(() => 'pending'));
    expect(erp.deliveries.filter((d) => d.key.startsWith(`${plant}:`))).toHaveLength(0);

    worker(prefix);
    await expectDeliveredOnce(plant, ORDERS.length);
  });

  it('a delivery dies after the ERP got it: the lease runs out, the same key goes again and the ERP de-duplicates', async () => {
    const plant = await freshPlant();
    const prefix = newPrefix();
    // Plan without write-backs (rows wait in the outbox), then play the dying worker by hand.
    const planner = worker(prefix, { adapter: null, sweepIntervalMs: 50 });
    await waitFor(async () => (await getPlantState(db, plant))?.lastVersion === 1, 10_000, 'the plan');
    await planner.close();
    workers.splice(workers.indexOf(planner), 1);
    const [victim] = await outbox(plant);
    if (victim === undefined) throw new Error('no write-back to kill');
    // The claim the dead worker took (a 400 ms lease) and the request it got out before dying.
    const leaseEnds = Date.now() + 400;
    await db.updateTable('outbox').set((eb) => ({ next_attempt_at: new Date(leaseEnds), attempts: eb('attempts', '+', 1) }))
      .where('id', '=', victim.id).execute();
    const sent = await fetch(erp.url, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': victim.idempotency_key }, body: JSON.stringify(victim.payload),
    });
    expect(sent.status).toBe(200);

    worker(prefix);
    await waitFor(async () => (await outbox(plant)).every((r) => r.status === 'delivered'), 15_000, 'every write-back delivered');
    const rows = await outbox(plant);
    expect(rows).toHaveLength(ORDERS.length);
    for (const row of rows) {
      // The victim's key twice (the dead worker's request and the redelivery), applied once; the rest once.
      expect(erp.acknowledged.get(row.idempotency_key), row.idempotency_key).toBe(row.id === victim.id ? 2 : 1);
      const applied = erp.deliveries.filter((d) => d.key === row.idempotency_key && d.applied);
      expect(applied).toHaveLength(1);
    }
    // Not before the dead worker's lease ran out.
    const redelivery = erp.deliveries.filter((d) => d.key === victim.idempotency_key)[1];
    expect(redelivery?.at).toBeGreaterThanOrEqual(leaseEnds);
  });

  it('workers closed with a backlog in the queue: a new worker on the same prefix drains it without repeats', async () => {
    const plant = await freshPlant();
    const prefix = newPrefix();
    const slowErp = restAdapter({ url: erp.url, timeoutMs: 2_000 });
    let deliveries = 0;
    const first = worker(prefix, {
      sweepIntervalMs: 60_000,
      adapter: { project: slowErp.project, write: async (request) => { deliveries += 1; await new Promise((r) => setTimeout(r, 150)); return slowErp.write(request); } },
    });
    await first.queue.enqueueReschedule(plant);
    await waitFor(() => deliveries >= 1, 10_000, 'the first delivery');
    await first.close();
    workers.splice(workers.indexOf(first), 1);
    const afterClose = await outbox(plant);
    expect(afterClose.some((r) => r.status === 'pending')).toBe(true);

    // More changes while no worker runs: only Postgres knows.
    await upsertWorkOrder(db, plant, order('WO-LATE', 45, 3));
    await markPlantsDirty(db, [plant]);

    worker(prefix);
    await waitFor(async () => {
      const state = await getPlantState(db, plant);
      const rows = await outbox(plant);
      return state?.dirty === false && state.lastVersion === 2 && rows.every((r) => r.status !== 'pending');
    }, 15_000, 'the backlog and the new change');
    const rows = await outbox(plant);
    for (const row of rows.filter((r) => r.status === 'delivered')) expect(erp.acknowledged.get(row.idempotency_key), row.idempotency_key).toBe(1);
    expect(rows.filter((r) => r.status === 'skipped').every((r) => erp.acknowledged.get(r.idempotency_key) === undefined)).toBe(true);
    expect(rows.some((r) => r.work_order === 'WO-LATE' && r.status === 'delivered')).toBe(true);
  });
});
