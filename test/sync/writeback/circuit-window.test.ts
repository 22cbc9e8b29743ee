/**
 * The write-back worker against the circuit breaker and the outage window, on PostgreSQL with
 * a clock of its own: a row waiting behind an open circuit is dead-lettered once it has waited
 * out the window (without a call), a replay gives it the window again, and only the ERP's own
 * answers move the circuit — not a write that made no call, nor a wait for the quota.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErpOutbound } from '../../../sync/connectors/connector.ts';
import type { JobQueue } from '../../../sync/queue/job-queue.ts';
import type { Database } from '../../../sync/store/database.ts';
import type { CallGate } from '../../../sync/writeback/call-gate.ts';
import { recordFailure, type BreakerPolicy } from '../../../sync/writeback/circuit-breaker.ts';
import { replayDeadLetter } from '../../../sync/writeback/replay.ts';
import { restAdapter } from '../../../sync/writeback/rest-adapter.ts';
import { createWritebackHandler, type WritebackResult } from '../../../sync/writeback/worker.ts';
import { seedPlant } from '../planning/plant-fixture.ts';
import { postgresBackend } from '../support/backends.ts';
import { insertOutboxRow } from './outbox-row.ts';
import { startTestErp, type TestErp } from './test-erp.ts';

const WINDOW_MS = 60_000;
const breaker: BreakerPolicy = { failureThreshold: 3, openMs: 10 * 60_000, maxOpenMs: 10 * 60_000, probeTimeoutMs: 60_000 };
const noQueue = { enqueueWriteback: async () => undefined } as unknown as JobQueue;

describe('write-backs, the circuit and the outage window (PostgreSQL)', () => {
  const backend = postgresBackend();
  let db: Kysely<Database>;
  let erp: TestErp;
  let version = 0;
  let circuit = 0;

  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db);
    erp = await startTestErp(() => ({ status: 200, body: {} }));
  });
  afterAll(async () => {
    await erp.close();
    await backend.close();
  });
  beforeEach(() => { erp.requests.length = 0; circuit += 1; });

  const connection = () => `erp-${circuit}`;
  const health = () => db.selectFrom('erp_health').selectAll().where('connection', '=', connection()).executeTakeFirst();
  const row = (id: string) => db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const openCircuit = async (failures = breaker.failureThreshold) => {
    for (let i = 0; i < failures; i += 1) await recordFailure(db, connection(), 'HTTP 503', new Date(), breaker);
  };
  const handler = (outbound: ErpOutbound, options: { clock?: () => number; gate?: CallGate } = {}) => createWritebackHandler({
    db, route: () => ({ outbound, connection: connection(), gate: options.gate ?? null }), breaker, windowMs: WINDOW_MS,
    retry: { attempts: Infinity, baseDelayMs: 10, maxDelayMs: 10 }, ...(options.clock && { clock: options.clock }),
  });
  /** A run's result, whether it returned or asked to be run again. */
  const run = async (write: (id: string) => Promise<WritebackResult>, id: string): Promise<string> => {
    try {
      return await write(id);
    } catch (error) {
      return `retry-later: ${(error as Error).message}`;
    }
  };
  const rest = () => restAdapter({ url: erp.url, timeoutMs: 2_000 });

  it('dead-letters a row behind an open circuit once it has waited out the window, without calling the ERP; a replay waits again', async () => {
    await openCircuit();
    version += 1;
    const id = await insertOutboxRow(db, 'WO-1', version);
    const later = Date.now() + WINDOW_MS + 1_000;
    expect(await run(handler(rest(), { clock: () => later }), id)).toBe('dead');
    expect(erp.requests).toHaveLength(0);
    const letter = await db.selectFrom('dead_letters').selectAll().where('key', '=', `P1:WO-1:v${version}`).executeTakeFirstOrThrow();
    expect(letter.error).toMatch(/^gave up after 1 min: ERP erp-\d+ not answering$/);

    // Replayed during the same outage, the row waits behind the circuit for a whole window again.
    expect(await replayDeadLetter(db, noQueue, letter.id, new Date(later))).toMatchObject({ ok: true });
    expect(await run(handler(rest(), { clock: () => later + 1_000 }), id)).toBe('retry-later: circuit open');
    expect((await row(id)).status).toBe('pending');
    expect(erp.requests).toHaveLength(0);
  });

  it('does not count a write that made no call as the ERP answering', async () => {
    await openCircuit(breaker.failureThreshold - 1);
    const silent: ErpOutbound = { project: () => null, write: async () => ({ kind: 'closed', reason: 'done in the ERP' }) };
    version += 1;
    expect(await run(handler(silent), await insertOutboxRow(db, 'WO-2', version))).toBe('skipped-closed');
    expect(await health()).toMatchObject({ state: 'closed', failures: breaker.failureThreshold - 1 });

    // An answer of the ERP's does reset the count.
    version += 1;
    expect(await run(handler(rest()), await insertOutboxRow(db, 'WO-2', version))).toBe('delivered');
    expect(await health()).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('does not count a wait for the quota as the ERP failing', async () => {
    const exhausted: CallGate = { acquire: async () => null };
    for (let i = 0; i < breaker.failureThreshold + 1; i += 1) {
      version += 1;
      const id = await insertOutboxRow(db, 'WO-3', version);
      expect(await run(handler(rest(), { gate: exhausted }), id)).toBe('retry-later: waited too long for the ERP quota');
      await db.updateTable('outbox').set({ status: 'skipped' }).where('id', '=', id).execute();
    }
    expect(erp.requests).toHaveLength(0);
    expect((await health())?.failures ?? 0).toBe(0);
  });
});
