/**
 * An order's write-backs reach the ERP in version order, and each carries the event that caused
 * its schedule version (the correlation id) from ingestion through to the ERP request.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPlan } from '../../../sync/planning/run-plan.ts';
import { RetryLaterError } from '../../../sync/queue/errors.ts';
import type { Database } from '../../../sync/store/database.ts';
import { markPlantsDirty } from '../../../sync/store/plant-state.ts';
import type { WritebackPayload } from '../../../sync/writeback/payload.ts';
import { restAdapter } from '../../../sync/writeback/rest-adapter.ts';
import { createWritebackHandler, type WritebackResult } from '../../../sync/writeback/worker.ts';
import { NOW, seedPlant } from '../planning/plant-fixture.ts';
import { pgliteBackend } from '../support/backends.ts';
import { insertOutboxRow } from './outbox-row.ts';
import { startTestErp, type TestErp } from './test-erp.ts';
import { waitFor } from '../queue/queue-backends.ts';

describe('write-back order and correlation', () => {
  const backend = pgliteBackend();
  let db: Kysely<Database>;
  let erp: TestErp;

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

  const outboxRow = (workOrder: string, version: number) => insertOutboxRow(db, workOrder, version);

  const statusOf = async (id: string) => (await db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('holds a newer version back while an older one is being delivered; the older, failing, is not retried after it', async () => {
    const results: WritebackResult[] = [];
    const handler = createWritebackHandler({
      db, adapter: restAdapter({ url: erp.url, timeoutMs: 2_000 }), leaseMs: 10_000, onResult: (result) => results.push(result),
    });
    erp.respond((request) => (request.headers['idempotency-key'] === 'P1:WO-1:v101' ? 'hang' : { status: 200, body: {} }));
    const older = await outboxRow('WO-1', 101);
    const inFlight = handler(older);
    await waitFor(async () => erp.requests.length === 1, 5_000, 'the older write-back at the ERP');

    const newer = await outboxRow('WO-1', 102);
    await expect(handler(newer)).rejects.toBeInstanceOf(RetryLaterError);
    expect(erp.requests.map((r) => r.headers['idempotency-key'])).toEqual(['P1:WO-1:v101']);

    // The older delivery times out; with a newer version waiting it is dropped, not retried.
    await expect(inFlight).resolves.toBe('skipped-superseded');
    expect(await statusOf(older)).toBe('skipped');

    await expect(handler(newer)).resolves.toBe('delivered');
    expect(erp.requests.map((r) => r.headers['idempotency-key'])).toEqual(['P1:WO-1:v101', 'P1:WO-1:v102']);
    expect(results).toEqual(['skipped-superseded', 'delivered']);
  });

  it('does not send an older version once a newer one exists', async () => {
    const handler = createWritebackHandler({ db, adapter: restAdapter({ url: erp.url }), leaseMs: 5_000 });
    erp.respond(() => ({ status: 200, body: {} }));
    const older = await outboxRow('WO-2', 201);
    const newer = await outboxRow('WO-2', 202);
    await expect(handler(newer)).resolves.toBe('delivered');
    await expect(handler(older)).resolves.toBe('skipped-superseded');
    expect(erp.requests.map((r) => r.headers['idempotency-key'])).toEqual(['P1:WO-2:v202']);
  });

  it('carries the event that made the plant dirty from the plan run to the ERP request', async () => {
    await markPlantsDirty(db, ['P1'], NOW, new Map([['P1', 'mes-downtime-42']]));
    const outcome = await runPlan(db, 'P1', { now: NOW, timeLimitMs: 0, reason: 'changes' });
    if (outcome.status !== 'planned') throw new Error(outcome.status);
    expect(outcome.correlationId).toBe('mes-downtime-42');
    expect(outcome.outboxIds.length).toBeGreaterThan(0);
    const rows = await db.selectFrom('outbox').select(['id', 'correlation_id', 'payload']).where('id', 'in', [...outcome.outboxIds]).execute();
    for (const row of rows) {
      expect(row.correlation_id).toBe('mes-downtime-42');
      expect((row.payload as WritebackPayload).correlationId).toBe('mes-downtime-42');
    }

    const seen: (string | null)[] = [];
    const handler = createWritebackHandler({
      db, adapter: restAdapter({ url: erp.url }), onResult: (_result, row) => seen.push(row.correlationId),
    });
    erp.respond(() => ({ status: 200, body: {} }));
    for (const id of outcome.outboxIds) await handler(id);
    expect(seen.every((c) => c === 'mes-downtime-42')).toBe(true);
    expect(erp.requests.length).toBeGreaterThan(0);
    for (const request of erp.requests) expect(request.headers['x-correlation-id']).toBe('mes-downtime-42');
  });
});
