/**
 * SAP's OData V2 JSON values, as API_PRODUCTION_ORDER_2_SRV and its siblings send them:
 * Edm.DateTime `/Date(1496707200000)/` (a calendar date at UTC midnight), Edm.DateTimeOffset
 * `/Date(1700000000000+0000)/` (UTC ticks; the suffix is the offset in minutes and does not
 * shift them), Edm.Time `PT07H00M00S`, Edm.Decimal as a string (`"500"`, `"0.00"`), status
 * flags as one-character strings (`"X"` set, `""` not). Pure functions; unreadable values are
 * null, never a throw.
 */

export type Entity = Readonly<Record<string, unknown>>;

const EDM_DATE = /^\/Date\((-?\d+)(?:([+-])(\d{4}))?\)\/$/;
const EDM_TIME = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d+)?S)?$/;
const STAMP14 = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

export function text(entity: Entity, field: string): string {
  const value = entity[field];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/**
 * A status flag. In API_PRODUCTION_ORDER_2_SRV the order and operation flags are Edm.String(1)
 * (`"X"` or `""`): testing them as booleans is how a technically completed order was once
 * written to. Edm.Boolean `true` is accepted too because sibling entities (components, batches,
 * work centers) do use Edm.Boolean for their indicators.
 */
export function flag(entity: Entity, field: string): boolean {
  const value = entity[field];
  return value === 'X' || value === 'x' || value === true;
}

/** Edm.Decimal travels as a string; numbers are accepted as well. */
export function decimal(entity: Entity, field: string): number | null {
  const value = entity[field];
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Edm.DateTime or Edm.DateTimeOffset in V2 JSON → ms since the epoch (UTC). */
export function edmDateMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = EDM_DATE.exec(value);
  return m === null ? null : Number(m[1]);
}

/** The calendar date an Edm.DateTime date field stands for (SAP sends it at UTC midnight). */
export function edmCalendarDate(value: unknown): string | null {
  const ms = edmDateMs(value);
  return ms === null ? null : new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` → Edm.DateTime at UTC midnight, the form SAP expects for a date field. */
export function toEdmDate(localDate: string): string {
  const [y, m, d] = localDate.split('-').map(Number);
  return `/Date(${Date.UTC(y!, m! - 1, d!)})/`;
}

/** Edm.Time `PT08H30M00S` → seconds after midnight (24:00 is 86400). */
export function edmTimeSeconds(value: unknown): number | null {
  if (typeof value !== 'string' || value === 'PT') return null;
  const m = EDM_TIME.exec(value);
  if (m === null) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function toEdmTime(seconds: number): string {
  return `PT${pad2(Math.floor(seconds / 3600))}H${pad2(Math.floor((seconds % 3600) / 60))}M${pad2(seconds % 60)}S`;
}

/** Seconds after midnight → `HH:MM:SS` (86400 → `24:00:00`). */
export function toClock(seconds: number): string {
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor((seconds % 3600) / 60))}:${pad2(seconds % 60)}`;
}

/** `HH:MM:SS` → seconds, for plant-local wall-clock strings. */
export function clockSeconds(clock: string): number {
  const [h, m, s] = clock.split(':').map(Number);
  return h! * 3600 + m! * 60 + (s ?? 0);
}

/**
 * How an entity set spells its change stamp. API_PRODUCTION_ORDER_2_SRV's `LastChangeDateTime`
 * is Edm.String(14), `YYYYMMDDhhmmss` in UTC (the SAP timestamp), not Edm.DateTimeOffset: the
 * API hub's metadata says `maxLength: 14` and the sandbox answers `"20200723125718"`. Others
 * (API_WORK_CENTERS' `WorkCenterLastChangeDateTime`) are Edm.DateTimeOffset. The form is taken
 * from the value itself, so a release that changes the type keeps working.
 */
export type StampFormat = 'timestamp14' | 'datetimeoffset';

export interface Stamp {
  readonly ms: number;
  readonly format: StampFormat;
}

export function parseStamp(value: unknown): Stamp | null {
  if (typeof value !== 'string') return null;
  const m = STAMP14.exec(value);
  if (m !== null) {
    const [, y, mo, d, h, mi, s] = m.map(Number);
    return { ms: Date.UTC(y!, mo! - 1, d!, h!, mi!, s!), format: 'timestamp14' };
  }
  const ms = edmDateMs(value);
  return ms === null ? null : { ms, format: 'datetimeoffset' };
}

/** The `$filter` literal of a stamp in its entity set's own type. */
export function stampLiteral(stamp: Stamp): string {
  const iso = new Date(stamp.ms).toISOString();
  if (stamp.format === 'datetimeoffset') return `datetimeoffset'${iso.replace('.000Z', 'Z')}'`;
  return `'${iso.slice(0, 19).replace(/[-:T]/g, '')}'`;
}

/** An OData V2 string literal (quotes doubled). */
export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The results of a collection or of an expanded navigation (`{results: [...]}`); [] when deferred. */
export function results(value: unknown): readonly Entity[] {
  if (Array.isArray(value)) return value as Entity[];
  if (typeof value === 'object' && value !== null && Array.isArray((value as { results?: unknown }).results)) {
    return (value as { results: Entity[] }).results;
  }
  return [];
}

/** An expanded to-one navigation; null when deferred or absent. */
export function single(value: unknown): Entity | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return '__deferred' in value ? null : value as Entity;
}

/** The ETag SAP puts into `__metadata.etag` of each entity. */
export function metadataEtag(entity: Entity): string | null {
  const metadata = entity.__metadata;
  if (typeof metadata !== 'object' || metadata === null) return null;
  const etag = (metadata as { etag?: unknown }).etag;
  return typeof etag === 'string' ? etag : null;
}
