import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { odooAdapter, toOdooDatetime } from '../../../sync/writeback/odoo-adapter.ts';
import type { WritebackPayload } from '../../../sync/writeback/payload.ts';
import { importanceOf, sapAdapter, toSapDateTime } from '../../../sync/writeback/sap-adapter.ts';
import { startTestErp, type RecordedRequest, type Reply, type TestErp } from './test-erp.ts';

const payload: WritebackPayload = {
  plant: 'P1', workOrder: 'WH/MO/00012', scheduleVersion: 4,
  plannedStart: '2026-11-23T06:30:00.000Z', plannedEnd: '2026-11-23T09:15:00.000Z', dispatchPriority: 12,
  operations: [
    { operation: 'Cutting', workCenter: 'SAW', plannedStart: '2026-11-23T06:30:00.000Z', plannedEnd: '2026-11-23T07:30:00.000Z' },
    { operation: 'Assembly', workCenter: 'ASM', plannedStart: '2026-11-23T08:00:00.000Z', plannedEnd: '2026-11-23T09:15:00.000Z' },
  ],
  idempotencyKey: 'P1:WH/MO/00012:v4',
};

let erp: TestErp;
beforeAll(async () => { erp = await startTestErp(); });
afterAll(async () => { await erp.close(); });
beforeEach(() => { erp.requests.length = 0; });

describe('Odoo adapter', () => {
  type Rpc = { params: { service: string; method: string; args: unknown[] } };
  const rpc = (r: RecordedRequest): Rpc => JSON.parse(r.body) as Rpc;

  function odoo(state = 'confirmed', writeError?: { name: string; message: string }) {
    return (r: RecordedRequest): Reply => {
      const { params } = rpc(r);
      if (params.service === 'common') return { status: 200, body: { jsonrpc: '2.0', id: 1, result: 7 } };
      const [, , , model, method] = params.args as [string, number, string, string, string];
      if (method === 'search_read' && model === 'mrp.production') return { status: 200, body: { result: [{ id: 42, state }] } };
      if (method === 'search_read') {
        return { status: 200, body: { result: [
          { id: 101, name: 'Cutting', state: 'ready', operation_id: [5, 'Cutting'] },
          { id: 102, name: 'Assembly', state: 'done', operation_id: [6, 'Assembly'] },
        ] } };
      }
      if (writeError !== undefined) {
        return { status: 200, body: { error: { code: 200, message: 'Odoo Server Error', data: { name: `odoo.exceptions.${writeError.name}`, message: writeError.message } } } };
      }
      return { status: 200, body: { result: true } };
    };
  }

  const adapter = () => odooAdapter({ url: erp.url, database: 'prod', login: 'takt', password: 'key' });

  it('logs in, writes mrp.production and open mrp.workorder dates in UTC', async () => {
    erp.respond(odoo());
    expect(await adapter().deliver(payload)).toEqual({ kind: 'delivered', status: 200 });
    const calls = erp.requests.map(rpc).map((c) => c.params);
    expect(erp.requests.every((r) => r.url === '/jsonrpc')).toBe(true);
    expect(calls[0]).toMatchObject({ service: 'common', method: 'login', args: ['prod', 'takt', 'key'] });
    expect(calls[1]?.args.slice(0, 5)).toEqual(['prod', 7, 'key', 'mrp.production', 'search_read']);
    expect(calls[2]?.args.slice(3)).toEqual(['mrp.production', 'write', [[42], { date_start: '2026-11-23 06:30:00', date_finished: '2026-11-23 09:15:00' }], {}]);
    // The done work order (Assembly) is left alone.
    const writes = calls.filter((c) => c.args[3] === 'mrp.workorder' && c.args[4] === 'write');
    expect(writes.map((c) => c.args[5])).toEqual([[[101], { date_start: '2026-11-23 06:30:00', date_finished: '2026-11-23 07:30:00' }]]);
  });

  it('uses the legacy field names for Odoo 16 and before', async () => {
    erp.respond(odoo());
    await odooAdapter({ url: erp.url, database: 'prod', login: 'takt', password: 'key', fieldSet: 'legacy' }).deliver(payload);
    const write = erp.requests.map(rpc).find((c) => c.params.args[4] === 'write');
    expect(write?.params.args[5]).toEqual([[42], { date_planned_start: '2026-11-23 06:30:00', date_planned_finished: '2026-11-23 09:15:00' }]);
  });

  it('never writes a done or cancelled order, rejects validation errors and retries server errors', async () => {
    erp.respond(odoo('done'));
    expect(await adapter().deliver(payload)).toMatchObject({ kind: 'rejected', reason: 'mrp.production WH/MO/00012 is done' });
    expect(erp.requests.some((r) => rpc(r).params.args[4] === 'write')).toBe(false);
    erp.respond(odoo('confirmed', { name: 'ValidationError', message: 'End date before start' }));
    expect(await adapter().deliver(payload)).toMatchObject({ kind: 'rejected', reason: 'End date before start' });
    erp.respond(odoo('confirmed', { name: 'psycopg2.OperationalError', message: 'could not serialize' }));
    expect(await adapter().deliver(payload)).toMatchObject({ kind: 'retry' });
    erp.respond(() => ({ status: 502, body: 'proxy' }));
    expect(await adapter().deliver(payload)).toMatchObject({ kind: 'retry', status: 502 });
  });

  it('formats datetimes the way Odoo stores them', () => {
    expect(toOdooDatetime('2026-11-23T07:30:00+01:00')).toBe('2026-11-23 06:30:00');
  });
});

