/**
 * Units of measure per material, kept between reads: they rarely change, and asking
 * API_PRODUCT_SRV for every material of every delta would double the calls. Entries expire
 * after `ttlMs`, so a changed conversion is picked up within a day by default.
 */
import type { UnitsOfMaterial } from './units.ts';

export class UnitCache {
  private readonly entries = new Map<string, { readonly units: UnitsOfMaterial | null; readonly at: number }>();

  constructor(private readonly ttlMs = 24 * 60 * 60_000) {}

  /** Materials with no fresh entry (not even a known "SAP has none"). */
  missing(materials: Iterable<string>, now: number): string[] {
    return [...new Set(materials)].filter((m) => {
      const entry = this.entries.get(m);
      return entry === undefined || now - entry.at >= this.ttlMs;
    });
  }

  /** What was asked for and what came back; asked-for materials SAP does not know are remembered as such. */
  put(asked: readonly string[], found: ReadonlyMap<string, UnitsOfMaterial>, now: number): void {
    for (const material of asked) this.entries.set(material, { units: found.get(material) ?? null, at: now });
  }

  table(): ReadonlyMap<string, UnitsOfMaterial> {
    const table = new Map<string, UnitsOfMaterial>();
    for (const [material, entry] of this.entries) if (entry.units !== null) table.set(material, entry.units);
    return table;
  }
}
