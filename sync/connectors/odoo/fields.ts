/**
 * The Odoo field names this connector reads and writes, per version. They moved between
 * versions, and reading or writing the wrong one is silent damage, so every name is here:
 *
 * - 16: `mrp.production` and `mrp.workorder` plan with `date_planned_start` /
 *   `date_planned_finished`; their `date_start` / `date_finished` are the ACTUAL dates
 *   (readonly on the production). `mrp.workorder` has no `sequence` (ordered by id).
 * - 17/18: the planned dates are `date_start` / `date_finished` on both models (the
 *   `date_planned_*` fields are gone); `mrp.workorder.sequence` orders the routing.
 * - 19: as 17/18 for manufacturing; `uom.uom` has no categories and its `factor` is inverted
 *   (reference units per unit, `qty * from.factor / to.factor`, where 16-18 compute
 *   `qty / from.factor * to.factor`); work order states are blocked/ready/progress/done/cancel.
 *
 * Sources: odoo/odoo addons/mrp/models/mrp_production.py and mrp_workorder.py of 16.0, 17.0 and
 * 18.0, addons/uom/models/uom_uom.py of 19.0.
 */
import type { OdooVersion } from './config.ts';

export type FieldSetName = '16' | '17-18' | '19';

export interface OdooFieldSet {
  readonly name: FieldSetName;
  readonly production: {
    readonly plannedStart: string;
    readonly plannedEnd: string;
    readonly deadline: 'date_deadline';
    /** Read from `mrp.production` (write_date last, for the stamp). */
    readonly read: readonly string[];
  };
  readonly workorder: {
    readonly plannedStart: string;
    readonly plannedEnd: string;
    /** `mrp.workorder` fields read; `sequence` only where it exists. */
    readonly read: readonly string[];
    /** The order of a production's work orders (Odoo's `_order` for the routing). */
    readonly order: string;
  };
  /** `qty / from.factor * to.factor` (16-18) or `qty * from.factor / to.factor` (19). */
  readonly uomFactor: 'divide' | 'multiply';
  /** `uom.uom` fields read. */
  readonly uomRead: readonly string[];
}

const PRODUCTION_COMMON = [
  'name', 'state', 'priority', 'product_id', 'product_qty', 'product_uom_id', 'date_deadline',
  'company_id', 'workorder_ids', 'move_raw_ids', 'write_date',
] as const;

const WORKORDER_COMMON = ['name', 'state', 'production_id', 'workcenter_id', 'operation_id', 'duration_expected', 'write_date'] as const;

const V16: OdooFieldSet = {
  name: '16',
  production: {
    plannedStart: 'date_planned_start',
    plannedEnd: 'date_planned_finished',
    deadline: 'date_deadline',
    read: [...PRODUCTION_COMMON, 'date_planned_start', 'date_planned_finished'],
  },
  workorder: {
    plannedStart: 'date_planned_start',
    plannedEnd: 'date_planned_finished',
    read: [...WORKORDER_COMMON, 'date_planned_start', 'date_planned_finished'],
    order: 'id',
  },
  uomFactor: 'divide',
  uomRead: ['name', 'factor', 'rounding', 'category_id'],
};

const V17: OdooFieldSet = {
  name: '17-18',
  production: {
    plannedStart: 'date_start',
    plannedEnd: 'date_finished',
    deadline: 'date_deadline',
    read: [...PRODUCTION_COMMON, 'date_start', 'date_finished'],
  },
  workorder: {
    plannedStart: 'date_start',
    plannedEnd: 'date_finished',
    read: [...WORKORDER_COMMON, 'sequence', 'date_start', 'date_finished'],
    order: 'sequence, id',
  },
  uomFactor: 'divide',
  uomRead: ['name', 'factor', 'rounding', 'category_id'],
};

const V19: OdooFieldSet = {
  ...V17,
  name: '19',
  uomFactor: 'multiply',
  uomRead: ['name', 'factor', 'rounding'],
};

export function fieldSetOf(version: OdooVersion): OdooFieldSet {
  if (version === 16) return V16;
  if (version === 19) return V19;
  return V17;
}

/** `mrp.production.state` values whose order takt never writes (see write.ts for `to_close`). */
export const CLOSED_PRODUCTION_STATES: ReadonlySet<string> = new Set(['done', 'cancel', 'to_close']);
/** `mrp.workorder.state` values whose dates takt never writes. */
export const CLOSED_WORKORDER_STATES: ReadonlySet<string> = new Set(['done', 'cancel']);
