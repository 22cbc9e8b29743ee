import { describe, expect, it } from 'vitest';
import { fieldSetOf } from '../../../../sync/connectors/odoo/fields.ts';
import { mapItem } from '../../../../sync/connectors/odoo/map-item.ts';
import { mapLot, mapReceipt } from '../../../../sync/connectors/odoo/map-stock.ts';
import { mapWorkCenter, workCenterInfo } from '../../../../sync/connectors/odoo/map-work-center.ts';
import { mapProduction, type ProductionInput } from '../../../../sync/connectors/odoo/map-work-order.ts';
import { uomOf } from '../../../../sync/connectors/odoo/uom.ts';
import { loadFixture, type Fixture, type OdooRecord } from './fake-odoo.ts';

const byId = (fixture: Fixture, model: string) => new Map((fixture[model] ?? []).map((r) => [r.id as number, r]));

/** The mapper's input for one production, straight from the fixture records. */
function inputOf(fixture: Fixture, version: 16 | 17, productionId: number, patch: Partial<ProductionInput> = {}): ProductionInput {
  const production = byId(fixture, 'mrp.production').get(productionId)!;
  const order = version === 16 ? (a: OdooRecord, b: OdooRecord) => (a.id as number) - (b.id as number)
    : (a: OdooRecord, b: OdooRecord) => (a.sequence as number) - (b.sequence as number) || (a.id as number) - (b.id as number);
  return {
    production,
    workorders: fixture['mrp.workorder']!.filter((wo) => (wo.production_id as [number])[0] === productionId).sort(order),
    rawMoves: fixture['stock.move']!.filter((m) => Array.isArray(m.raw_material_production_id) && m.raw_material_production_id[0] === productionId),
    products: byId(fixture, 'product.product'),
    uoms: new Map(fixture['uom.uom']!.map((u) => [u.id as number, uomOf(u)])),
    workCenters: new Map(fixture['mrp.workcenter']!.map((w) => [w.id as number, workCenterInfo(w)])),
    routing: byId(fixture, 'mrp.routing.workcenter'),
    fields: fieldSetOf(version),
    urgentPriority: 2,
    normalPriority: 1,
    withPriority: false,
    ...patch,
  };
}

