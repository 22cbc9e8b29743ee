/**
 * Odoo's wire values as the external APIs return them: an empty field is `false` (never null),
 * a many2one is `[id, "display name"]`, a datetime is a naive `"YYYY-MM-DD HH:MM:SS"` in UTC,
 * a selection is its key as a string (`'0'`, `'confirmed'`). These helpers read them without
 * trusting their type.
 */

export type OdooRecord = Readonly<Record<string, unknown>>;

const ODOO_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;

/** The id of a many2one (`[id, name]`), or null for `false`. */
export function m2oId(value: unknown): number | null {
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : null;
}

/** The display name of a many2one, or null. */
export function m2oName(value: unknown): string | null {
  return Array.isArray(value) && typeof value[1] === 'string' ? value[1] : null;
}

/** A char/selection field: its text, or null for `false` and empty text. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A float/integer field (Odoo sends 0 for an empty number, never false, but be safe). */
export function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** An x2many field: its ids. */
export function ids(value: unknown): readonly number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

/** A datetime field as Odoo sends it, or null for `false`. */
export function odooDatetime(value: unknown): string | null {
  return typeof value === 'string' && ODOO_DATETIME.test(value) ? value.slice(0, 19) : null;
}

/** `"2026-11-22 08:00:00"` (UTC) → epoch ms; null when not an Odoo datetime. */
export function odooMs(value: unknown): number | null {
  const at = odooDatetime(value);
  if (at === null) return null;
  const [, y, mo, d, h, mi, s] = ODOO_DATETIME.exec(at)!;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/** `"2026-11-22 08:00:00"` → `"2026-11-22T08:00:00Z"`; null when not an Odoo datetime. */
export function odooToIso(value: unknown): string | null {
  const at = odooDatetime(value);
  return at === null ? null : `${at.replace(' ', 'T')}Z`;
}

/** Epoch ms → Odoo's UTC datetime, to the second (Odoo stores no fractions). */
export function msToOdoo(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** An ISO instant with any offset → Odoo's UTC datetime, truncated to the second. */
export function isoToOdoo(iso: string): string {
  return msToOdoo(Math.floor(Date.parse(iso) / 1000) * 1000);
}

/** The later of two Odoo datetimes (they compare as text). */
export function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}
