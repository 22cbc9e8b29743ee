import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErpLink, WriteRequest } from '../../../../sync/connectors/connector.ts';
import { createSapConnector, type SapConnectorConfig } from '../../../../sync/connectors/sap/connector.ts';
import type { Entity } from '../../../../sync/connectors/sap/odata-values.ts';
import type { WritebackPayload } from '../../../../sync/writeback/payload.ts';
import type { RecordedRequest, Reply } from '../../writeback/test-erp.ts';
import { decode, fixture, sapError, startSapStub, type SapStub } from './sap-stub.ts';

const ORDER_PATH = "A_ProductionOrder_2('1000100')";
const OP1 = "A_ProductionOrderOperation_2(OrderInternalBillOfOperations='4711',OrderIntBillOfOperationsItem='1')";
const OP2 = "A_ProductionOrderOperation_2(OrderInternalBillOfOperations='4711',OrderIntBillOfOperationsItem='2')";
const ORDER_ETAG = `W/"'20261120081500'"`;
const FRESH_ETAG = `W/"'20261122093000'"`;
const day = (y: number, m: number, d: number): string => `/Date(${Date.UTC(y, m - 1, d)})/`;

const payload: WritebackPayload = {
  plant: 'P1', timeZone: 'Europe/Berlin', workOrder: '1000100', scheduleVersion: 9,
  plannedStart: '2026-11-23T07:00:00.000Z', plannedEnd: '2026-11-24T10:00:00.000Z', dispatchPriority: 5,
  operations: [
    { operation: '0010', workCenter: 'ASSY1', plannedStart: '2026-11-23T07:00:00.000Z', plannedEnd: '2026-11-23T09:00:00.000Z' },
    { operation: '0020', workCenter: 'PAINT2', plannedStart: '2026-11-23T09:00:00.000Z', plannedEnd: '2026-11-24T10:00:00.000Z' },
  ],
  idempotencyKey: 'P1:1000100:v9',
};
const basis: ErpLink = { kind: 'work_order', key: '1000100', ref: null, stamp: '20261120081500', held: null, pending: null, memo: null };
const request: WriteRequest = { payload, basis };

let sap: SapStub;
beforeAll(async () => { sap = await startSapStub(); });
afterAll(async () => { await sap.close(); });
beforeEach(() => { sap.reset(); });

interface Gateway {
  /** Changes to the order as GET answers it. */
  readonly order?: Readonly<Record<string, unknown>>;
  /** Per PATCH of the order, in turn: a scripted answer, or undefined for SAP's own checks. */
  readonly orderPatches?: readonly (Reply | undefined)[];
  readonly operationsDone?: readonly string[];
  /** What SAP's own scheduling does to the order after a PATCH of its dates. */
  readonly reschedule?: Readonly<Record<string, unknown>>;
}

/**
 * SAP's Gateway for one order, in memory: a CSRF token per session, `If-Match` against the
 * current ETag, PATCHes applied to the order. A PATCH of the order's dates reschedules its
 * operations (new times, new ETags: `order-1000100-operations.json`), as SAP does.
 */