describe.each([
  { version: 16 as const, fixture: 'odoo16.json' },
  { version: 17 as const, fixture: 'odoo17.json' },
])('Odoo $version records → canonical records', ({ version, fixture: file }) => {
  const fixture = loadFixture(file);

  it('maps a confirmed production with its open work orders, modes, times and components', () => {
    expect(mapProduction(inputOf(fixture, version, 12))).toEqual({
      kind: 'order',
      data: {
        id: 'WH/MO/00012',
        item: 'FUR-DESK',
        // 0.5 Dozens in the product's Units: 0.5 / (1/12) * 1, rounded up to 0.01 as Odoo does.
        quantity: 6,
        due: '2026-11-27T16:00:00Z',
        priority: 2,
        status: 'released',
        operations: [
          // The done Cutting work order (40) needs no capacity and is left out.
          {
            id: '41', name: 'Assembly', modes: [
              // ASM: setup 10+5; run (130 - 15) / 6 per unit.
              { workCenter: 'ASM', setupMinutes: 15, runMinutesPerUnit: 19.166667 },
              // Alternative: 115 min over 3 cycles at 80 % = 30.6667 min per cycle at 100 %; 6 cycles on a 1-piece cell.
              { workCenter: 'workcenter-4', setupMinutes: 0, runMinutesPerUnit: 30.666667 },
            ],
          },
          // No expected duration yet: time_cycle 4 min × 6 cycles at 100 %.
          { id: '42', name: 'Packing', modes: [{ workCenter: 'workcenter-4', setupMinutes: 0, runMinutesPerUnit: 4 }] },
        ],
        materials: [
          // 2 Dozens of legs: product_qty is in the product's unit already; BoM operation 7 is work order 41.
          { item: 'RM-LEG', quantity: 24, operation: '41' },
          // 3500 g; no operation: the first one consumes it. The done move (92) was consumed already.
          { item: 'product-51', quantity: 3.5 },
        ],
      },
      ref: { production: 12, workorders: { 41: 41, 42: 42 } },
      // The later of the production's and its work orders' write_date.
      stamp: '2026-11-20 10:00:05',
      held: {
        start: '2026-11-23 07:00:00',
        end: '2026-11-23 15:00:00',
        operations: { 41: { start: '2026-11-23 07:00:00', end: '2026-11-23 09:10:00' }, 42: { start: null, end: null } },
      },
      changedAt: Date.UTC(2026, 10, 20, 10, 0, 5),
    });
  });

  it('takes run times from the routing operation when Odoo has no expected duration, scaled by efficiency and capacity', () => {
    const mapped = mapProduction(inputOf(fixture, version, 13));
    expect(mapped.kind === 'order' && mapped.data).toMatchObject({
      id: 'WH/MO/00013', quantity: 2, status: 'planned', priority: 1,
      // No deadline: the planned end of the version.
      due: '2026-11-24T10:00:00Z',
      operations: [{
        id: '43',
        modes: [
          // time_cycle 60 × ceil(2 / 2) cycles × 100 / 80 = 75 min for 2 pieces.
          { workCenter: 'ASM', setupMinutes: 15, runMinutesPerUnit: 37.5 },
          // 60 min per cycle at 100 %, 2 cycles on the 1-piece cell.
          { workCenter: 'workcenter-4', setupMinutes: 0, runMinutesPerUnit: 60 },
        ],
      }],
    });
  });

  it('maps every production state', () => {
    const production = byId(fixture, 'mrp.production').get(13)!;
    const statusOf = (state: string) => {
      const mapped = mapProduction(inputOf(fixture, version, 13, { production: { ...production, state } }));
      return mapped.kind === 'order' ? mapped.data.status : mapped.kind;
    };
    expect(['draft', 'confirmed', 'progress', 'to_close', 'done', 'cancel'].map(statusOf))
      .toEqual(['planned', 'released', 'started', 'completed', 'closed', 'cancelled']);
  });

  it('keeps the finished work orders of an order that has nothing left to do, so its routing stays valid', () => {
    const mapped = mapProduction(inputOf(fixture, version, 15));
    expect(mapped.kind === 'order' && mapped.data.operations.map((op) => op.id)).toEqual(['45']);
  });

  it('makes the urgent star a higher takt priority, as configured', () => {
    const mapped = mapProduction(inputOf(fixture, version, 12, { urgentPriority: 5, normalPriority: 2 }));
    expect(mapped.kind === 'order' && mapped.data.priority).toBe(5);
    const normal = mapProduction(inputOf(fixture, version, 13, { urgentPriority: 5, normalPriority: 2 }));
    expect(normal.kind === 'order' && normal.data.priority).toBe(2);
  });

  it('holds the priority star only when priority is written', () => {
    const mapped = mapProduction(inputOf(fixture, version, 12, { withPriority: true }));
    expect(mapped.kind === 'order' && mapped.held.priority).toBe('1');
  });

  it('leaves out what takt cannot plan, and says why', () => {
    expect(mapProduction(inputOf(fixture, version, 12, { workorders: [] }))).toEqual({ kind: 'skipped', id: 'WH/MO/00012', reason: 'it has no work orders' });
    expect(mapProduction(inputOf(fixture, version, 12, { workCenters: new Map() }))).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('work center that was not read') });
    expect(mapProduction(inputOf(fixture, version, 12, { uoms: new Map() }))).toMatchObject({ kind: 'skipped', reason: 'unit 21 or 1 was not read' });
  });

  it('maps work centers, products, lots and receipts', () => {
    const centers = fixture['mrp.workcenter']!;
    expect(mapWorkCenter(workCenterInfo(centers.find((c) => c.id === 3)!))).toEqual({
      data: { id: 'ASM', name: 'Assembly Line', units: 2, calendar: 'calendar-1' }, changedAt: Date.UTC(2026, 10, 10, 8),
    });
    // No code: a stable id-based key, never the name.
    expect(mapWorkCenter(workCenterInfo(centers.find((c) => c.id === 4)!))?.data.id).toBe('workcenter-4');
    expect(mapWorkCenter(workCenterInfo({ ...centers[0]!, resource_calendar_id: false }))).toBeNull();

    const products = byId(fixture, 'product.product');
    expect(mapItem(products.get(31)!, '2026-11-21 08:00:00')).toEqual({
      data: { id: 'FUR-DESK', name: 'Office Desk', uom: 'Units' }, stamp: '2026-11-21 08:00:00', changedAt: Date.UTC(2026, 10, 21, 8),
    });
    expect(mapItem(products.get(51)!).data).toEqual({ id: 'product-51', name: 'Wood Panel', uom: 'kg' });

    const lot = byId(fixture, 'stock.lot').get(5)!;
    const quants = fixture['stock.quant']!.filter((q) => q.id === 201 || q.id === 202);
    expect(mapLot({ item: 'RM-LEG', productId: 50, lot, quants, expiry: version === 17, touched: null })).toEqual({
      data: { id: 'RM-LEG/LOT-0042', item: 'RM-LEG', quantity: 42, status: 'available', ...(version === 17 && { expiresAt: '2027-03-01T00:00:00Z' }) },
      ref: { product: 50, lot: 5 },
      stamp: '2026-11-15 12:00:00',
      changedAt: Date.UTC(2026, 10, 15, 12),
    });

    const moves = byId(fixture, 'stock.move');
    expect(mapReceipt(moves.get(120)!, 'RM-LEG')).toEqual({
      kind: 'expected',
      data: { id: 'WH/IN/00004#120', item: 'RM-LEG', quantity: 100, expectedAt: '2026-11-26T09:00:00Z' },
      ref: { move: 120 }, stamp: '2026-11-18 08:00:00', changedAt: Date.UTC(2026, 10, 18, 8),
    });
    expect(mapReceipt(moves.get(121)!, 'product-51')).toMatchObject({ kind: 'gone', id: 'WH/IN/00003#121', reason: 'received in Odoo (now counted as stock)' });
  });
});

describe('Odoo 16 field set', () => {
  const fixture = loadFixture('odoo16.json');
  it('plans from date_planned_*, never from the actual date_start / date_finished', () => {
    const production = { ...byId(fixture, 'mrp.production').get(12)!, date_start: '2026-11-22 06:00:00', date_finished: false };
    const mapped = mapProduction(inputOf(fixture, 16, 12, { production }));
    expect(mapped.kind === 'order' && [mapped.held.start, mapped.held.end]).toEqual(['2026-11-23 07:00:00', '2026-11-23 15:00:00']);
    const noDeadline = mapProduction(inputOf(fixture, 16, 12, { production: { ...production, date_deadline: false } }));
    expect(noDeadline.kind === 'order' && noDeadline.data.due).toBe('2026-11-23T15:00:00Z');
  });

  it('does not read the 17+ names (the 16 field set is its own)', () => {
    expect(fieldSetOf(16).production.read).not.toContain('date_start');
    expect(fieldSetOf(16).workorder.read).not.toContain('sequence');
    expect(fieldSetOf(17).production.read).not.toContain('date_planned_start');
    expect(fieldSetOf(18)).toBe(fieldSetOf(17));
  });
});