describe('SAP adapter', () => {
  function sap(entity: Record<string, unknown> = {}, patch: Reply = { status: 204 }) {
    return (r: RecordedRequest): Reply => {
      if (r.method === 'GET') {
        return {
          status: 200,
          headers: { 'x-csrf-token': 'tok-1', etag: 'W/"datetime\'2026\'"', 'set-cookie': ['SAP_SESSIONID=abc; path=/', 'sap-usercontext=x; path=/'] },
          body: { d: { ManufacturingOrder: '1000012', OrderIsClosed: false, ...entity } },
        };
      }
      return patch;
    };
  }
  const adapter = () => sapAdapter({ url: `${erp.url}/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV/`, username: 'u', password: 'p', timeZone: 'Europe/Berlin', sapClient: '100' });
  const order = { ...payload, workOrder: '1000012' };

  it('fetches a CSRF token and ETag, then PATCHes planned dates and importance', async () => {
    erp.respond(sap());
    expect(await adapter().deliver(order)).toEqual({ kind: 'delivered', status: 204 });
    const [get, patch] = erp.requests;
    expect(get?.method).toBe('GET');
    expect(get?.url).toBe("/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV/A_ProductionOrder_2('1000012')?sap-client=100");
    expect(get?.headers['x-csrf-token']).toBe('Fetch');
    expect(get?.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(patch?.method).toBe('PATCH');
    expect(patch?.headers['x-csrf-token']).toBe('tok-1');
    expect(patch?.headers['if-match']).toBe('W/"datetime\'2026\'"');
    expect(patch?.headers.cookie).toBe('SAP_SESSIONID=abc; sap-usercontext=x');
    expect(JSON.parse(patch?.body ?? '')).toEqual({
      MfgOrderPlannedStartDate: `/Date(${Date.UTC(2026, 10, 23)})/`,
      MfgOrderPlannedStartTime: 'PT07H30M00S',
      MfgOrderPlannedEndDate: `/Date(${Date.UTC(2026, 10, 23)})/`,
      MfgOrderPlannedEndTime: 'PT10H15M00S',
      ManufacturingOrderImportance: '2',
    });
  });

  it('never writes a closed or locked order', async () => {
    erp.respond(sap({ OrderIsLocked: true }));
    expect(await adapter().deliver(order)).toMatchObject({ kind: 'rejected', reason: 'production order 1000012: OrderIsLocked' });
    expect(erp.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('retries stale tokens and ETags, rejects validation errors with the SAP message', async () => {
    erp.respond(sap({}, { status: 403, headers: { 'x-csrf-token': 'Required' }, body: 'CSRF token validation failed' }));
    expect(await adapter().deliver(order)).toMatchObject({ kind: 'retry', status: 403 });
    erp.respond(sap({}, { status: 412, body: { error: { message: { value: 'Precondition failed' } } } }));
    expect(await adapter().deliver(order)).toMatchObject({ kind: 'retry', status: 412 });
    erp.respond(sap({}, { status: 400, body: { error: { code: 'CO/123', message: { lang: 'en', value: 'Basic finish date is before basic start date' } } } }));
    expect(await adapter().deliver(order)).toEqual({ kind: 'rejected', reason: 'Basic finish date is before basic start date', status: 400 });
    erp.respond(() => ({ status: 404, body: { error: { message: { value: 'Resource not found' } } } }));
    expect(await adapter().deliver(order)).toMatchObject({ kind: 'rejected', reason: 'Resource not found' });
  });

  it('maps instants and ranks', () => {
    expect(toSapDateTime('2026-03-29T01:30:00Z', 'Europe/Berlin')).toEqual({ date: `/Date(${Date.UTC(2026, 2, 29)})/`, time: 'PT03H30M00S' });
    expect(toSapDateTime('2026-11-23T23:30:00Z', 'UTC').time).toBe('PT23H30M00S');
    expect([1, 10, 11, 50, 51, 200, 201].map((r) => importanceOf(r, [10, 50, 200]))).toEqual(['1', '1', '2', '2', '3', '3', '4']);
  });
});