function gateway(options: Gateway = {}): void {
  let tokens = 0;
  let token = '';
  let session = '';
  let orderPatch = 0;
  const done = (op: Entity): boolean => options.operationsDone?.includes(op.ManufacturingOrderOperation as string) ?? false;
  const withDone = (ops: readonly Entity[]): Entity[] => ops.map((op) => (done(op) ? { ...op, OperationIsConfirmed: 'X' } : { ...op }));
  const initial = (fixture('order-1000100.json') as { d: Entity }).d;
  let order: Record<string, unknown> = { ...initial, ...options.order };
  let operations = withDone((initial.to_ProductionOrderOperation as { results: Entity[] }).results);
  let orderEtag = ORDER_ETAG;
  const guarded = (r: RecordedRequest, etag: string): Reply | null => {
    if (r.headers['x-csrf-token'] !== token || !String(r.headers.cookie ?? '').includes(`SAP_SESSIONID_S4H_100=${session}`)) {
      return { status: 403, headers: { 'x-csrf-token': 'Required' }, body: 'CSRF token validation failed' };
    }
    if (r.headers['if-match'] === undefined) return { status: 428, body: sapError('/IWBEP/CM_MGW_RT/130', 'Precondition required') };
    if (r.headers['if-match'] !== etag) return { status: 412, body: sapError('/IWBEP/CM_MGW_RT/022', 'Precondition failed') };
    return null;
  };
  const changed = (): void => { order = { ...order, LastChangeDateTime: '20261122093500' }; };
  sap.on('GET', 'productionOrder', ORDER_PATH, (r) => {
    const headers: Record<string, string | string[]> = { etag: orderEtag };
    if (r.headers['x-csrf-token'] === 'Fetch') {
      tokens += 1;
      token = `tok-${tokens}`;
      session = `sess-${tokens}`;
      Object.assign(headers, { 'x-csrf-token': token, 'set-cookie': [`SAP_SESSIONID_S4H_100=${session}; path=/; HttpOnly`, 'sap-usercontext=sap-client=100; path=/'] });
    }
    return { status: 200, headers, body: { d: { ...order, to_ProductionOrderOperation: { results: operations } } } };
  });
  sap.on('GET', 'productionOrder', `${ORDER_PATH}/to_ProductionOrderOperation`, () => ({ status: 200, body: { d: { results: operations } } }));
  sap.on('PATCH', 'productionOrder', ORDER_PATH, (r) => {
    const scripted = options.orderPatches?.[orderPatch];
    orderPatch += 1;
    if (scripted !== undefined) return scripted;
    const refused = guarded(r, orderEtag);
    if (refused !== null) return refused;
    order = { ...order, ...(JSON.parse(r.body) as Entity), ...options.reschedule };
    orderEtag = FRESH_ETAG;
    operations = withDone((fixture('order-1000100-operations.json') as { d: { results: Entity[] } }).d.results);
    changed();
    return { status: 204 };
  });
  sap.on('PATCH', 'productionOrder', /^A_ProductionOrderOperation_2\(/, (r, d) => {
    const index = operations.findIndex((op) => d.path.includes(`OrderIntBillOfOperationsItem='${String(op.OrderIntBillOfOperationsItem)}'`));
    const op = operations[index]!;
    const refused = guarded(r, (op.__metadata as { etag: string }).etag);
    if (refused !== null) return refused;
    operations[index] = { ...op, ...(JSON.parse(r.body) as Entity), __metadata: { ...(op.__metadata as object), etag: `W/"'20261122093500'"` } };
    changed();
    return { status: 204 };
  });
}

function connector(overrides: Partial<SapConnectorConfig> = {}) {
  return createSapConnector({
    name: 'sap-1710', plant: 'P1', productionPlant: '1710', timeZone: 'Europe/Berlin',
    services: { productionOrder: sap.root('productionOrder') }, sapClient: '100', username: 'TAKT_COMM', password: 's3cret',
    headers: { 'x-api-key': 'k-1' }, ...overrides,
  });
}

const calls = () => sap.requests.map((r) => {
  const d = decode(r);
  return `${d.method} ${d.path}${Object.keys(d.query).length > 0 ? ` ${JSON.stringify(d.query)}` : ''}`;
});
const body = (r: RecordedRequest | undefined): unknown => JSON.parse(r?.body ?? 'null');

describe('SAP write: the plan into the order and its operations', () => {
  it('PATCHes scheduled dates and importance, then each operation with fresh ETags, and reads the stamp back', async () => {
    gateway();
    const sapConnector = connector();
    const outcome = await sapConnector.write(request);
    // SAP kept every value as written: what it holds is the projection.
    expect(outcome).toEqual({ kind: 'written', held: sapConnector.project(payload, basis), stamp: '20261122093500', calls: 6 });
    expect(calls()).toEqual([
      `GET ${ORDER_PATH} {"$expand":"to_ProductionOrderOperation"}`,
      `PATCH ${ORDER_PATH}`,
      `GET ${ORDER_PATH}/to_ProductionOrderOperation`,
      `PATCH ${OP1}`,
      `PATCH ${OP2}`,
      `GET ${ORDER_PATH} {"$expand":"to_ProductionOrderOperation"}`,
    ]);
    const [get, patch, , op1, op2] = sap.requests;
    expect(get?.headers['x-csrf-token']).toBe('Fetch');
    expect(body(patch)).toEqual({
      // 07:00Z and 10:00Z are 08:00 and 11:00 in Berlin: SAP keeps plant-local wall-clock time.
      MfgOrderScheduledStartDate: day(2026, 11, 23), MfgOrderScheduledStartTime: 'PT08H00M00S',
      MfgOrderScheduledEndDate: day(2026, 11, 24), MfgOrderScheduledEndTime: 'PT11H00M00S',
      ManufacturingOrderImportance: '1',
    });
    expect(patch?.headers).toMatchObject({
      'if-match': ORDER_ETAG, 'x-csrf-token': 'tok-1', cookie: 'SAP_SESSIONID_S4H_100=sess-1; sap-usercontext=sap-client=100',
      'content-type': 'application/json', 'x-api-key': 'k-1',
    });
    // The work center is the same: only the dates.
    expect(body(op1)).toEqual({
      OpErlstSchedldExecStrtDte: day(2026, 11, 23), OpErlstSchedldExecStrtTme: 'PT08H00M00S',
      OpErlstSchedldExecEndDte: day(2026, 11, 23), OpErlstSchedldExecEndTme: 'PT10H00M00S',
    });
    expect(body(op2)).toEqual({
      OpErlstSchedldExecStrtDte: day(2026, 11, 23), OpErlstSchedldExecStrtTme: 'PT10H00M00S',
      OpErlstSchedldExecEndDte: day(2026, 11, 24), OpErlstSchedldExecEndTme: 'PT11H00M00S',
      WorkCenter: 'PAINT2',
    });
    // SAP rescheduled the operations from the new order dates: the ETags read before are stale.
    expect([op1?.headers['if-match'], op2?.headers['if-match']]).toEqual([FRESH_ETAG, FRESH_ETAG]);
    expect(sap.decoded().every((d) => d.sapClient === '100')).toBe(true);
    expect(sap.requests.every((r) => r.headers['x-api-key'] === 'k-1' && r.headers.authorization === `Basic ${Buffer.from('TAKT_COMM:s3cret').toString('base64')}`)).toBe(true);
  });

  it('writes the basic dates instead when configured', async () => {
    gateway();
    await connector({ orderDates: 'basic', operationDates: 'none' }).write(request);
    expect(calls()).toEqual([`GET ${ORDER_PATH} {"$expand":"to_ProductionOrderOperation"}`, `PATCH ${ORDER_PATH}`, `GET ${ORDER_PATH}/to_ProductionOrderOperation`, `GET ${ORDER_PATH} {"$expand":"to_ProductionOrderOperation"}`]);
    expect(body(sap.requests[1])).toEqual({
      MfgOrderPlannedStartDate: day(2026, 11, 23), MfgOrderPlannedStartTime: 'PT08H00M00S',
      MfgOrderPlannedEndDate: day(2026, 11, 24), MfgOrderPlannedEndTime: 'PT11H00M00S',
      ManufacturingOrderImportance: '1',
    });
  });

  it('maps the rank by the configured importance buckets, or leaves importance alone', async () => {
    gateway();
    await connector({ importance: { buckets: [{ upToRank: 3, code: '1' }, { upToRank: 8, code: '3' }], otherwise: '4' }, operationDates: 'none' }).write(request);
    expect(body(sap.requests[1])).toMatchObject({ ManufacturingOrderImportance: '3' });
    sap.reset();
    gateway();
    await connector({ importance: null, operationDates: 'none' }).write(request);
    expect(body(sap.requests[1])).not.toHaveProperty('ManufacturingOrderImportance');
  });

  it('writes only the start of an operation when configured, never the work center when told not to, and skips confirmed operations', async () => {
    gateway({ operationsDone: ['0020'] });
    await connector({ operationDates: 'earliest-start', writeWorkCenter: false }).write(request);
    expect(calls().filter((c) => c.startsWith('PATCH A_ProductionOrderOperation_2'))).toEqual([`PATCH ${OP1}`]);
    expect(body(sap.requests[3])).toEqual({ OpErlstSchedldExecStrtDte: day(2026, 11, 23), OpErlstSchedldExecStrtTme: 'PT08H00M00S' });
  });

  it('returns what SAP holds after the write when its scheduling moved a date', async () => {
    gateway({ reschedule: { MfgOrderScheduledEndTime: 'PT11H05M00S' } });
    const sapConnector = connector({ operationDates: 'none' });
    const outcome = await sapConnector.write(request);
    expect(outcome).toMatchObject({ kind: 'written', held: { ...(sapConnector.project(payload, basis) as object), end: '2026-11-24T11:05:00' } });
  });

  it('writes nothing when SAP already holds the plan, whatever order the stored link keeps its keys in', async () => {
    gateway();
    // The plan does not name 0020 (the MES reported it done, say): SAP keeps its own dates there.
    const held: WritebackPayload = {
      ...payload, plannedStart: '2026-11-23T05:00:00Z', plannedEnd: '2026-11-24T09:30:00Z', dispatchPriority: 30,
      operations: [{ operation: '0010', workCenter: 'ASSY1', plannedStart: '2026-11-23T05:00:00Z', plannedEnd: '2026-11-23T07:30:00Z' }],
    };
    // The link as the database gives it back: jsonb orders keys its own way.
    const stored: ErpLink = {
      ...basis,
      held: {
        end: '2026-11-24T10:30:00', start: '2026-11-23T06:00:00', importance: '2',
        operations: {
          '0020': { workCenter: 'PAINT1', end: '2026-11-24T10:30:00', start: '2026-11-23T08:30:00' },
          '0010': { workCenter: 'ASSY1', end: '2026-11-23T08:30:00', start: '2026-11-23T06:00:00' },
        },
      },
    };
    const sapConnector = connector();
    expect(await sapConnector.write({ payload: held, basis: stored })).toEqual({ kind: 'written', held: sapConnector.project(held, stored), stamp: '20261120081500', calls: 1 });
    expect(calls()).toEqual([`GET ${ORDER_PATH} {"$expand":"to_ProductionOrderOperation"}`]);
  });
});

describe('SAP write: regressions of the old adapter', () => {
  // The old adapter compared these Edm.String(1) flags with `true`, so "X" never matched and a
  // technically completed order was PATCHed.
  for (const flag of ['OrderIsTechnicallyCompleted', 'OrderIsClosed', 'OrderIsLocked', 'OrderIsDeleted', 'OrderIsMarkedForDeletion', 'OrderIsDelivered']) {
    it(`never writes an order whose ${flag} is "X"`, async () => {
      gateway({ order: { [flag]: 'X' } });
      expect(await connector().write(request)).toEqual({ kind: 'closed', reason: `production order 1000100: ${flag} is set in SAP` });
      expect(calls()).toEqual([`GET ${ORDER_PATH} {"$expand":"to_ProductionOrderOperation"}`]);
    });
  }

  it('does not overwrite an order that changed after the snapshot takt planned from', async () => {
    gateway({ order: { LastChangeDateTime: '20261122071200' } });
    expect(await connector().write(request)).toEqual({
      kind: 'conflict', reason: 'production order 1000100 changed in SAP (LastChangeDateTime 20261122071200, planned from 20261120081500)',
    });
    expect(sap.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('writes without a guard when the order was never read from this SAP', async () => {
    gateway({ order: { LastChangeDateTime: '20261122071200' } });
    expect(await connector({ operationDates: 'none' }).write({ payload, basis: null })).toMatchObject({ kind: 'written', stamp: '20261122093500' });
  });
});

describe('SAP write: CSRF, ETag and answers', () => {
  it('starts again with a new token and session when SAP says the token is required', async () => {
    gateway({ orderPatches: [{ status: 403, headers: { 'x-csrf-token': 'Required' }, body: 'CSRF token validation failed' }] });
    expect(await connector({ operationDates: 'none' }).write(request)).toMatchObject({ kind: 'written', calls: 6 });
    expect(sap.requests.map((r) => `${r.method} ${r.headers['x-csrf-token'] ?? '-'} ${r.headers.cookie ?? '-'}`)).toEqual([
      'GET Fetch -',
      'PATCH tok-1 SAP_SESSIONID_S4H_100=sess-1; sap-usercontext=sap-client=100',
      'GET Fetch -',
      'PATCH tok-2 SAP_SESSIONID_S4H_100=sess-2; sap-usercontext=sap-client=100',
      'GET - SAP_SESSIONID_S4H_100=sess-2; sap-usercontext=sap-client=100',
      'GET - SAP_SESSIONID_S4H_100=sess-2; sap-usercontext=sap-client=100',
    ]);
  });

  it('gives up for now when the token is refused again', async () => {
    const required: Reply = { status: 403, headers: { 'x-csrf-token': 'Required' }, body: 'CSRF token validation failed' };
    gateway({ orderPatches: [required, required] });
    expect(await connector().write(request)).toEqual({ kind: 'retry', reason: 'SAP refused the CSRF token twice (x-csrf-token: Required)', status: 403, retryAfterMs: null });
  });

  it('treats 412 as a conflict: the order changed between the read and the PATCH', async () => {
    gateway({ orderPatches: [{ status: 412, body: sapError('/IWBEP/CM_MGW_RT/022', 'Precondition failed') }] });
    expect(await connector().write(request)).toEqual({
      kind: 'conflict', reason: 'production order 1000100 changed in SAP between read and write (HTTP 412): Precondition failed',
    });
  });

  it('retries 429 and 5xx with Retry-After, rejects other 4xx with SAP\'s message', async () => {
    gateway({ orderPatches: [{ status: 429, headers: { 'retry-after': '120' }, body: sapError('TOO_MANY', 'Rate limit exceeded') }] });
    expect(await connector().write(request)).toEqual({ kind: 'retry', reason: 'HTTP 429: Rate limit exceeded', status: 429, retryAfterMs: 120_000 });
    sap.reset();
    gateway({ orderPatches: [{ status: 500, body: sapError('/IWBEP/CM_MGW_RT/000', 'Runtime error') }] });
    expect(await connector().write(request)).toMatchObject({ kind: 'retry', status: 500, retryAfterMs: null });
    sap.reset();
    gateway({ orderPatches: [{ status: 400, body: sapError('CO/036', 'Basic finish date is before basic start date') }] });
    expect(await connector().write(request)).toEqual({ kind: 'rejected', reason: 'Basic finish date is before basic start date', status: 400 });
    sap.reset();
    expect(await connector().write(request)).toEqual({ kind: 'rejected', reason: `Resource not found for segment '${ORDER_PATH}'`, status: 404 });
  });

  it('retries a timeout', async () => {
    sap.on('GET', 'productionOrder', ORDER_PATH, () => 'hang');
    expect(await connector({ timeoutMs: 150 }).write(request)).toEqual({ kind: 'retry', reason: 'SAP GET: timeout', status: null, retryAfterMs: null });
  });
});
