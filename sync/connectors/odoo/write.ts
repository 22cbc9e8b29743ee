/**
 * The write-back of one order's planned dates (and priority) to Odoo.
 *
 * What Odoo does with a write, from addons/mrp/models of 16.0, 17.0 and 18.0:
 * - `mrp.production.write` unplans every work order (`button_unplan`) when the planned start
 *   (`date_planned_start` on 16, `date_start` on 17/18) is in the values, the production
 *   `is_planned`, and the context has no `force_date`. Odoo's own planning writes it
 *   `with_context(force_date=True)`; so does this connector.
 * - `mrp.workorder.write` with both planned dates recomputes the end from the work center's
 *   calendar (`_calculate_date_planned_finished` / `_calculate_date_finished`) unless the
 *   context has `bypass_duration_calculation`; this connector sets it, takt's end is the plan.
 *   Writing the first work order's start (or the last one's end) also moves the production's,
 *   so work orders are written first and the production last.
 * - 17.0's `_set_dates` recomputes the end of a work order that has no calendar slot
 *   (`leave_id`) yet, whatever the context; once the slot exists a second write keeps takt's
 *   end. So dates are read back, and what Odoo did not keep is written once more.
 *
 * Guards: the production is found by the id kept from the inbound read, within the configured
 * company (without a link: by name within the company; then no change-stamp guard is possible
 * and work orders can only be matched by takt operation ids that are Odoo work order ids);
 * done, cancelled and to-close productions are never written (`to_close`: every work order is
 * finished and only the closing of the order remains, so there is nothing left to plan, and
 * moving its dates would rewrite the dates of finished work); done and cancelled work orders
 * are left alone; if the order changed in Odoo since the snapshot takt planned from (the latest
 * `write_date` of the production and its work orders differs from the link's stamp), nothing
 * is written. Odoo's external API cannot make the check and the write one transaction: a change
 * landing between the two (milliseconds) is not detected.
 */
import type { WriteOutcome, WriteRequest } from '../connector.ts';
import type { WritebackPayload } from '../../writeback/payload.ts';
import type { OdooClient } from './client.ts';
import type { ResolvedOdooConfig } from './config.ts';
import type { OdooFailure } from './failure.ts';
import { CLOSED_PRODUCTION_STATES, CLOSED_WORKORDER_STATES, type OdooFieldSet } from './fields.ts';
import { projectPayload, type HeldDates, type OdooHeld } from './held.ts';
import { orderStamp } from './map-work-order.ts';
import { orderRefOf, type OrderRef } from './order-ref.ts';
import { num, odooDatetime, text, type OdooRecord } from './values.ts';

export interface WriteDeps {
  readonly client: OdooClient;
  readonly config: ResolvedOdooConfig;
  readonly fields: OdooFieldSet;
}

const CLOSED_REASON: Readonly<Record<string, string>> = {
  done: 'is done',
  cancel: 'is cancelled',
  to_close: 'is to close (all its work orders are finished)',
};

function failed(failure: OdooFailure): WriteOutcome {
  return failure.kind === 'unavailable'
    ? { kind: 'retry', reason: failure.reason, status: failure.status, retryAfterMs: failure.retryAfterMs }
    : { kind: 'rejected', reason: failure.reason, status: failure.status };
}

export async function writeOdoo(deps: WriteDeps, { payload, basis }: WriteRequest): Promise<WriteOutcome> {
  const { client, config, fields } = deps;
  const startedAt = client.requests;
  const calls = () => client.requests - startedAt;
  const ref = orderRefOf(basis);
  if (ref === 'invalid') return { kind: 'rejected', reason: `the link of ${payload.workOrder} holds no Odoo production id`, status: null };

  const productionFields = ['name', 'state', 'priority', fields.production.plannedStart, fields.production.plannedEnd, 'write_date'];
  const company = ['company_id', '=', config.companyId];
  const found = await client.searchRead('mrp.production', [ref === null ? ['name', '=', payload.workOrder] : ['id', '=', ref.production], company], productionFields, { limit: 2 });
  if (!found.ok) return failed(found);
  const production = found.value[0];
  if (production === undefined) {
    return ref === null
      ? { kind: 'rejected', reason: `mrp.production ${payload.workOrder} not found in company ${config.companyId} (looked up by name: the order has no link from a read)`, status: null }
      : { kind: 'conflict', reason: `mrp.production ${ref.production} (${payload.workOrder}) no longer exists in company ${config.companyId}` };
  }
  if (found.value.length > 1) return { kind: 'rejected', reason: `several mrp.production named ${payload.workOrder} in company ${config.companyId}`, status: null };
  const productionId = num(production.id);
  if (text(production.name) !== payload.workOrder) {
    return { kind: 'conflict', reason: `mrp.production ${productionId} is now named ${String(production.name)}, not ${payload.workOrder}` };
  }
  const state = text(production.state) ?? '';
  if (CLOSED_PRODUCTION_STATES.has(state)) return { kind: 'closed', reason: `mrp.production ${payload.workOrder} ${CLOSED_REASON[state] ?? state}` };

  const readWorkorders = () => client.searchRead('mrp.workorder', [['production_id', '=', productionId]],
    ['state', fields.workorder.plannedStart, fields.workorder.plannedEnd, 'write_date'], { order: fields.workorder.order });
  const workorders = await readWorkorders();
  if (!workorders.ok) return failed(workorders);
  if (basis !== null && basis.stamp !== null) {
    const now = orderStamp(production, workorders.value);
    if (now !== basis.stamp) {
      return { kind: 'conflict', reason: `${payload.workOrder} changed in Odoo since takt planned it (write_date ${String(now)}, planned from ${basis.stamp})` };
    }
  }

  const matched = matchOperations(payload, ref, workorders.value);
  if (matched.kind !== 'ok') return matched.outcome;

  const projected = projectPayload(payload, config.priorityThreshold, ref?.workorders ?? null);
  let current = { production, workorders: workorders.value };
  // Two rounds of writes at most: the second writes what Odoo did not keep in the first (17.0's
  // first calendar slot of a work order); a third look only checks.
  for (let round = 0; round <= 2; round++) {
    const todo = differences(projected, matched.workorders, current.production, current.workorders, fields);
    if (todo.workorders.length === 0 && todo.production === null) {
      return { kind: 'written', held: projected, stamp: orderStamp(current.production, current.workorders), calls: calls() };
    }
    if (round === 2) {
      const which = todo.workorders.map((w) => w.id).join(', ');
      return { kind: 'rejected', reason: `Odoo did not keep the planned dates of ${payload.workOrder}${which === '' ? '' : ` (mrp.workorder ${which})`} after two writes`, status: null };
    }
    for (const wo of todo.workorders) {
      const written = await client.write('mrp.workorder', [wo.id], {
        [fields.workorder.plannedStart]: wo.dates.start,
        [fields.workorder.plannedEnd]: wo.dates.end,
      }, { bypass_duration_calculation: true });
      if (!written.ok) return failed(written);
    }
    // A work order write may have moved the production (first start, last end): write it after them, whole.
    const productionVals = todo.workorders.length > 0 ? productionValues(projected, fields) : todo.production;
    if (productionVals !== null) {
      const written = await client.write('mrp.production', [productionId], productionVals, { force_date: true });
      if (!written.ok) return failed(written);
    }
    const again = await client.searchRead('mrp.production', [['id', '=', productionId], company], productionFields, { limit: 1 });
    if (!again.ok) return failed(again);
    const againWorkorders = await readWorkorders();
    if (!againWorkorders.ok) return failed(againWorkorders);
    if (again.value[0] === undefined) return { kind: 'conflict', reason: `mrp.production ${productionId} disappeared while takt wrote it` };
    current = { production: again.value[0], workorders: againWorkorders.value };
  }
  return { kind: 'rejected', reason: 'unreachable', status: null };
}

