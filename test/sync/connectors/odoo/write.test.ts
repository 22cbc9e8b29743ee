import { afterEach, describe, expect, it } from 'vitest';
import type { ErpLink } from '../../../../sync/connectors/connector.ts';
import type { WritebackPayload } from '../../../../sync/writeback/payload.ts';
import { readRequest, startHarness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => { await h.close(); });

const payload: WritebackPayload = {
  plant: 'P1', workOrder: 'WH/MO/00012', scheduleVersion: 4,
  plannedStart: '2026-11-24T07:00:00.000Z', plannedEnd: '2026-11-24T11:40:30.500Z', dispatchPriority: 3,
  operations: [
    { operation: '41', workCenter: 'ASM', plannedStart: '2026-11-24T07:00:00.000Z', plannedEnd: '2026-11-24T09:10:00.000Z' },
    // Odoo keeps seconds: 11:40:30.500 is 11:40:30.
    { operation: '42', workCenter: 'workcenter-4', plannedStart: '2026-11-24T09:30:00.000Z', plannedEnd: '2026-11-24T11:40:30.500Z' },
  ],
  idempotencyKey: 'P1:WH/MO/00012:v4',
};

/** The link of WH/MO/00012 as the inbound read leaves it: the basis takt plans and writes from. */
async function basisOf(harness: Harness, key = 'WH/MO/00012'): Promise<ErpLink> {
  const read = await harness.connector().read(readRequest());
  if (read.kind !== 'changes') throw new Error(read.reason);
  const record = read.records.find((r) => r.type === 'work_order.upserted' && r.data.id === key)!;
  harness.odoo.calls.length = 0;
  harness.erp.requests.length = 0;
  return { kind: 'work_order', key, ref: record.ref, stamp: record.stamp ?? null, held: record.held, pending: null, memo: null };
}

const writes = (harness: Harness) => harness.calls(undefined, 'write').map((c) => ({ model: c.model, ids: c.ids, vals: c.params.vals, context: c.context }));
const latest = (harness: Harness) => [harness.odoo.record('mrp.production', 12), ...[40, 41, 42].map((id) => harness.odoo.record('mrp.workorder', id))]
  .map((r) => r.write_date as string).sort().at(-1);

