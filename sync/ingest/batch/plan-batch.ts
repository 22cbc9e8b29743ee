/**
 * Decides every fresh event of a batch in batch order, against the view and the locked
 * versions, exactly as if each had been applied on its own: a duplicate of an earlier event
 * that took its inbox row (or a conflict, when it reuses that event's id with another payload),
 * an unknown plant, a stale version, a conflict (the stored version of its object came with
 * other data of the same type), a rejection by its handler, or accepted with its changes (which
 * later events then see). No database access.
 */
import type { EventOutcome } from '../../ports.ts';
import { canonicalJson, digestOf } from '../../canonical-json.ts';
import { inboxKey } from '../../store/inbox.ts';
import { objectKey, type ObjectRef, type StoredVersion, type VersionStamp } from '../../store/object-versions.ts';
import { handlers } from '../handlers/index.ts';
import { isRejection, type EventHandler } from '../handlers/handler.ts';
import { rejected, type Candidate } from '../precheck.ts';
import type { EventData, EventType } from '../schemas.ts';
import type { Rejection } from '../validate.ts';
import type { Change } from './changes.ts';
import type { BatchView } from './view.ts';

export const handlerOf = (type: EventType): EventHandler<EventType> => handlers[type] as EventHandler<EventType>;
export const dataOf = (candidate: Candidate): EventData<EventType> => candidate.event.data as EventData<EventType>;

export function objectOf(candidate: Candidate): ObjectRef {
  const { source, plant } = candidate.event;
  return { source, plant, ...handlerOf(candidate.type).object(dataOf(candidate)) };
}

/** The event that keeps an inbox row, and the outcome stored with it. */
export interface InboxOwner {
  readonly candidate: Candidate;
  readonly outcome: 'accepted' | 'stale';
}

export interface BatchPlan {
  /** By the candidate's index in the batch. */
  readonly outcomes: ReadonlyMap<number, EventOutcome>;
  /** By `inboxKey`. */
  readonly owners: ReadonlyMap<string, InboxOwner>;
  /** The last accepted version per object. */
  readonly stamps: readonly VersionStamp[];
  readonly changes: readonly Change[];
  /** Per plant changed, the id of the last event that changed it. */
  readonly causes: ReadonlyMap<string, string>;
}

type Decision =
  | { readonly status: 'accepted'; readonly ref: ObjectRef; readonly changes: readonly Change[] }
  | { readonly status: 'stale'; readonly storedVersion: number }
  | Rejection;

function decide(candidate: Candidate, digest: string, view: BatchView, versions: ReadonlyMap<string, StoredVersion | null>): Decision {
  const { event, type } = candidate;
  if (type !== 'plant.upserted' && !view.plantExists(event.plant)) {
    return { code: 'unknown-reference', field: 'plant', reason: `unknown plant "${event.plant}"` };
  }
  const ref = objectOf(candidate);
  const stored = versions.get(objectKey(ref));
  if (stored === undefined) throw new Error(`ingest: the version of ${objectKey(ref)} was not locked for the batch`);
  if (stored !== null && stored.version > event.version) return { status: 'stale', storedVersion: stored.version };
  // An equal version is a re-send: accepted when it says the same. The same type with other
  // data under one version is two different facts with one stamp; different types (a start,
  // then a completion, both stamped 1 by an MES that does not count) are a sequence.
  if (stored !== null && stored.version === event.version && stored.eventType === type && stored.digest !== null && stored.digest !== digest) {
    return {
      code: 'version-conflict', field: 'version',
      reason: `version ${event.version} of this ${ref.kind} was already accepted with other data; send a new version`,
    };
  }
  const plan = handlerOf(type).plan({ view: view.of(event.plant), plant: event.plant, event }, dataOf(candidate));
  return isRejection(plan) ? plan : { status: 'accepted', ref, changes: plan };
}

const idConflict = (event: Candidate['event']): Rejection => ({
  code: 'id-conflict', field: 'id',
  reason: `event id "${event.id}" was already used by an event with another payload; an id names one event`,
});

/**
 * `fresh`: inbox keys whose rows this batch inserted; `earlier`: the stored payloads of the
 * other keys (by `inboxKey`); `versions`: stored versions by `objectKey`.
 */
export function planBatch(
  candidates: readonly Candidate[], fresh: ReadonlySet<string>, earlier: ReadonlyMap<string, unknown>,
  versions: ReadonlyMap<string, StoredVersion | null>, view: BatchView,
): BatchPlan {
  const outcomes = new Map<number, EventOutcome>();
  const owners = new Map<string, InboxOwner>();
  const current = new Map(versions);
  const stamps = new Map<string, VersionStamp>();
  const changes: Change[] = [];
  const causes = new Map<string, string>();
  for (const candidate of candidates) {
    const { event } = candidate;
    const key = inboxKey(event.source, event.id);
    if (!fresh.has(key) || owners.has(key)) {
      // A repeat is a duplicate only if it is the same event.
      const first = fresh.has(key) ? owners.get(key)!.candidate.event : earlier.get(key);
      const same = first === undefined || canonicalJson(first) === canonicalJson(event);
      outcomes.set(candidate.index, same ? { id: event.id, status: 'duplicate' } : rejected(event.id, idConflict(event)));
      continue;
    }
    const digest = digestOf(event.data);
    const decision = decide(candidate, digest, view, current);
    if ('code' in decision) {
      outcomes.set(candidate.index, rejected(event.id, decision));
      continue;
    }
    // Kept in the inbox also when stale, so that a re-send is a duplicate, not a second stale.
    owners.set(key, { candidate, outcome: decision.status });
    if (decision.status === 'stale') {
      outcomes.set(candidate.index, { id: event.id, status: 'stale', storedVersion: decision.storedVersion });
      continue;
    }
    const object = objectKey(decision.ref);
    const stamp = { ref: decision.ref, version: event.version, eventType: candidate.type, digest };
    current.set(object, stamp);
    stamps.set(object, stamp);
    for (const change of decision.changes) {
      view.apply(change);
      changes.push(change);
    }
    causes.set(event.plant, event.id);
    outcomes.set(candidate.index, { id: event.id, status: 'accepted' });
  }
  return { outcomes, owners, stamps: [...stamps.values()], changes, causes };
}
