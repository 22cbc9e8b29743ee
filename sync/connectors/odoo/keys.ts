/**
 * The takt ids this connector gives Odoo records. Human codes where Odoo has them (a product's
 * internal reference, a work center's code, a production's name); otherwise a stable id-based
 * fallback, never a display name (names are edited and translated). A work order's operation is
 * its `mrp.workorder` id: unique, stable across renames, and what the write-back matches by.
 */
import { text, type OdooRecord } from './values.ts';

/** `product.product`: `default_code` (Internal Reference), else `product-<id>`. */
export function itemKey(product: OdooRecord): string {
  return (text(product.default_code) ?? '').trim() || `product-${String(product.id)}`;
}

/** `mrp.workcenter`: `code`, else `workcenter-<id>`. */
export function workCenterKey(workcenter: OdooRecord): string {
  return (text(workcenter.code) ?? '').trim() || `workcenter-${String(workcenter.id)}`;
}

/** `resource.calendar`: `calendar-<id>` (calendar names are not unique). */
export function calendarKey(calendarId: number): string {
  return `calendar-${calendarId}`;
}

/** `mrp.workorder`: its id. */
export function operationKey(workorderId: number): string {
  return String(workorderId);
}

/** Stock of one product: per lot `<item>/<lot name>`; untracked stock is `<item>`. */
export function lotKey(item: string, lotName: string | null): string {
  return lotName === null ? item : `${item}/${lotName}`;
}

/** An expected receipt (`stock.move`): `<reference>#<move id>`, e.g. `WH/IN/00004#120`. */
export function receiptKey(move: OdooRecord): string {
  return `${text(move.reference) ?? 'move'}#${String(move.id)}`;
}
