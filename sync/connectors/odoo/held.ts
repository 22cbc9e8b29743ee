/**
 * What Odoo holds of takt's write-back, at Odoo's granularity: the production's planned start
 * and end and each work order's (UTC, to the second, as Odoo stores datetimes), and the
 * priority star when priority is written. The same shape comes from a read (`heldOf`) and from
 * a payload (`projectPayload`), with keys in one order, so the two compare as JSON.
 */
import type { WritebackPayload } from '../../writeback/payload.ts';
import type { OdooFieldSet } from './fields.ts';
import { isoToOdoo, odooDatetime, type OdooRecord } from './values.ts';

export interface HeldDates {
  readonly start: string | null;
  readonly end: string | null;
}

export interface OdooHeld extends HeldDates {
  /** `'1'` urgent, `'0'` normal; only when priority is written. */
  readonly priority?: '0' | '1';
  /** Per takt operation id. */
  readonly operations: Readonly<Record<string, HeldDates>>;
}

/** Rank 1 runs first; ranks at or below the threshold are urgent. */
export function priorityOf(dispatchPriority: number, threshold: number): '0' | '1' {
  return dispatchPriority <= threshold ? '1' : '0';
}

function held(start: string | null, end: string | null, priority: '0' | '1' | null, operations: ReadonlyMap<string, HeldDates>): OdooHeld {
  const keys = [...operations.keys()].sort();
  return {
    start,
    end,
    ...(priority !== null && { priority }),
    operations: Object.fromEntries(keys.map((k) => [k, operations.get(k)!])),
  };
}

/**
 * What Odoo would hold after writing `payload`. With the order's link, only operations that
 * have an Odoo work order in it count (one Odoo finished meanwhile is not written).
 */
export function projectPayload(payload: WritebackPayload, priorityThreshold: number | null, workorders: Readonly<Record<string, number>> | null = null): OdooHeld {
  const operations = workorders === null ? payload.operations : payload.operations.filter((op) => typeof workorders[op.operation] === 'number');
  return held(
    isoToOdoo(payload.plannedStart),
    isoToOdoo(payload.plannedEnd),
    priorityThreshold === null ? null : priorityOf(payload.dispatchPriority, priorityThreshold),
    new Map(operations.map((op) => [op.operation, { start: isoToOdoo(op.plannedStart), end: isoToOdoo(op.plannedEnd) }])),
  );
}

/** What an `mrp.production` and its work orders (by takt operation id) hold now. */
export function heldOf(
  production: OdooRecord,
  workorders: ReadonlyMap<string, OdooRecord>,
  fields: OdooFieldSet,
  withPriority: boolean,
): OdooHeld {
  const priority = production.priority === '1' ? '1' : '0';
  return held(
    odooDatetime(production[fields.production.plannedStart]),
    odooDatetime(production[fields.production.plannedEnd]),
    withPriority ? priority : null,
    new Map([...workorders].map(([key, wo]) => [key, {
      start: odooDatetime(wo[fields.workorder.plannedStart]),
      end: odooDatetime(wo[fields.workorder.plannedEnd]),
    }])),
  );
}