describe.each([16, 17] as const)('write-back to Odoo %i', (version) => {
  const start = version === 16 ? 'date_planned_start' : 'date_start';
  const end = version === 16 ? 'date_planned_finished' : 'date_finished';

  it('(1)(3)(4) writes planned dates without unplanning: work orders by id with bypass_duration_calculation, then the production with force_date', async () => {
    h = await startHarness(version);
    const basis = await basisOf(h);
    const outcome = await h.connector().write({ payload, basis });

    const woWrite = (id: number, s: string, e: string) => ({
      model: 'mrp.workorder', ids: [id], vals: { [start]: s, [end]: e }, context: { allowed_company_ids: [1], bypass_duration_calculation: true },
    });
    const productionWrite = { model: 'mrp.production', ids: [12], vals: { [start]: '2026-11-24 07:00:00', [end]: '2026-11-24 11:40:30' }, context: { allowed_company_ids: [1], force_date: true } };
    expect(writes(h)).toEqual([
      woWrite(41, '2026-11-24 07:00:00', '2026-11-24 09:10:00'),
      woWrite(42, '2026-11-24 09:30:00', '2026-11-24 11:40:30'),
      productionWrite,
      // 17.0 computes the end of a work order's first calendar slot itself; the second write moves the slot to takt's end.
      ...(version === 17 ? [woWrite(42, '2026-11-24 09:30:00', '2026-11-24 11:40:30'), productionWrite] : []),
    ]);
    expect(h.odoo.unplanned).toEqual([]);
    const production = h.odoo.record('mrp.production', 12);
    expect([production[start], production[end]]).toEqual(['2026-11-24 07:00:00', '2026-11-24 11:40:30']);
    expect([h.odoo.record('mrp.workorder', 42)[start], h.odoo.record('mrp.workorder', 42)[end]]).toEqual(['2026-11-24 09:30:00', '2026-11-24 11:40:30']);
    if (version === 16) {
      // 16's date_start / date_finished are the actual dates: never written.
      expect([production.date_start, production.date_finished]).toEqual([false, false]);
    }
    expect(outcome).toEqual({
      kind: 'written',
      held: h.connector().project(payload, basis),
      // Read back: the new stamp, so takt's own write is not taken for an Odoo change.
      stamp: latest(h),
      // A login, the production, its work orders, the writes, two reads back.
      calls: version === 16 ? 8 : 12,
    });
    expect(outcome.kind === 'written' && outcome.stamp).not.toBe(basis.stamp);
  });

  it('(2) matches work orders by the Odoo ids of the link, never by name, and reports what does not match', async () => {
    h = await startHarness(version);
    const basis = await basisOf(h);
    // Renamed in Odoo: the ids still hold.
    h.odoo.record('mrp.workorder', 41).name = 'Packing';
    h.odoo.record('mrp.workorder', 42).name = 'Assembly';
    expect(await h.connector().write({ payload, basis })).toMatchObject({ kind: 'written' });
    expect(writes(h).filter((w) => w.model === 'mrp.workorder').map((w) => w.ids)).toContainEqual([41]);

    h.odoo.calls.length = 0;
    const extra = { ...payload, operations: [...payload.operations, { operation: 'Deburring', workCenter: 'ASM', plannedStart: payload.plannedStart, plannedEnd: payload.plannedEnd }] };
    expect(await h.connector().write({ payload: extra, basis: { ...basis, stamp: null } })).toEqual({
      kind: 'rejected', reason: 'operations Deburring of WH/MO/00012 match no Odoo work order', status: null,
    });
    expect(writes(h)).toEqual([]);

    h.odoo.remove('mrp.workorder', 42);
    expect(await h.connector().write({ payload, basis: { ...basis, stamp: null } })).toEqual({
      kind: 'conflict', reason: 'work orders of WH/MO/00012 no longer exist in Odoo: 42 (mrp.workorder 42)',
    });
    expect(writes(h)).toEqual([]);
  });

  it('(5) writes the priority star from the rank threshold, and only when configured', async () => {
    h = await startHarness(version);
    const basis = await basisOf(h);
    h.odoo.record('mrp.production', 12).priority = '0';
    const connector = h.connector({ priorityThreshold: 5 });
    expect(connector.project(payload, basis)).toMatchObject({ priority: '1' });
    await connector.write({ payload, basis: { ...basis, stamp: null } });
    expect(writes(h).filter((w) => w.model === 'mrp.production').map((w) => w.vals)).toContainEqual({ [start]: '2026-11-24 07:00:00', [end]: '2026-11-24 11:40:30', priority: '1' });
    expect(h.odoo.record('mrp.production', 12).priority).toBe('1');

    h.odoo.calls.length = 0;
    await connector.write({ payload: { ...payload, dispatchPriority: 12 }, basis: { ...basis, stamp: null } });
    expect(writes(h)).toEqual([{ model: 'mrp.production', ids: [12], vals: { priority: '0' }, context: { allowed_company_ids: [1], force_date: true } }]);

    h.odoo.calls.length = 0;
    expect(h.connector().project(payload, basis)).not.toHaveProperty('priority');
    await h.connector().write({ payload: { ...payload, dispatchPriority: 1 }, basis: { ...basis, stamp: null } });
    expect(writes(h)).toEqual([]);
    expect(h.odoo.record('mrp.production', 12).priority).toBe('0');
  });

  it('(6) writes nothing when the order changed in Odoo since the snapshot takt planned from', async () => {
    h = await startHarness(version);
    const basis = await basisOf(h);
    h.odoo.record('mrp.workorder', 42).write_date = '2026-11-22 11:59:00';
    expect(await h.connector().write({ payload, basis })).toEqual({
      kind: 'conflict', reason: 'WH/MO/00012 changed in Odoo since takt planned it (write_date 2026-11-22 11:59:00, planned from 2026-11-20 10:00:05)',
    });
    expect(writes(h)).toEqual([]);
  });

  it('(7) finds the production by the link\'s id within the company; without a link by name within the company', async () => {
    h = await startHarness(version);
    const basis = await basisOf(h);
    h.odoo.record('mrp.production', 12).company_id = [2, 'Other Co'];
    expect(await h.connector().write({ payload, basis })).toEqual({ kind: 'conflict', reason: 'mrp.production 12 (WH/MO/00012) no longer exists in company 1' });
    expect(h.calls('mrp.production', 'search_read')[0]?.params).toMatchObject({ domain: [['id', '=', 12], ['company_id', '=', 1]], limit: 2 });
    expect(writes(h)).toEqual([]);

    h.odoo.calls.length = 0;
    expect(await h.connector().write({ payload, basis: null })).toMatchObject({ kind: 'rejected', reason: 'mrp.production WH/MO/00012 not found in company 1 (looked up by name: the order has no link from a read)' });
    expect(h.calls('mrp.production', 'search_read')[0]?.params).toMatchObject({ domain: [['name', '=', 'WH/MO/00012'], ['company_id', '=', 1]], limit: 2 });

    h.odoo.record('mrp.production', 12).company_id = [1, 'YourCompany'];
    expect(await h.connector().write({ payload, basis: null })).toMatchObject({ kind: 'written' });
    const named = { ...payload, operations: payload.operations.map((op) => ({ ...op, operation: 'Assembly' })) };
    expect(await h.connector().write({ payload: named, basis: null })).toMatchObject({
      kind: 'rejected', reason: 'operations Assembly, Assembly of WH/MO/00012 match no Odoo work order (no link from a read: only Odoo work order ids match)',
    });
  });

  it('(8) sends the configured headers on every call, the login included', async () => {
    h = await startHarness(version);
    const basis = await basisOf(h);
    const connector = h.connector({ headers: { 'x-proxy-key': 'abc', 'x-tenant': 'plant-1' } });
    await connector.read(readRequest());
    await connector.write({ payload, basis: { ...basis, stamp: null } });
    expect(h.erp.requests.length).toBeGreaterThan(10);
    expect(h.erp.requests.every((r) => r.headers['x-proxy-key'] === 'abc' && r.headers['x-tenant'] === 'plant-1')).toBe(true);
  });

  it('never writes a done, cancelled or to-close production, nor a finished work order', async () => {
    h = await startHarness(version);
    const basis = await basisOf(h);
    for (const [state, reason] of [['done', 'is done'], ['cancel', 'is cancelled'], ['to_close', 'is to close (all its work orders are finished)']] as const) {
      h.odoo.record('mrp.production', 12).state = state;
      expect(await h.connector().write({ payload, basis })).toEqual({ kind: 'closed', reason: `mrp.production WH/MO/00012 ${reason}` });
    }
    expect(writes(h)).toEqual([]);

    h.odoo.record('mrp.production', 12).state = 'progress';
    h.odoo.record('mrp.workorder', 41).state = 'done';
    expect(await h.connector().write({ payload, basis: { ...basis, stamp: null } })).toMatchObject({ kind: 'written' });
    expect(writes(h).map((w) => `${w.model} ${String(w.ids)}`)).not.toContain('mrp.workorder 41');
  });

  it('writes nothing Odoo holds already', async () => {
    h = await startHarness(version);
    const basis = await basisOf(h);
    const same: WritebackPayload = {
      ...payload, plannedStart: '2026-11-23T07:00:00Z', plannedEnd: '2026-11-23T15:00:00Z',
      operations: [{ operation: '41', workCenter: 'ASM', plannedStart: '2026-11-23T07:00:00Z', plannedEnd: '2026-11-23T09:10:00Z' }],
    };
    expect(await h.connector().write({ payload: same, basis })).toEqual({ kind: 'written', held: h.connector().project(same, basis), stamp: basis.stamp, calls: 3 });
    expect(writes(h)).toEqual([]);
  });

  it('classifies failures: Odoo refusals are rejected, server errors, throttling and timeouts retried', async () => {
    h = await startHarness(version);
    const basis = { ...await basisOf(h), stamp: null };
    const raise = (name: string, message: string) => h.odoo.interceptors.splice(0, 1, (c) => (c.method === 'write' ? { raise: { name, message } } : null));

    raise('odoo.exceptions.ValidationError', 'The planned end date of the work order cannot be prior to the planned start date');
    expect(await h.connector().write({ payload, basis })).toEqual({
      kind: 'rejected', reason: 'odoo.exceptions.ValidationError: The planned end date of the work order cannot be prior to the planned start date', status: 200,
    });
    for (const name of ['odoo.exceptions.UserError', 'odoo.exceptions.AccessError', 'odoo.exceptions.MissingError']) {
      raise(name, 'no');
      expect(await h.connector().write({ payload, basis })).toMatchObject({ kind: 'rejected', reason: `${name}: no` });
    }
    raise('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update');
    expect(await h.connector().write({ payload, basis })).toMatchObject({ kind: 'retry', reason: expect.stringContaining('SerializationFailure'), retryAfterMs: null });

    h.odoo.interceptors.splice(0, 1, (c) => (c.method === 'write' ? { reply: { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' } } : null));
    expect(await h.connector().write({ payload, basis })).toEqual({ kind: 'retry', reason: 'Odoo answered HTTP 429', status: 429, retryAfterMs: 7000 });
    h.odoo.interceptors.splice(0, 1, (c) => (c.method === 'write' ? { reply: { status: 502, body: 'bad gateway' } } : null));
    expect(await h.connector().write({ payload, basis })).toMatchObject({ kind: 'retry', status: 502 });
    h.odoo.interceptors.splice(0, 1, (c) => (c.method === 'write' ? { reply: 'hang' } : null));
    expect(await h.connector({ timeoutMs: 150 }).write({ payload, basis })).toMatchObject({ kind: 'retry', reason: 'Odoo: timeout' });

    h.odoo.interceptors.length = 0;
    expect(await h.connector({ password: 'rotated' }).write({ payload, basis })).toMatchObject({ kind: 'retry', reason: expect.stringContaining('Odoo login failed') });
  });

  it('says so when Odoo does not keep the dates after two writes', async () => {
    h = await startHarness(version);
    const basis = { ...await basisOf(h), stamp: null };
    // A customisation that swallows the work order's dates.
    h.odoo.interceptors.push((c) => (c.model === 'mrp.workorder' && c.method === 'write' && c.ids?.[0] === 42 ? { reply: { status: 200, body: { jsonrpc: '2.0', id: 1, result: true } } } : null));
    expect(await h.connector().write({ payload, basis })).toEqual({
      kind: 'rejected', reason: 'Odoo did not keep the planned dates of WH/MO/00012 (mrp.workorder 42) after two writes', status: null,
    });
  });
});
