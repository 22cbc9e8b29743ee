import { afterEach, describe, expect, it } from 'vitest';
import type { ErpRecord, ReadOutcome } from '../../../../sync/connectors/connector.ts';
import { links, NOW, readRequest, startHarness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => { await h.close(); });

function changes(outcome: ReadOutcome) {
  if (outcome.kind !== 'changes') throw new Error(`unavailable: ${outcome.reason}`);
  return outcome;
}
const summary = (records: readonly ErpRecord[]) => records.map((r) => `${r.type} ${String(r.data.id ?? '')}`);

describe.each([16, 17] as const)('read from Odoo %i over JSON-RPC', (version) => {
  it('reads the company in dependency order and nothing of other companies', async () => {
    h = await startHarness(version);
    const read = changes(await h.connector().read(readRequest(null, links(), false)));
    expect(summary(read.records)).toEqual([
      'plant.upserted P1',
      'calendar.upserted calendar-1',
      'calendar.upserted calendar-3',
      'work_center.upserted ASM',
      'work_center.upserted workcenter-4',
      'work_center.upserted SAW',
      'item.upserted FUR-DESK',
      'item.upserted RM-LEG',
      'item.upserted product-51',
      'lot.upserted RM-LEG/LOT-0042',
      'lot.upserted product-51',
      'receipt.upserted WH/IN/00004#120',
      // Done WH/MO/00015 and cancelled WH/MO/00014 were never takt's: left out.
      'work_order.upserted WH/MO/00012',
      'work_order.upserted WH/MO/00013',
    ]);
    expect(read.records[0]).toEqual({ type: 'plant.upserted', data: { id: 'P1', name: 'YourCompany', timeZone: 'Europe/Brussels' }, ref: { company: 1 }, changedAt: NOW });
    expect(read.records.find((r) => r.type === 'lot.upserted')?.source).toBe('wms');
    expect(read.more).toBe(false);
  });

  it('asks Odoo for the version\'s fields, within the company, oldest change first', async () => {
    h = await startHarness(version);
    await h.connector().read(readRequest());
    const [productions] = h.calls('mrp.production', 'search_read');
    const planned = version === 16 ? ['date_planned_start', 'date_planned_finished'] : ['date_start', 'date_finished'];
    expect(productions).toMatchObject({
      api: 'jsonrpc', ids: null,
      params: {
        domain: [['company_id', '=', 1]],
        fields: ['name', 'state', 'priority', 'product_id', 'product_qty', 'product_uom_id', 'date_deadline', 'company_id', 'workorder_ids', 'move_raw_ids', 'write_date', ...planned],
        limit: 200,
        order: 'write_date asc, id asc',
      },
      context: { allowed_company_ids: [1] },
    });
    const [workorders] = h.calls('mrp.workorder', 'search_read').slice(-1);
    expect(workorders?.params.order).toBe(version === 16 ? 'id' : 'sequence, id');
    expect(h.calls().every((c) => (c.context.allowed_company_ids as number[])[0] === 1)).toBe(true);
    // Every login and call went to /jsonrpc.
    expect(h.erp.requests.every((r) => r.url === '/jsonrpc')).toBe(true);
  });

  it('reads again from the cursor with an overlap, and only what changed', async () => {
    h = await startHarness(version);
    const connector = h.connector();
    const first = changes(await connector.read(readRequest()));
    const cursor = JSON.parse(first.cursor) as { streams: Record<string, { at: string }> };
    expect(cursor.streams['mrp.production']).toEqual({ at: '2026-11-21 10:00:00', id: 14, resume: false });
    h.odoo.calls.length = 0;

    // A planner moves the second work order of WH/MO/00012 in Odoo: the work order changes, not the production.
    Object.assign(h.odoo.record('mrp.workorder', 42), { write_date: '2026-11-22 11:00:00', [h.odoo.planned.start]: '2026-11-24 07:00:00', [h.odoo.planned.end]: '2026-11-24 07:24:00' });
    const second = changes(await connector.read(readRequest(first.cursor, links())));
    const [productions] = h.calls('mrp.production', 'search_read');
    expect(productions?.params.domain).toEqual([['company_id', '=', 1], ['write_date', '>=', '2026-11-21 09:59:55']]);
    // The moved work order re-reads WH/MO/00012; WH/MO/00013 (09:00:00) is before the window. Records
    // stamped within the overlap of their stream's stamp are read again (the core drops them unchanged).
    expect(summary(second.records).filter((r) => r.startsWith('work_order'))).toEqual(['work_order.upserted WH/MO/00012']);
    expect(summary(second.records).filter((r) => !r.startsWith('work_order'))).toEqual([
      'calendar.upserted calendar-3', // two-week calendar: dated from today
      'work_center.upserted SAW', // stamped at its stream's stamp
      'item.upserted FUR-DESK', 'item.upserted RM-LEG', 'item.upserted product-51', // within 2 s of the last one
      'lot.upserted RM-LEG/LOT-0042', 'lot.upserted product-51', 'receipt.upserted WH/IN/00004#120',
    ]);
    const order = second.records.find((r) => r.type === 'work_order.upserted')!;
    expect(order.stamp).toBe('2026-11-22 11:00:00');
    expect((order.held as { operations: Record<string, unknown> }).operations['42']).toEqual({ start: '2026-11-24 07:00:00', end: '2026-11-24 07:24:00' });
    expect(JSON.parse(second.cursor).streams['mrp.workorder']).toEqual({ at: '2026-11-22 11:00:00', id: 42, resume: false });
  });

  it('stops at a full page, resumes after the last record, and reads no order before its items', async () => {
    h = await startHarness(version);
    const connector = h.connector({ pageSize: 2 });
    const first = changes(await connector.read(readRequest()));
    expect(first.more).toBe(true);
    expect(summary(first.records).filter((r) => r.startsWith('item') || r.startsWith('work_order'))).toEqual(['item.upserted FUR-DESK', 'item.upserted RM-LEG']);
    expect(h.calls('mrp.production')).toEqual([]);
    expect(JSON.parse(first.cursor).streams['product.product']).toEqual({ at: '2026-11-05 10:00:01', id: 50, resume: true });
    h.odoo.calls.length = 0;
    const second = changes(await connector.read(readRequest(first.cursor)));
    expect(h.calls('product.product', 'search_read')[0]?.params.domain).toEqual([
      ['company_id', 'in', [1, false]], ['type', '!=', 'service'],
      '|', ['write_date', '>', '2026-11-05 10:00:01'], '&', ['write_date', '=', '2026-11-05 10:00:01'], ['id', '>', 50],
    ]);
    expect(summary(second.records).filter((r) => r.startsWith('item'))).toEqual(['item.upserted product-51']);
  });

  it('cancels takt orders whose production was cancelled, deleted, moved to another company or renamed', async () => {
    h = await startHarness(version);
    h.odoo.remove('mrp.production', 13);
    h.odoo.record('mrp.production', 12).company_id = [2, 'Other Co'];
    h.odoo.record('mrp.production', 15).name = 'WH/MO/00015-1';
    const known = links([
      { kind: 'work_order', key: 'WH/MO/00012', ref: { production: 12, workorders: {} } },
      { kind: 'work_order', key: 'WH/MO/00013', ref: { production: 13, workorders: {} } },
      { kind: 'work_order', key: 'WH/MO/00014', ref: { production: 14, workorders: {} } },
      { kind: 'work_order', key: 'WH/MO/00015', ref: { production: 15, workorders: {} } },
    ]);
    const read = changes(await h.connector().read(readRequest(null, known)));
    const cancelled = read.records.filter((r) => r.type === 'work_order.cancelled').map((r) => r.data);
    expect(cancelled).toEqual([
      { id: 'WH/MO/00014', reason: 'cancelled in Odoo' },
      { id: 'WH/MO/00012', reason: 'deleted in Odoo (or moved to another company)' },
      { id: 'WH/MO/00013', reason: 'deleted in Odoo (or moved to another company)' },
      { id: 'WH/MO/00015', reason: 'renamed in Odoo to WH/MO/00015-1' },
    ]);
    const [lookup] = h.calls('mrp.production', 'search_read').filter((c) => JSON.stringify(c.params.fields) === '["name"]');
    // WH/MO/00014 was read with this batch: only the others are looked up.
    expect(lookup?.params.domain).toEqual([['id', 'in', [12, 13, 15]], ['company_id', '=', 1]]);
  });

  it('tells takt when a receipt arrived or vanished and when a lot ran empty', async () => {
    h = await startHarness(version);
    h.odoo.remove('stock.move', 120);
    h.odoo.remove('stock.quant', 204);
    h.odoo.add('stock.move.line', { id: 302, product_id: [51, 'Wood Panel'], lot_id: false, state: 'done', company_id: [1, 'YourCompany'], write_date: '2026-11-22 11:30:00' });
    const known = links([
      { kind: 'receipt', key: 'WH/IN/00003#121', ref: { move: 121 } },
      { kind: 'receipt', key: 'WH/IN/00004#120', ref: { move: 120 } },
      { kind: 'lot', key: 'product-51', ref: { product: 51, lot: null } },
    ]);
    const read = changes(await h.connector().read(readRequest(null, known)));
    expect(read.records.filter((r) => r.type === 'receipt.cancelled').map((r) => r.data)).toEqual([
      { id: 'WH/IN/00003#121', reason: 'received in Odoo (now counted as stock)' },
      { id: 'WH/IN/00004#120', reason: 'deleted in Odoo' },
    ]);
    expect(read.records.find((r) => r.type === 'lot.upserted' && r.data.id === 'product-51')?.data).toEqual({ id: 'product-51', item: 'product-51', quantity: 0, status: 'available' });
  });

  it('answers unavailable with Odoo\'s reason when a call fails', async () => {
    h = await startHarness(version);
    h.odoo.interceptors.push((c) => (c.model === 'mrp.production' ? { reply: { status: 503, headers: { 'retry-after': '30' }, body: 'maintenance' } } : null));
    expect(await h.connector().read(readRequest())).toEqual({ kind: 'unavailable', reason: 'Odoo answered HTTP 503', retryAfterMs: 30_000 });
    expect(await h.connector({ password: 'wrong' }).read(readRequest())).toMatchObject({ kind: 'unavailable', reason: expect.stringContaining('Odoo login failed for "takt"') });
  });
});

describe('read from Odoo 16 without product_expiry', () => {
  it('finds out once that stock.lot has no expiration_date, and gives lots no expiry', async () => {
    h = await startHarness(16);
    const connector = h.connector();
    const read = changes(await connector.read(readRequest()));
    expect(read.records.find((r) => r.data.id === 'RM-LEG/LOT-0042')?.data).toEqual({ id: 'RM-LEG/LOT-0042', item: 'RM-LEG', quantity: 42, status: 'available' });
    expect(h.calls('stock.lot', 'fields_get')).toMatchObject([{ params: { allfields: ['expiration_date'], attributes: ['type'] } }]);
    expect(h.calls('stock.lot', 'read')[0]?.params.fields).toEqual(['name', 'product_id', 'write_date']);
    await connector.read(readRequest(read.cursor));
    expect(h.calls('stock.lot', 'fields_get')).toHaveLength(1);
  });
});
