import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BullmqQueue } from '../../../sync/queue/bullmq-queue.ts';
import { InProcessQueue } from '../../../sync/queue/in-process-queue.ts';
import type { JobQueue } from '../../../sync/queue/job-queue.ts';
import type { Database } from '../../../sync/store/database.ts';
import { setWorkOrderStatus } from '../../../sync/store/work-orders.ts';
import { replayDeadLetter } from '../../../sync/writeback/replay.ts';
import { restAdapter } from '../../../sync/writeback/rest-adapter.ts';
import { createWritebackHandler } from '../../../sync/writeback/worker.ts';
import { postgresBackend } from '../support/backends.ts';
import { seedPlant } from '../planning/plant-fixture.ts';
import { disposeQueue, REDIS_URL, sleep, waitFor } from '../queue/queue-backends.ts';
import { insertOutboxRow } from './outbox-row.ts';
import { startTestErp, type TestErp } from './test-erp.ts';

const fast = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };

describe('write-back worker (PostgreSQL)', () => {
  const backend = postgresBackend();
  let db: Kysely<Database>;
  let erp: TestErp;
  let queue: JobQueue;
  let version = 0;

  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db);
    erp = await startTestErp();
  });
  afterAll(async () => {
    await erp.close();
    await backend.close();
  });
  beforeEach(() => { erp.requests.length = 0; });
  afterEach(async () => { await disposeQueue(queue); });

  async function outboxRow(workOrder = 'WO-1'): Promise<string> {
    version += 1;
    return insertOutboxRow(db, workOrder, version);
  }

  const row = (id: string) => db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  function start(q: JobQueue, options: { timeoutMs?: number } = {}): void {
    queue = q;
    const handler = createWritebackHandler({ db, adapter: restAdapter({ url: erp.url, timeoutMs: options.timeoutMs ?? 2_000 }), retry: fast, leaseMs: 5_000 });
    q.startWorkers({ reschedule: async () => undefined, writeback: async (id) => { await handler(id); } }, { writebackConcurrency: 4 });
  }

  it('delivers once and marks the row delivered, however often the job is enqueued', async () => {
    erp.respond(() => ({ status: 200, body: {} }));
    const id = await outboxRow();
    // Two BullMQ worker processes' worth of concurrency, and a second handler racing directly.
    const q = new BullmqQueue({ redisUrl: REDIS_URL, prefix: `takt-test-${randomUUID()}`, retry: fast });
    start(q);
    const racer = createWritebackHandler({ db, adapter: restAdapter({ url: erp.url }), retry: fast, leaseMs: 5_000 });
    await Promise.all([
      ...Array.from({ length: 20 }, () => q.enqueueWriteback(id)),
      racer(id).catch(() => undefined),
      racer(id).catch(() => undefined),
    ]);
    await waitFor(async () => (await row(id)).status === 'delivered');
    await sleep(200);
    for (let i = 0; i < 5; i += 1) await q.enqueueWriteback(id);
    await sleep(200);
    expect(erp.requests).toHaveLength(1);
    expect(erp.requests[0]?.headers['idempotency-key']).toBe(`P1:WO-1:v${version}`);
    const delivered = await row(id);
    expect(delivered.delivered_at).not.toBeNull();
    expect(delivered.attempts).toBe(1);
  });

  it('claims a row made earlier in the same millisecond (the database counts microseconds)', async () => {
    erp.respond(() => ({ status: 200, body: {} }));
    const id = await outboxRow();
    const now = Date.now();
    await sql`update outbox set next_attempt_at = to_timestamp(${(now + 0.5) / 1000}) where id = ${id}`.execute(db);
    const handler = createWritebackHandler({ db, adapter: restAdapter({ url: erp.url }), retry: fast, clock: () => now });
    expect(await handler(id)).toBe('delivered');
  });

  it('retries 503 and a timeout, then delivers', async () => {
    erp.respond((_r, i) => (i === 0 ? { status: 503, body: 'maintenance' } : i === 1 ? 'hang' : { status: 200, body: {} }));
    const id = await outboxRow();
    start(new InProcessQueue({ retry: fast }), { timeoutMs: 150 });
    await queue.enqueueWriteback(id);
    await waitFor(async () => (await row(id)).status === 'delivered');
    expect(erp.requests).toHaveLength(3);
    expect((await row(id)).attempts).toBe(3);
  });

  it('honours Retry-After on 429', async () => {
    erp.respond((_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: { message: 'rate limited' } } : { status: 200, body: {} }));
    const id = await outboxRow();
    start(new InProcessQueue({ retry: fast }));
    await queue.enqueueWriteback(id);
    await waitFor(async () => (await row(id)).status === 'delivered');
    expect(erp.requests).toHaveLength(2);
    expect((erp.requests[1]?.at ?? 0) - (erp.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('dead-letters a 400 with the ERP message without retrying; replay delivers it', async () => {
    erp.respond(() => ({ status: 400, body: { message: 'planned end is after the sales order date' } }));
    const id = await outboxRow('WO-2');
    start(new InProcessQueue({ retry: fast }));
    await queue.enqueueWriteback(id);
    await waitFor(async () => (await row(id)).status === 'dead');
    await sleep(100);
    expect(erp.requests).toHaveLength(1);
    const letter = await db.selectFrom('dead_letters').selectAll().where('key', '=', `P1:WO-2:v${version}`).executeTakeFirstOrThrow();
    expect(letter.kind).toBe('writeback');
    expect(letter.error).toBe('planned end is after the sales order date');
    expect(letter.payload).toMatchObject({ outboxId: id });

    erp.respond(() => ({ status: 200, body: {} }));
    const replayed = await replayDeadLetter(db, queue, letter.id);
    expect(replayed).toEqual({ ok: true, value: { id: letter.id, requeued: true } });
    await waitFor(async () => (await row(id)).status === 'delivered');
    expect(erp.requests).toHaveLength(2);
    expect(await replayDeadLetter(db, queue, letter.id)).toMatchObject({ ok: false, code: 'already-replayed' });
    expect(await replayDeadLetter(db, queue, 'nope')).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('gives up after the configured attempts into the dead letters', async () => {
    erp.respond(() => ({ status: 502, body: 'bad gateway' }));
    const id = await outboxRow('WO-3');
    start(new InProcessQueue({ retry: fast }));
    await queue.enqueueWriteback(id);
    await waitFor(async () => (await row(id)).status === 'dead');
    expect(erp.requests).toHaveLength(3);
    const letter = await db.selectFrom('dead_letters').selectAll().where('key', '=', `P1:WO-3:v${version}`).executeTakeFirstOrThrow();
    expect(letter.error).toMatch(/^gave up after \d+ min and 3 attempts: HTTP 502/);
  });

  it('never writes to an order closed after the row was written', async () => {
    erp.respond(() => ({ status: 200, body: {} }));
    const id = await outboxRow('WO-3');
    await setWorkOrderStatus(db, 'P1', 'WO-3', 'closed');
    start(new InProcessQueue({ retry: fast }));
    await queue.enqueueWriteback(id);
    await waitFor(async () => (await row(id)).status !== 'pending');
    expect((await row(id)).status).toBe('skipped');
    expect(erp.requests).toHaveLength(0);
  });
});
