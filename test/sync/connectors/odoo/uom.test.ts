import { describe, expect, it } from 'vitest';
import { convertQuantity, roundUp, uomOf, type OdooUom } from '../../../../sync/connectors/odoo/uom.ts';
import { loadFixture } from './fake-odoo.ts';

const unitsOf = (file: string) => new Map(loadFixture(file)['uom.uom']!.map((u) => [u.name as string, uomOf(u)]));

describe('unit conversion as uom.uom._compute_quantity', () => {
  it('16-18: qty / from.factor * to.factor, rounded up to the target rounding with Odoo epsilon', () => {
    const u = unitsOf('odoo17.json');
    // 0.5 / 0.0833… = 6.000000000000001: the epsilon keeps it at 6, not 6.01.
    expect(convertQuantity(0.5, u.get('Dozens')!, u.get('Units')!, 'divide')).toEqual({ ok: true, quantity: 6 });
    expect(convertQuantity(7, u.get('Units')!, u.get('Dozens')!, 'divide')).toEqual({ ok: true, quantity: 0.59 });
    expect(convertQuantity(3500, u.get('g')!, u.get('kg')!, 'divide')).toEqual({ ok: true, quantity: 3.5 });
    expect(convertQuantity(1, u.get('kg')!, u.get('Units')!, 'divide')).toEqual({ ok: false, reason: 'units kg and Units are of different categories' });
  });

  it('19: the factor is the size in reference units (qty * from.factor / to.factor), no categories', () => {
    const u = unitsOf('odoo19.json');
    expect(u.get('Dozens')!.category).toBeNull();
    expect(convertQuantity(0.5, u.get('Dozens')!, u.get('Units')!, 'multiply')).toEqual({ ok: true, quantity: 6 });
    expect(convertQuantity(3500, u.get('g')!, u.get('kg')!, 'multiply')).toEqual({ ok: true, quantity: 3.5 });
    // The 16-18 formula on 19 data would be off by 144.
    expect(convertQuantity(0.5, u.get('Dozens')!, u.get('Units')!, 'divide')).toEqual({ ok: true, quantity: 0.05 });
  });

  it('keeps a quantity in its own unit and refuses a zero factor', () => {
    const kg: OdooUom = { id: 12, name: 'kg', factor: 1, rounding: 0.01, category: 2 };
    expect(convertQuantity(1.234, kg, kg, 'divide')).toEqual({ ok: true, quantity: 1.234 });
    expect(convertQuantity(1, { ...kg, id: 99, factor: 0 }, kg, 'divide')).toMatchObject({ ok: false });
  });

  it('rounds up like float_round(..., rounding_method="UP")', () => {
    expect(roundUp(2.0000000000000004, 1)).toBe(2);
    expect(roundUp(2.01, 1)).toBe(3);
    expect(roundUp(0.123, 0.01)).toBe(0.13);
    expect(roundUp(-0.123, 0.01)).toBe(-0.13);
  });
});
