/**
 * Manufacturing orders: productions changed since the cursor (done or cancelled ones only when
 * takt has them), and productions whose work
 * orders changed (moving one work order in Odoo's planning writes the work order, not always
 * the production). Each is read with its work orders, component moves, routing operations,
 * products and units, and mapped in map-work-order.ts. Productions deleted in Odoo (or moved to
 * another company) leave no trace there: linked orders whose production is gone are cancelled,
 * as are orders whose production now carries another name.
 */
import type { ErpRecord } from '../connector.ts';
import type { WorkCenterInfo } from './map-work-center.ts';
import { mapProduction } from './map-work-order.ts';
import type { OrderRef } from './order-ref.ts';
import { need, type ReadSession } from './read-session.ts';
import { ids, m2oId, num, text, type OdooRecord } from './values.ts';

const RAW_MOVE_FIELDS = ['product_id', 'product_qty', 'operation_id', 'workorder_id', 'state', 'raw_material_production_id'] as const;

export async function readOrders(s: ReadSession, workCenters: ReadonlyMap<number, WorkCenterInfo>): Promise<readonly ErpRecord[]> {
  const { fields } = s;
  const changed = await s.page('mrp.production', 'mrp.production', s.company, fields.production.read);
  const moved = await s.page('mrp.workorder', 'mrp.workorder', [['production_id.company_id', '=', s.config.companyId]], ['production_id']);
  const known = new Set(changed.map((p) => p.id as number));
  const extra = [...new Set(moved.flatMap((wo) => { const id = m2oId(wo.production_id); return id === null || known.has(id) ? [] : [id]; }))].sort((a, b) => a - b);
  const productions = [...changed, ...await s.all('mrp.production', [['id', 'in', extra], ...s.company], fields.production.read, 'write_date, id')];

  const productionIds = productions.map((p) => p.id as number);
  const workorders = await s.all('mrp.workorder', [['production_id', 'in', productionIds]], fields.workorder.read, fields.workorder.order);
  const rawMoves = await s.all('stock.move', [['id', 'in', productions.flatMap((p) => ids(p.move_raw_ids))]], RAW_MOVE_FIELDS, 'id');
  const routingIds = [...new Set(workorders.flatMap((wo) => { const id = m2oId(wo.operation_id); return id === null ? [] : [id]; }))];
  const routing = new Map((await s.all('mrp.routing.workcenter', [['id', 'in', routingIds]], ['name', 'time_cycle', 'workcenter_id'], 'id', { active_test: false }))
    .map((r) => [r.id as number, r]));
  const products = await s.productsById([...productions.map((p) => m2oId(p.product_id)), ...rawMoves.map((m) => m2oId(m.product_id))]
    .filter((id): id is number => id !== null));
  const uoms = await s.uomsById([...productions.map((p) => m2oId(p.product_uom_id)), ...[...products.values()].map((p) => m2oId(p.uom_id))]
    .filter((id): id is number => id !== null));

  const records: ErpRecord[] = [];
  for (const production of productions) {
    const mapped = mapProduction({
      production,
      workorders: workorders.filter((wo) => m2oId(wo.production_id) === production.id),
      rawMoves: rawMoves.filter((m) => m2oId(m.raw_material_production_id) === production.id),
      products, uoms, workCenters, routing, fields,
      urgentPriority: s.config.urgentPriority,
      normalPriority: s.config.normalPriority,
      withPriority: s.config.priorityThreshold !== null,
    });
    if (mapped.kind === 'order') {
      // A closed order takt never saw is history, not work: only a linked one learns it closed.
      if (mapped.data.status === 'closed' && s.links.get('work_order', mapped.data.id) === undefined) continue;
      records.push({ type: 'work_order.upserted', data: mapped.data, ref: mapped.ref, stamp: mapped.stamp, held: mapped.held, changedAt: mapped.changedAt });
    } else if (mapped.kind === 'cancelled' && s.links.get('work_order', mapped.id) !== undefined) {
      records.push({ type: 'work_order.cancelled', data: { id: mapped.id, reason: 'cancelled in Odoo' }, ref: { production: production.id, workorders: {} }, stamp: null, changedAt: mapped.changedAt });
    }
  }
  return [...records, ...await vanishedOrders(s, new Set(productions.map((p) => text(p.name) ?? '')))];
}

/** Linked orders whose production was deleted, moved to another company or renamed. */
async function vanishedOrders(s: ReadSession, handled: ReadonlySet<string>): Promise<readonly ErpRecord[]> {
  const linked = s.links.keys('work_order').flatMap((key) => {
    const ref = s.links.get('work_order', key)?.ref as Partial<OrderRef> | null | undefined;
    return typeof ref?.production === 'number' && !handled.has(key) ? [{ key, production: ref.production }] : [];
  });
  if (linked.length === 0) return [];
  const now = new Map(need(await s.client.searchRead('mrp.production', [['id', 'in', linked.map((l) => l.production)], ...s.company], ['name']))
    .map((p: OdooRecord) => [num(p.id), text(p.name)]));
  return linked.flatMap(({ key, production }): ErpRecord[] => {
    const name = now.get(production);
    if (name === key) return [];
    const reason = name === undefined ? 'deleted in Odoo (or moved to another company)' : `renamed in Odoo to ${String(name)}`;
    return [{ type: 'work_order.cancelled', data: { id: key, reason }, ref: { production, workorders: {} }, stamp: null, changedAt: s.now }];
  });
}