function productionValues(projected: OdooHeld, fields: OdooFieldSet): Readonly<Record<string, string>> {
  return {
    [fields.production.plannedStart]: projected.start!,
    [fields.production.plannedEnd]: projected.end!,
    ...(projected.priority !== undefined && { priority: projected.priority }),
  };
}

type Matched =
  | { readonly kind: 'ok'; readonly workorders: ReadonlyMap<string, number> }
  | { readonly kind: 'failed'; readonly outcome: WriteOutcome };

/**
 * takt operation → `mrp.workorder` id: from the link's `ref` (the ids the read kept); without a
 * link, only an operation id that is one of the production's work order ids matches. Never by
 * name: names repeat and change.
 */
function matchOperations(payload: WritebackPayload, ref: OrderRef | null, workorders: readonly OdooRecord[]): Matched {
  const existing = new Set(workorders.map((wo) => num(wo.id)));
  const matched = new Map<string, number>();
  const unmatched: string[] = [];
  const gone: string[] = [];
  for (const op of payload.operations) {
    const id = ref !== null ? ref.workorders[op.operation] : /^\d+$/.test(op.operation) && existing.has(Number(op.operation)) ? Number(op.operation) : undefined;
    if (typeof id !== 'number') unmatched.push(op.operation);
    else if (!existing.has(id)) gone.push(`${op.operation} (mrp.workorder ${id})`);
    else matched.set(op.operation, id);
  }
  if (unmatched.length > 0) {
    return { kind: 'failed', outcome: { kind: 'rejected', reason: `operations ${unmatched.join(', ')} of ${payload.workOrder} match no Odoo work order${ref === null ? ' (no link from a read: only Odoo work order ids match)' : ''}`, status: null } };
  }
  if (gone.length > 0) return { kind: 'failed', outcome: { kind: 'conflict', reason: `work orders of ${payload.workOrder} no longer exist in Odoo: ${gone.join(', ')}` } };
  return { kind: 'ok', workorders: matched };
}

interface Todo {
  readonly workorders: readonly { readonly id: number; readonly dates: HeldDates }[];
  readonly production: Readonly<Record<string, string>> | null;
}

/** What Odoo does not hold yet; done and cancelled work orders are never written. */
function differences(projected: OdooHeld, matched: ReadonlyMap<string, number>, production: OdooRecord, workorders: readonly OdooRecord[], fields: OdooFieldSet): Todo {
  const byId = new Map(workorders.map((wo) => [num(wo.id), wo]));
  const todo: { id: number; dates: HeldDates }[] = [];
  for (const [operation, id] of matched) {
    const wo = byId.get(id);
    const dates = projected.operations[operation];
    if (wo === undefined || dates === undefined || CLOSED_WORKORDER_STATES.has(text(wo.state) ?? '')) continue;
    if (odooDatetime(wo[fields.workorder.plannedStart]) !== dates.start || odooDatetime(wo[fields.workorder.plannedEnd]) !== dates.end) todo.push({ id, dates });
  }
  const vals: Record<string, string> = {};
  if (odooDatetime(production[fields.production.plannedStart]) !== projected.start) vals[fields.production.plannedStart] = projected.start!;
  if (odooDatetime(production[fields.production.plannedEnd]) !== projected.end) vals[fields.production.plannedEnd] = projected.end!;
  if (projected.priority !== undefined && production.priority !== projected.priority) vals.priority = projected.priority;
  return { workorders: todo, production: Object.keys(vals).length === 0 ? null : vals };
}
