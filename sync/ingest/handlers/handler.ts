/** What each event type does: which object its version stamps, and how it changes plant state. */
import type { EventEnvelope } from '../../ports.ts';
import type { Db } from '../../store/database.ts';
import { missingKeys, type ReferenceTable } from '../../store/references.ts';
import type { EventData, EventType } from '../schemas.ts';
import type { Rejection } from '../validate.ts';

export interface ApplyContext {
  /** The batch's transaction. */
  readonly db: Db;
  readonly plant: string;
  readonly event: EventEnvelope;
}

export interface EventHandler<T extends EventType> {
  /** The object whose version this event carries. */
  object(data: EventData<T>): { readonly kind: string; readonly key: string };
  /** Applies the change, or answers why not (the caller rolls back whatever was written). */
  apply(context: ApplyContext, data: EventData<T>): Promise<Rejection | null>;
}

export type HandlerRegistry = { readonly [T in EventType]: EventHandler<T> };

export interface Reference {
  readonly key: string;
  /** JSON path of the field that names it. */
  readonly field: string;
}

const kindOf: Readonly<Record<ReferenceTable, string>> = {
  calendars: 'calendar',
  work_centers: 'work center',
  items: 'item',
  work_orders: 'work order',
  lots: 'lot',
  receipts: 'receipt',
  holds: 'hold',
  downtimes: 'downtime',
};

export function unknownReference(kind: string, key: string, field: string): Rejection {
  return { code: 'unknown-reference', field, reason: `unknown ${kind} "${key}"` };
}

/** The first reference (in field order) the plant does not have, as a rejection naming the key. */
export async function requireKnown(db: Db, plant: string, table: ReferenceTable, references: readonly Reference[]): Promise<Rejection | null> {
  const missing = new Set(await missingKeys(db, table, plant, references.map((r) => r.key)));
  const first = references.find((r) => missing.has(r.key));
  return first === undefined ? null : unknownReference(kindOf[table], first.key, first.field);
}

export function invalidData(field: string, reason: string): Rejection {
  return { code: 'invalid-data', field, reason };
}
