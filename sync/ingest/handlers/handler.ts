/**
 * What each event type does: which object its version stamps, what it looks up, and the
 * changes it makes, planned against the batch's view (no database access: the batch loads
 * the view before and writes the changes after).
 */
import type { EventEnvelope } from '../../ports.ts';
import type { Change } from '../batch/changes.ts';
import type { KeyTable, PlantNeeds } from '../batch/needs.ts';
import type { PlantView } from '../batch/view.ts';
import type { EventData, EventType } from '../schemas.ts';
import type { Rejection } from '../validate.ts';

export interface PlanContext {
  /** The plant's state as the database holds it plus the batch's earlier accepted changes. */
  readonly view: PlantView;
  readonly plant: string;
  readonly event: EventEnvelope;
}

/** The changes to write, or why the event is rejected (then it changes nothing). */
export type Plan = Rejection | readonly Change[];

export interface EventHandler<T extends EventType> {
  /** The object whose version this event carries. */
  object(data: EventData<T>): { readonly kind: string; readonly key: string };
  /** Declares every key `plan` will look up in the view. */
  needs(data: EventData<T>, needs: PlantNeeds): void;
  plan(context: PlanContext, data: EventData<T>): Plan;
}

export type HandlerRegistry = { readonly [T in EventType]: EventHandler<T> };

export const isRejection = (plan: Plan): plan is Rejection => 'code' in plan;

export interface Reference {
  readonly key: string;
  /** JSON path of the field that names it. */
  readonly field: string;
}

type KnownTable = KeyTable | 'work_centers';

const kindOf: Readonly<Record<KnownTable, string>> = {
  calendars: 'calendar',
  work_centers: 'work center',
  items: 'item',
  work_orders: 'work order',
  lots: 'lot',
  holds: 'hold',
  downtimes: 'downtime',
};

export function unknownReference(kind: string, key: string, field: string): Rejection {
  return { code: 'unknown-reference', field, reason: `unknown ${kind} "${key}"` };
}

export function needKeys(needs: PlantNeeds, table: KnownTable, references: readonly Reference[]): void {
  for (const r of references) {
    if (table === 'work_centers') needs.workCenter(r.key);
    else needs.key(table, r.key);
  }
}

/** The first reference (in field order) the plant does not have, as a rejection naming the key. */
export function requireKnown(view: PlantView, table: KnownTable, references: readonly Reference[]): Rejection | null {
  const known = (key: string) => (table === 'work_centers' ? view.workCenterUnits(key) !== null : view.has(table, key));
  const first = references.find((r) => !known(r.key));
  return first === undefined ? null : unknownReference(kindOf[table], first.key, first.field);
}

export function invalidData(field: string, reason: string): Rejection {
  return { code: 'invalid-data', field, reason };
}
