/** The checks an event passes before the database is asked anything: shape, scope, plant access, type, data, dates. */
import type { EventEnvelope, EventOutcome, Principal } from '../ports.ts';
import { firstImplausibleDate, type DateWindow } from './plausible-dates.ts';
import { eventSources, isEventType, type EventType } from './schemas.ts';
import { isStorableString } from './storable-strings.ts';
import { validateEnvelope, validateEventData, type Rejection } from './validate.ts';

/** An event that passed the prechecks, with its place in the batch. */
export interface Candidate {
  readonly index: number;
  readonly event: EventEnvelope;
  readonly type: EventType;
}

/** When an event is judged, and which dates it may carry. */
export interface Judging {
  readonly nowMs: number;
  readonly dates: DateWindow;
}

export function precheck(raw: unknown, principal: Principal, judging: Judging): { readonly event: EventEnvelope; readonly type: EventType } | Rejection {
  const envelope = validateEnvelope(raw);
  if (envelope) return envelope;
  const event = raw as EventEnvelope;
  if (!principal.scopes.includes(event.source)) {
    return { code: 'forbidden-source', field: 'source', reason: `this key may not send ${event.source} events` };
  }
  if (principal.plants !== null && !principal.plants.includes(event.plant)) {
    return { code: 'forbidden-plant', field: 'plant', reason: `this key may not send events for plant "${event.plant}"` };
  }
  if (!isEventType(event.type)) return { code: 'unknown-type', field: 'type', reason: `unknown event type "${event.type}"` };
  if (eventSources[event.type] !== event.source) {
    return { code: 'wrong-source', field: 'source', reason: `${event.type} comes from ${eventSources[event.type]}, not ${event.source}` };
  }
  const data = validateEventData(event.type, event.data, event.plant);
  if (data) return data;
  const date = firstImplausibleDate(event, event.type, judging.nowMs, judging.dates);
  if (date) return date;
  return { event, type: event.type };
}

export function rejected(id: string, rejection: Rejection): EventOutcome {
  return { id, status: 'rejected', code: rejection.code, reason: rejection.reason, ...(rejection.field !== undefined && { field: rejection.field }) };
}

/** The id to answer with, also for an event whose envelope is broken. */
export function outcomeId(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  // An id the store cannot hold is answered by its place in the batch.
  return typeof id === 'string' && isStorableString(id) ? id : `#${index}`;
}
