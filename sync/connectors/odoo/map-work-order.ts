/**
 * `mrp.production` with its work orders and component moves → takt's `work_order.upserted`
 * (or `work_order.cancelled`), with the Odoo ids for the way back (`ref`), the change stamp the
 * write-back is guarded by, and what Odoo holds of the write-back fields (`held`).
 *
 * - id: the production's `name` (`WH/MO/00012`, unique per company);
 * - item and quantity: `product_qty` in `product_uom_id`, converted to the product's `uom_id`;
 * - due: `date_deadline`, else the planned end of the version (`date_planned_finished` on 16,
 *   `date_finished` on 17+), else the planned start;
 * - status: draft planned, confirmed released, progress started, to_close completed (all work
 *   done, the order not yet closed), done closed; cancel is a `work_order.cancelled`;
 * - priority: `'1'` (urgent star) and `'0'` map to configured takt priorities;
 * - operations: the open work orders in routing order (done and cancelled ones need no
 *   capacity; an order whose work orders are all finished keeps them so its routing stays
 *   valid). Modes: the work center, then its `alternative_workcenter_ids`. Setup is
 *   `time_start + time_stop` of the center; run minutes per unit come from the work order's
 *   `duration_expected` (Odoo's own estimate for this quantity) less setup, else from the
 *   operation's `time_cycle`; an alternative center gets Odoo's conversion of
 *   `mrp.workorder._get_duration_expected(alternative_workcenter=…)`: cycles of
 *   `ceil(qty / capacity)`, time scaled by `100 / time_efficiency`;
 * - materials: open `move_raw_ids` (`product_qty` is already in the product's unit), consumed
 *   by the work order of their `workorder_id`, or of their BoM `operation_id`.
 */
import type { OdooFieldSet } from './fields.ts';
import { CLOSED_WORKORDER_STATES } from './fields.ts';
import { heldOf, type OdooHeld } from './held.ts';
import { itemKey, operationKey } from './keys.ts';
import type { OrderRef } from './order-ref.ts';
import type { WorkCenterInfo } from './map-work-center.ts';
import { convertQuantity, roundUp, type OdooUom } from './uom.ts';
import { laterOf, m2oId, num, odooDatetime, odooMs, odooToIso, text, type OdooRecord } from './values.ts';

export interface ProductionInput {
  readonly production: OdooRecord;
  /** The production's work orders in routing order. */
  readonly workorders: readonly OdooRecord[];
  readonly rawMoves: readonly OdooRecord[];
  readonly products: ReadonlyMap<number, OdooRecord>;
  readonly uoms: ReadonlyMap<number, OdooUom>;
  readonly workCenters: ReadonlyMap<number, WorkCenterInfo>;
  /** `mrp.routing.workcenter` by id (for `time_cycle`). */
  readonly routing: ReadonlyMap<number, OdooRecord>;
  readonly fields: OdooFieldSet;
  readonly urgentPriority: number;
  readonly normalPriority: number;
  readonly withPriority: boolean;
}

export type MappedProduction =
  | {
    readonly kind: 'order';
    readonly data: WorkOrderData;
    readonly ref: OrderRef;
    readonly stamp: string | null;
    readonly held: OdooHeld;
    readonly changedAt: number;
  }
  | { readonly kind: 'cancelled'; readonly id: string; readonly changedAt: number }
  /** Cannot be planned by takt (no work order, an unknown center or product); left out of the read. */
  | { readonly kind: 'skipped'; readonly id: string; readonly reason: string };

export type WorkOrderData = {
  readonly id: string;
  readonly item: string;
  readonly quantity: number;
  readonly due: string;
  readonly priority: number;
  readonly status: 'planned' | 'released' | 'started' | 'completed' | 'closed';
  readonly operations: readonly {
    readonly id: string;
    readonly name?: string;
    readonly modes: readonly { readonly workCenter: string; readonly setupMinutes: number; readonly runMinutesPerUnit: number }[];
  }[];
  readonly materials: readonly { readonly item: string; readonly quantity: number; readonly operation?: string }[];
};

const STATUS: Readonly<Record<string, WorkOrderData['status']>> = {
  draft: 'planned', confirmed: 'released', progress: 'started', to_close: 'completed', done: 'closed',
};

/** The order's change stamp: the latest write_date of the production and its work orders. */
export function orderStamp(production: OdooRecord, workorders: readonly OdooRecord[]): string | null {
  return [production, ...workorders].map((r) => odooDatetime(r.write_date)).reduce<string | null>(laterOf, null);
}

const round6 = (x: number): number => Number(x.toFixed(6));

