/**
 * Ingestion: a batch of events in one transaction, each event inside a savepoint. Per event the
 * inbox row and the state change commit together; a rejected event rolls back to its savepoint,
 * so it leaves nothing behind (not even its inbox row: once fixed, it can be sent again).
 * Unexpected errors (the database failing) abort the whole batch, so nothing is half-accepted.
 * Given a transaction, ingestion runs inside it and leaves the commit to the caller (a feed
 * poller commits its cursor with the page's events).
 */
import { sql } from 'kysely';
import type { EventEnvelope, EventOutcome, Principal } from '../ports.ts';
import type { Db } from '../store/database.ts';
import { insertInboxEntry, setInboxOutcome } from '../store/inbox.ts';
import { claimVersion } from '../store/object-versions.ts';
import { markPlantsDirty } from '../store/plant-state.ts';
import { plantExists } from '../store/plants.ts';
import { handlers } from './handlers/index.ts';
import type { EventHandler } from './handlers/handler.ts';
import { eventSources, isEventType, type EventData, type EventType } from './schemas.ts';
import { validateEnvelope, validateEventData, type Rejection } from './validate.ts';

export interface IngestReport {
  /** One per event, in order. */
  readonly outcomes: readonly EventOutcome[];
  /** Plants whose state changed: each needs a reschedule. */
  readonly dirtyPlants: readonly string[];
}

function rejected(id: string, rejection: Rejection): EventOutcome {
  return { id, status: 'rejected', code: rejection.code, reason: rejection.reason, ...(rejection.field !== undefined && { field: rejection.field }) };
}

/** Checks that need no database: shape, scope, plant access, type and data. */
function precheck(raw: unknown, principal: Principal): { readonly event: EventEnvelope; readonly type: EventType } | Rejection {
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
  return { event, type: event.type };
}

function outcomeId(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : `#${index}`;
}

/**
 * Plants seen to exist earlier in this batch. A plant is never deleted, and one that existed
 * before an event's savepoint survives that savepoint's rollback, so a yes can be kept for the
 * batch: it saves a round trip per event (a no is asked again: a later event may create it).
 */
type KnownPlants = Set<string>;

async function applyOne(trx: Db, event: EventEnvelope, type: EventType, principal: Principal, knownPlants: KnownPlants): Promise<EventOutcome | Rejection> {
  const fresh = await insertInboxEntry(trx, {
    source: event.source,
    eventId: event.id,
    type,
    plant: event.plant,
    version: event.version,
    occurredAt: event.occurredAt,
    payload: event,
    outcome: 'accepted',
    keyId: principal.keyId,
  });
  if (!fresh) return { id: event.id, status: 'duplicate' };

  if (type !== 'plant.upserted' && !knownPlants.has(event.plant)) {
    if (!(await plantExists(trx, event.plant))) return { code: 'unknown-reference', field: 'plant', reason: `unknown plant "${event.plant}"` };
    knownPlants.add(event.plant);
  }
  const handler = handlers[type] as EventHandler<EventType>;
  const data = event.data as EventData<EventType>;
  const object = handler.object(data);
  const claim = await claimVersion(trx, { source: event.source, plant: event.plant, ...object }, event.version);
  if (!claim.ok) {
    // Kept in the inbox so that a re-send is a duplicate, not a second stale.
    await setInboxOutcome(trx, event.source, event.id, 'stale');
    return { id: event.id, status: 'stale', storedVersion: claim.storedVersion };
  }
  const rejection = await handler.apply({ db: trx, plant: event.plant, event }, data);
  return rejection ?? { id: event.id, status: 'accepted' };
}

export async function ingestEvents(db: Db, events: readonly unknown[], principal: Principal): Promise<IngestReport> {
  if (events.length === 0) return { outcomes: [], dirtyPlants: [] };
  if (db.isTransaction) return ingestInTransaction(db, events, principal);
  return db.transaction().execute((trx) => ingestInTransaction(trx, events, principal));
}

/** The batch inside `trx`; nothing here commits, so the caller's transaction decides. */
async function ingestInTransaction(trx: Db, events: readonly unknown[], principal: Principal): Promise<IngestReport> {
  const outcomes: EventOutcome[] = [];
  const dirty = new Set<string>();
  const causes = new Map<string, string>();
  const knownPlants: KnownPlants = new Set();
  for (const [index, raw] of events.entries()) {
    const checked = precheck(raw, principal);
    if ('code' in checked) {
      outcomes.push(rejected(outcomeId(raw, index), checked));
      continue;
    }
    await sql`savepoint ingest_event`.execute(trx);
    const result = await applyOne(trx, checked.event, checked.type, principal, knownPlants);
    if ('code' in result) {
      await sql`rollback to savepoint ingest_event`.execute(trx);
      outcomes.push(rejected(checked.event.id, result));
      continue;
    }
    await sql`release savepoint ingest_event`.execute(trx);
    outcomes.push(result);
    if (result.status === 'accepted') {
      dirty.add(checked.event.plant);
      causes.set(checked.event.plant, checked.event.id);
    }
  }
  const dirtyPlants = [...dirty].sort();
  await markPlantsDirty(trx, dirtyPlants, new Date(), causes);
  return { outcomes, dirtyPlants };
}
