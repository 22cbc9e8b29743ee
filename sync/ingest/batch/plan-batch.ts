/**
 * Decides every fresh event of a batch in batch order, against the view and the locked
 * versions, exactly as if each had been applied on its own: a duplicate of an earlier event
 * that took its inbox row, an unknown plant, a stale version, a rejection by its handler, or
 * accepted with its changes (which later events then see). No database access.
 */
import type { EventOutcome } from '../../ports.ts';
import { inboxKey } from '../../store/inbox.ts';
import { objectKey, type ObjectRef, type VersionStamp } from '../../store/object-versions.ts';
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

function decide(candidate: Candidate, view: BatchView, versions: ReadonlyMap<string, number | null>): Decision {
  const { event, type } = candidate;
  if (type !== 'plant.upserted' && !view.plantExists(event.plant)) {
    return { code: 'unknown-reference', field: 'plant', reason: `unknown plant "${event.plant}"` };
  }
  const ref = objectOf(candidate);
  const stored = versions.get(objectKey(ref));
  if (stored === undefined) throw new Error(`ingest: the version of ${objectKey(ref)} was not locked for the batch`);
  // An equal version is accepted (a re-send).
  if (stored !== null && stored > event.version) return { status: 'stale', storedVersion: stored };
  const plan = handlerOf(type).plan({ view: view.of(event.plant), plant: event.plant, event }, dataOf(candidate));
  return isRejection(plan) ? plan : { status: 'accepted', ref, changes: plan };
}

/** `fresh`: inbox keys whose rows this batch inserted; `versions`: stored versions by `objectKey`. */
export function planBatch(
  candidates: readonly Candidate[], fresh: ReadonlySet<string>, versions: ReadonlyMap<string, number | null>, view: BatchView,
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
      outcomes.set(candidate.index, { id: event.id, status: 'duplicate' });
      continue;
    }
    const decision = decide(candidate, view, current);
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
    current.set(object, event.version);
    stamps.set(object, { ref: decision.ref, version: event.version });
    for (const change of decision.changes) {
      view.apply(change);
      changes.push(change);
    }
    causes.set(event.plant, event.id);
    outcomes.set(candidate.index, { id: event.id, status: 'accepted' });
  }
  return { outcomes, owners, stamps: [...stamps.values()], changes, causes };
}