export function mapProduction(input: ProductionInput): MappedProduction {
  const { production, fields } = input;
  const id = text(production.name) ?? `production-${String(production.id)}`;
  const stamp = orderStamp(production, input.workorders);
  const changedAt = odooMs(stamp) ?? 0;
  const state = text(production.state) ?? 'draft';
  if (state === 'cancel') return { kind: 'cancelled', id, changedAt };
  const skip = (reason: string): MappedProduction => ({ kind: 'skipped', id, reason });

  const product = input.products.get(m2oId(production.product_id) ?? -1);
  if (product === undefined) return skip('its product was not read');
  const item = itemKey(product);
  const quantity = inProductUnit(num(production.product_qty), m2oId(production.product_uom_id), m2oId(product.uom_id), input);
  if (!quantity.ok) return skip(quantity.reason);
  if (!(quantity.quantity > 0)) return skip('its quantity is not positive');
  const due = odooToIso(production[fields.production.deadline])
    ?? odooToIso(production[fields.production.plannedEnd])
    ?? odooToIso(production[fields.production.plannedStart]);
  if (due === null) return skip('it has neither a deadline nor planned dates');

  const open = input.workorders.filter((wo) => !CLOSED_WORKORDER_STATES.has(text(wo.state) ?? ''));
  const planned = open.length > 0 ? open : input.workorders.filter((wo) => text(wo.state) !== 'cancel');
  if (planned.length === 0) return skip('it has no work orders');

  const operations: WorkOrderData['operations'][number][] = [];
  for (const wo of planned) {
    const modes = modesOf(wo, quantity.quantity, input);
    if (typeof modes === 'string') return skip(modes);
    const name = text(wo.name);
    operations.push({ id: operationKey(num(wo.id)), ...(name !== null && { name: name.slice(0, 2000) }), modes });
  }

  const byWorkorder = new Map(planned.map((wo) => [num(wo.id), operationKey(num(wo.id))]));
  const byOperation = new Map(planned.flatMap((wo) => {
    const op = m2oId(wo.operation_id);
    return op === null ? [] : [[op, operationKey(num(wo.id))] as const];
  }));
  const materials: WorkOrderData['materials'][number][] = [];
  for (const move of input.rawMoves) {
    if (CLOSED_WORKORDER_STATES.has(text(move.state) ?? '')) continue;
    const component = input.products.get(m2oId(move.product_id) ?? -1);
    if (component === undefined) return skip(`component ${String(move.product_id)} was not read`);
    const operation = byWorkorder.get(m2oId(move.workorder_id) ?? -1) ?? byOperation.get(m2oId(move.operation_id) ?? -1);
    materials.push({ item: itemKey(component), quantity: round6(Math.max(0, num(move.product_qty))), ...(operation !== undefined && { operation }) });
  }

  const keyed = new Map(planned.map((wo) => [operationKey(num(wo.id)), wo]));
  return {
    kind: 'order',
    data: {
      id,
      item,
      quantity: quantity.quantity,
      due,
      priority: production.priority === '1' ? input.urgentPriority : input.normalPriority,
      status: STATUS[state] ?? 'released',
      operations,
      materials,
    },
    ref: { production: num(production.id), workorders: Object.fromEntries([...keyed].map(([key, wo]) => [key, num(wo.id)])) },
    stamp,
    held: heldOf(production, keyed, fields, input.withPriority),
    changedAt,
  };
}

function inProductUnit(qty: number, fromId: number | null, toId: number | null, input: ProductionInput) {
  if (fromId === null || toId === null || fromId === toId) return { ok: true as const, quantity: qty };
  const from = input.uoms.get(fromId);
  const to = input.uoms.get(toId);
  if (from === undefined || to === undefined) return { ok: false as const, reason: `unit ${fromId} or ${toId} was not read` };
  return convertQuantity(qty, from, to, input.fields.uomFactor);
}

/** Odoo's number of cycles: `float_round(qty / capacity, precision_digits=0, rounding_method='UP')`. */
function cycles(qty: number, center: WorkCenterInfo): number {
  return Math.max(1, roundUp(qty / center.capacity, 1));
}

function modesOf(wo: OdooRecord, qty: number, input: ProductionInput): WorkOrderData['operations'][number]['modes'] | string {
  const primary = input.workCenters.get(m2oId(wo.workcenter_id) ?? -1);
  if (primary === undefined) return `work order ${String(wo.id)} is on a work center that was not read (archived or of another company)`;
  if (primary.calendarId === null) return `work center ${primary.key} has no working calendar`;
  const expected = num(wo.duration_expected);
  const timeCycle = num(input.routing.get(m2oId(wo.operation_id) ?? -1)?.time_cycle);
  // Run minutes of the whole work order on its own center, setup excluded.
  const run = expected > 0
    ? Math.max(0, expected - primary.setupMinutes)
    : cycles(qty, primary) * timeCycle * 100 / primary.efficiency;
  // Per cycle at 100 % efficiency: what an alternative center scales by its own cycles and efficiency.
  const perCycle = run * primary.efficiency / 100 / cycles(qty, primary);
  const alternatives = primary.alternatives
    .map((altId) => input.workCenters.get(altId))
    .filter((c): c is WorkCenterInfo => c !== undefined && c.calendarId !== null && c.id !== primary.id);
  return [
    { workCenter: primary.key, setupMinutes: round6(primary.setupMinutes), runMinutesPerUnit: round6(run / qty) },
    ...alternatives.map((alt) => ({
      workCenter: alt.key,
      setupMinutes: round6(alt.setupMinutes),
      runMinutesPerUnit: round6(cycles(qty, alt) * perCycle * 100 / alt.efficiency / qty),
    })),
  ];
}
