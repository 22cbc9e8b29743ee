/**
 * Quantities in the product's unit, converted as Odoo's `uom.uom._compute_quantity` does:
 * - 16-18: `factor` is "how many of this unit make one reference unit" (a dozen is 1/12), so
 *   `qty / from.factor * to.factor`, and both units must share a category;
 * - 19: categories are gone and `factor` is the absolute size in reference units (a dozen is
 *   12), so `qty * from.factor / to.factor`;
 * then rounded UP to the target unit's `rounding`, with Odoo's float_round epsilon.
 */
import { m2oId, m2oName, num, text, type OdooRecord } from './values.ts';

export interface OdooUom {
  readonly id: number;
  readonly name: string;
  readonly factor: number;
  readonly rounding: number;
  /** `category_id` (16-18); null in 19. */
  readonly category: number | null;
}

export function uomOf(record: OdooRecord): OdooUom {
  return {
    id: num(record.id),
    name: text(record.name) ?? m2oName(record.display_name) ?? String(record.id),
    factor: num(record.factor, 1),
    rounding: num(record.rounding, 0),
    category: m2oId(record.category_id),
  };
}

export type Converted = { readonly ok: true; readonly quantity: number } | { readonly ok: false; readonly reason: string };

export function convertQuantity(qty: number, from: OdooUom, to: OdooUom, mode: 'divide' | 'multiply'): Converted {
  if (from.id === to.id || qty === 0) return { ok: true, quantity: qty };
  if (mode === 'divide' && from.category !== null && to.category !== null && from.category !== to.category) {
    return { ok: false, reason: `units ${from.name} and ${to.name} are of different categories` };
  }
  if (from.factor === 0 || to.factor === 0) return { ok: false, reason: `unit ${from.factor === 0 ? from.name : to.name} has factor 0` };
  const amount = mode === 'divide' ? qty / from.factor * to.factor : qty * from.factor / to.factor;
  return { ok: true, quantity: roundUp(amount, to.rounding) };
}

/** Odoo's `float_round(value, precision_rounding=rounding, rounding_method='UP')`. */
export function roundUp(value: number, rounding: number): number {
  if (rounding <= 0 || value === 0) return value;
  const normalized = value / rounding;
  const sign = Math.sign(normalized);
  // Odoo subtracts one ulp-sized epsilon so that 2.0000000000000004 does not round up to 3.
  const epsilon = 2 ** (Math.log2(Math.abs(normalized)) - 52);
  const rounded = Math.ceil(Math.abs(normalized) - epsilon) * sign;
  const decimals = Math.max(0, Math.ceil(-Math.log10(rounding)));
  return Number((rounded * rounding).toFixed(Math.min(decimals, 12)));
}
