import { afterEach, describe, expect, it } from 'vitest';
import type { ErpLink } from '../../../../sync/connectors/connector.ts';
import { classifyJson2Error } from '../../../../sync/connectors/odoo/json2.ts';
import type { WritebackPayload } from '../../../../sync/writeback/payload.ts';
import { readRequest, startHarness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => { await h.close(); });

const payload: WritebackPayload = {
  plant: 'P1', workOrder: 'WH/MO/00012', scheduleVersion: 7,
  plannedStart: '2026-11-24T07:00:00Z', plannedEnd: '2026-11-24T11:40:00Z', dispatchPriority: 1,
  operations: [
    { operation: '41', workCenter: 'ASM', plannedStart: '2026-11-24T07:00:00Z', plannedEnd: '2026-11-24T09:10:00Z' },
    { operation: '42', workCenter: 'workcenter-4', plannedStart: '2026-11-24T09:30:00Z', plannedEnd: '2026-11-24T11:40:00Z' },
  ],
  idempotencyKey: 'P1:WH/MO/00012:v7',
};

describe('Odoo 19 over the JSON-2 API', () => {
  it('reads with the API key as bearer, the database header, the extra headers and named parameters', async () => {
    h = await startHarness(19);
    const read = await h.connector({ headers: { 'x-proxy-key': 'abc' } }).read(readRequest());
    if (read.kind !== 'changes') throw new Error(read.reason);
    expect(h.erp.requests.some((r) => r.url === '/jsonrpc')).toBe(false);
    expect(h.erp.requests.every((r) => r.method === 'POST' && r.headers.authorization === 'bearer key-19'
      && r.headers['x-odoo-database'] === 'prod' && r.headers['x-proxy-key'] === 'abc' && r.headers['content-type'] === 'application/json; charset=utf-8')).toBe(true);
    const request = h.erp.requests.find((r) => r.url === '/json/2/mrp.production/search_read')!;
    expect(JSON.parse(request.body)).toEqual({
      domain: [['company_id', '=', 1]],
      fields: ['name', 'state', 'priority', 'product_id', 'product_qty', 'product_uom_id', 'date_deadline', 'company_id', 'workorder_ids', 'move_raw_ids', 'write_date', 'date_start', 'date_finished'],
      limit: 200,
      order: 'write_date asc, id asc',
      context: { allowed_company_ids: [1] },
    });
    // A record method carries its ids in the body.
    const uoms = h.erp.requests.find((r) => r.url === '/json/2/uom.uom/read')!;
    expect(JSON.parse(uoms.body)).toEqual({ ids: [1, 21, 12], fields: ['name', 'factor', 'rounding'], context: { allowed_company_ids: [1], active_test: false } });
    // 19's units: a dozen's factor is 12 (reference units per unit): 0.5 Dozens are 6 Units.
    expect(read.records.find((r) => r.data.id === 'WH/MO/00012')?.data).toMatchObject({ quantity: 6, status: 'released' });
  });

  it('writes with named parameters and the same guards', async () => {
    h = await startHarness(19);
    const connector = h.connector();
    const read = await connector.read(readRequest());
    if (read.kind !== 'changes') throw new Error(read.reason);
    const record = read.records.find((r) => r.data.id === 'WH/MO/00012')!;
    const basis: ErpLink = { kind: 'work_order', key: 'WH/MO/00012', ref: record.ref, stamp: record.stamp ?? null, held: record.held, pending: null, memo: null };
    h.erp.requests.length = 0;
    expect(await connector.write({ payload, basis })).toMatchObject({ kind: 'written', held: connector.project(payload, basis) });
    const bodies = h.erp.requests.filter((r) => r.url.endsWith('/write')).map((r) => [r.url, JSON.parse(r.body)]);
    expect(bodies[0]).toEqual(['/json/2/mrp.workorder/write', {
      ids: [41], vals: { date_start: '2026-11-24 07:00:00', date_finished: '2026-11-24 09:10:00' }, context: { allowed_company_ids: [1], bypass_duration_calculation: true },
    }]);
    expect(bodies.at(-1)).toEqual(['/json/2/mrp.production/write', {
      ids: [12], vals: { date_start: '2026-11-24 07:00:00', date_finished: '2026-11-24 11:40:00' }, context: { allowed_company_ids: [1], force_date: true },
    }]);
    expect(h.odoo.unplanned).toEqual([]);
  });

  it('classifies JSON-2 errors by the exception Odoo names, else by the HTTP status', async () => {
    h = await startHarness(19);
    const basis: ErpLink = { kind: 'work_order', key: 'WH/MO/00012', ref: { production: 12, workorders: { 41: 41, 42: 42 } }, stamp: null, held: null, pending: null, memo: null };
    h.odoo.interceptors.push((c) => (c.method === 'write' ? { raise: { name: 'odoo.exceptions.ValidationError', message: 'End before start' } } : null));
    expect(await h.connector().write({ payload, basis })).toEqual({ kind: 'rejected', reason: 'odoo.exceptions.ValidationError: End before start', status: 422 });
    h.odoo.interceptors.splice(0, 1, (c) => (c.method === 'write' ? { raise: { name: 'odoo.exceptions.AccessError', message: 'not allowed' } } : null));
    expect(await h.connector().write({ payload, basis })).toEqual({ kind: 'rejected', reason: 'odoo.exceptions.AccessError: not allowed', status: 403 });
    h.odoo.interceptors.splice(0, 1, (c) => (c.method === 'write' ? { reply: { status: 503, headers: { 'retry-after': '12' }, body: { name: 'werkzeug.exceptions.ServiceUnavailable', message: 'busy' } } } : null));
    expect(await h.connector().write({ payload, basis })).toEqual({ kind: 'retry', reason: 'Odoo answered HTTP 503', status: 503, retryAfterMs: 12_000 });
    expect(await h.connector({ apiKey: 'revoked' }).write({ payload, basis })).toEqual({
      kind: 'retry', reason: 'Odoo refused the API key (HTTP 401: Invalid apikey): check apiKey', status: 401, retryAfterMs: null,
    });
  });

  it('reads later builds\' bare-message error bodies too', () => {
    expect(classifyJson2Error(422, "got an unexpected keyword argument 'badparameter'")).toEqual({
      kind: 'refused', reason: "got an unexpected keyword argument 'badparameter'", status: 422, exception: 'HTTP 422',
    });
    expect(classifyJson2Error(404, 'the model \'mrp.production\' does not exist')).toMatchObject({ kind: 'unavailable', status: 404 });
    expect(classifyJson2Error(500, 'internal server error')).toMatchObject({ kind: 'unavailable' });
  });

  it('refuses a configuration that cannot work, on every call, without throwing', async () => {
    h = await startHarness(19);
    const connector = h.connector({ api: 'json2', apiKey: '', version: 18 });
    const expected = 'Odoo connection odoo-main is misconfigured: the JSON-2 API exists from Odoo 19 on (version is 18); apiKey is needed for the JSON-2 API';
    expect(await connector.read(readRequest())).toEqual({ kind: 'unavailable', reason: expected, retryAfterMs: null });
    expect(await connector.write({ payload, basis: null })).toEqual({ kind: 'retry', reason: expected, status: null, retryAfterMs: null });
    expect(h.erp.requests).toEqual([]);
  });
});
