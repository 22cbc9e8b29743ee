/**
 * The read cursor, as JSON text: per stream (a model, or a model under a filter) the
 * `write_date` and id of the last record read.
 *
 * `{"v":1,"streams":{"mrp.production":{"at":"2026-11-22 08:00:00","id":17,"resume":false}}}`
 *
 * A caught-up stream is read again from `at` minus an overlap of a few seconds: a transaction
 * stamps `write_date` when it starts but becomes visible when it commits, so a record stamped
 * 08:00:00 can appear after one stamped 08:00:02 was read. Re-reading the overlap costs little
 * (the core drops records whose canonical content did not change). A stream that stopped at a
 * full page resumes strictly after its last record (`(write_date, id)` keyset), so a window
 * holding more records than a page still makes progress.
 */
import type { Domain } from './client.ts';
import { msToOdoo, num, odooDatetime, odooMs, type OdooRecord } from './values.ts';

export interface StreamPosition {
  readonly at: string;
  readonly id: number;
  /** The last read stopped at a full page: continue after (at, id) without overlap. */
  readonly resume: boolean;
}

export interface OdooCursor {
  readonly v: 1;
  readonly streams: Readonly<Record<string, StreamPosition>>;
}

export const EMPTY_CURSOR: OdooCursor = { v: 1, streams: {} };

/** The order every stream is read in: the keyset of the cursor. */
export const STREAM_ORDER = 'write_date asc, id asc';

/** The stored cursor; an unreadable one starts over (a full read is safe, only slower). */
export function parseCursor(text: string | null): OdooCursor {
  if (text === null) return EMPTY_CURSOR;
  try {
    const value = JSON.parse(text) as { v?: unknown; streams?: unknown };
    if (value.v !== 1 || typeof value.streams !== 'object' || value.streams === null) return EMPTY_CURSOR;
    const streams: Record<string, StreamPosition> = {};
    for (const [name, pos] of Object.entries(value.streams as Record<string, unknown>)) {
      const p = pos as Partial<StreamPosition> | null;
      if (p !== null && odooDatetime(p.at) !== null && typeof p.id === 'number') streams[name] = { at: p.at!, id: p.id, resume: p.resume === true };
    }
    return { v: 1, streams };
  } catch {
    return EMPTY_CURSOR;
  }
}

export function serializeCursor(cursor: OdooCursor): string {
  const names = Object.keys(cursor.streams).sort();
  return JSON.stringify({ v: 1, streams: Object.fromEntries(names.map((n) => [n, cursor.streams[n]])) });
}

/** The `write_date` part of a stream's domain. */
export function windowDomain(position: StreamPosition | undefined, overlapSeconds: number): Domain {
  if (position === undefined) return [];
  if (position.resume) {
    return ['|', ['write_date', '>', position.at], '&', ['write_date', '=', position.at], ['id', '>', position.id]];
  }
  return [['write_date', '>=', msToOdoo(odooMs(position.at)! - overlapSeconds * 1000)]];
}

/** Where a stream stands after reading `page` (ordered by STREAM_ORDER); `full`: the page limit was hit. */
export function advance(position: StreamPosition | undefined, page: readonly OdooRecord[], full: boolean): StreamPosition | undefined {
  const last = page[page.length - 1];
  const at = last === undefined ? null : odooDatetime(last.write_date);
  if (last === undefined || at === null) return position;
  if (full) return { at, id: num(last.id), resume: true };
  // An overlap re-read may end before the stamp already reached: never move back.
  return position !== undefined && position.at > at ? { ...position, resume: false } : { at, id: num(last.id), resume: false };
}
