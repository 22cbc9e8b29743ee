import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritebackPayload } from '../../../sync/writeback/payload.ts';
import { restAdapter } from '../../../sync/writeback/rest-adapter.ts';
import { startTestErp, type TestErp } from './test-erp.ts';

const payload: WritebackPayload = {
  plant: 'P1', workOrder: 'WO-1', scheduleVersion: 3,
  plannedStart: '2026-11-22T08:00:00.000Z', plannedEnd: '2026-11-22T12:00:00.000Z', dispatchPriority: 2,
  operations: [{ operation: '10', workCenter: 'CNC', plannedStart: '2026-11-22T08:00:00.000Z', plannedEnd: '2026-11-22T12:00:00.000Z' }],
  idempotencyKey: 'P1:WO-1:v3',
};

describe('REST write-back adapter', () => {
  let erp: TestErp;
  beforeAll(async () => { erp = await startTestErp(); });
  afterAll(async () => { await erp.close(); });

  it('POSTs the canonical JSON with an Idempotency-Key header', async () => {
    erp.respond(() => ({ status: 200, body: { ok: true } }));
    const outcome = await restAdapter({ url: `${erp.url}/writeback`, headers: { authorization: 'Bearer k' } }).write({ payload, basis: null });
    expect(outcome).toMatchObject({ kind: 'written', stamp: null, calls: 1 });
    const request = erp.requests.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/writeback');
    expect(request?.headers['idempotency-key']).toBe('P1:WO-1:v3');
    expect(request?.headers.authorization).toBe('Bearer k');
    expect(JSON.parse(request?.body ?? '')).toEqual(payload);
  });

  it('classifies 503, 429 with Retry-After, 400 with a message and a timeout', async () => {
    const adapter = restAdapter({ url: erp.url, timeoutMs: 150 });
    erp.respond(() => ({ status: 503, body: 'maintenance' }));
    expect(await adapter.write({ payload, basis: null })).toMatchObject({ kind: 'retry', status: 503 });
    erp.respond(() => ({ status: 429, headers: { 'retry-after': '2' }, body: { message: 'slow down' } }));
    expect(await adapter.write({ payload, basis: null })).toMatchObject({ kind: 'retry', status: 429, retryAfterMs: 2000 });
    erp.respond(() => ({ status: 400, body: { message: 'planned end after order deadline' } }));
    expect(await adapter.write({ payload, basis: null })).toEqual({ kind: 'rejected', reason: 'planned end after order deadline', status: 400 });
    erp.respond(() => 'hang');
    const started = Date.now();
    expect(await adapter.write({ payload, basis: null })).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('retries when nothing listens', async () => {
    const outcome = await restAdapter({ url: 'http://127.0.0.1:1/x', timeoutMs: 500 }).write({ payload, basis: null });
    expect(outcome).toMatchObject({ kind: 'retry', status: null });
  });
});
