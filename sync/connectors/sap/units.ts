/**
 * Units: SAP durations (setup and processing of an operation, with their own unit each) to
 * minutes, and quantities to a material's base unit.
 *
 * Duration units arrive as SAP's external commercial code in the logon language or as the ISO
 * code, so both are known: MIN, H/HR/HUR, S/SEC, D/DAY/TAG.
 */
import type { Entity } from './odata-values.ts';
import { decimal, results, text } from './odata-values.ts';

const MINUTES_PER: Readonly<Record<string, number>> = {
  MIN: 1,
  H: 60, HR: 60, HUR: 60, STD: 60,
  S: 1 / 60, SEC: 1 / 60,
  D: 1440, DAY: 1440, TAG: 1440,
};

/** null when the unit is not a time unit takt knows (the caller says which). */
export function toMinutes(value: number, unit: string): number | null {
  const factor = MINUTES_PER[unit.trim().toUpperCase()];
  return factor === undefined ? null : value * factor;
}

/** A material's base unit and how many base units one alternative unit is. */
export interface UnitsOfMaterial {
  readonly baseUnit: string;
  /** Alternative unit → base units per one of it. */
  readonly perUnit: Readonly<Record<string, number>>;
}

export type UnitTable = ReadonlyMap<string, UnitsOfMaterial>;

/**
 * API_PRODUCT_SRV: `A_Product` with `to_ProductUnitsOfMeasure` (`AlternativeUnit`,
 * `QuantityNumerator`, `QuantityDenominator`: numerator/denominator base units per alternative
 * unit).
 */
export function unitsOfProduct(product: Entity): UnitsOfMaterial {
  const perUnit: Record<string, number> = {};
  for (const uom of results(product.to_ProductUnitsOfMeasure)) {
    const numerator = decimal(uom, 'QuantityNumerator');
    const denominator = decimal(uom, 'QuantityDenominator');
    if (numerator !== null && denominator !== null && denominator !== 0) perUnit[text(uom, 'AlternativeUnit')] = numerator / denominator;
  }
  return { baseUnit: text(product, 'BaseUnit'), perUnit };
}

export interface Converted {
  readonly quantity: number;
  readonly unit: string;
  /** False: no conversion was known, the quantity stays in the unit SAP gave. */
  readonly converted: boolean;
}

export function toBaseUnit(quantity: number, unit: string, material: string, table: UnitTable): Converted {
  const units = table.get(material);
  if (units === undefined || units.baseUnit === '') return { quantity, unit, converted: false };
  if (unit === units.baseUnit) return { quantity, unit, converted: true };
  const factor = units.perUnit[unit];
  if (factor === undefined) return { quantity, unit, converted: false };
  // Quantities are Edm.Decimal with three decimals; keep that precision, not float noise.
  return { quantity: Math.round(quantity * factor * 1000) / 1000, unit: units.baseUnit, converted: true };
}
