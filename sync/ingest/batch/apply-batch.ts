/**
 * A batch's prechecked events against the database, set-based: a constant number of
 * statements per batch instead of several per event.
 *
 *  1. inbox rows for all events in one insert: the keys that were already there are duplicates
 *     (a concurrent batch with the same event makes this one wait, as a single insert would);
 *  2. the version rows of the objects the fresh events stamp, locked in one statement;
 *  3. the view: per plant, one query per table the events look into;
 *  4. every event decided in memory, in batch order (`plan-batch.ts`);
 *  5. versions, inbox corrections (rows of rejected events removed, stale ones marked) and the
 *     changes written, a few statements per table.
 *
 * Nothing is written for a rejected event, so no savepoints are needed; a database error
 * aborts the whole batch, so nothing is half-accepted.
 */
import type { EventOutcome, Principal } from '../../ports.ts';
import type { Db } from '../../store/database.ts';
import {
  deleteInboxEntries, inboxKey, inboxPayloads, insertInboxEntries, setInboxOutcomes, type InboxEntry, type InboxId,
} from '../../store/inbox.ts';
import { dropPlaceholders, lockVersions, objectKey, saveVersions } from '../../store/object-versions.ts';
import type { Candidate } from '../precheck.ts';
import { loadBatchView } from './load-view.ts';
import { BatchNeeds } from './needs.ts';
import { dataOf, handlerOf, objectOf, planBatch, type BatchPlan } from './plan-batch.ts';
import { writeChanges } from './write-changes.ts';

export interface AppliedBatch {
  /** By the candidate's index in the batch. */
  readonly outcomes: ReadonlyMap<number, EventOutcome>;
  /** Per plant changed, the id of the last event that changed it. */
  readonly causes: ReadonlyMap<string, string>;
}

function inboxEntry(candidate: Candidate, outcome: 'accepted' | 'stale', principal: Principal): InboxEntry {
  const { event } = candidate;
  return {
    source: event.source,
    eventId: event.id,
    type: candidate.type,
    plant: event.plant,
    version: event.version,
    occurredAt: event.occurredAt,
    payload: event,
    outcome,
    keyId: principal.keyId,
  };
}

/** The first event per inbox key: the one whose row the batch inserts. */
function firstPerKey(candidates: readonly Candidate[]): Map<string, Candidate> {
  const first = new Map<string, Candidate>();
  for (const c of candidates) {
    const key = inboxKey(c.event.source, c.event.id);
    if (!first.has(key)) first.set(key, c);
  }
  return first;
}

/** Makes the inbox say what the plan decided about the rows the batch inserted. */
async function settleInbox(db: Db, inserted: ReadonlyMap<string, Candidate>, fresh: ReadonlySet<string>, plan: BatchPlan, principal: Principal): Promise<void> {
  const drop: InboxId[] = [];
  const stale: InboxId[] = [];
  const replace: InboxEntry[] = [];
  for (const key of fresh) {
    const row = inserted.get(key)!;
    const owner = plan.owners.get(key);
    const id = { source: row.event.source, eventId: row.event.id };
    if (owner === undefined) drop.push(id);
    else if (owner.candidate !== row) {
      // The event whose row was inserted was rejected; a later one with the same id took it.
      drop.push(id);
      replace.push(inboxEntry(owner.candidate, owner.outcome, principal));
    } else if (owner.outcome === 'stale') stale.push(id);
  }
  await deleteInboxEntries(db, drop);
  await insertInboxEntries(db, replace);
  await setInboxOutcomes(db, stale, 'stale');
}

export async function applyBatch(db: Db, candidates: readonly Candidate[], principal: Principal): Promise<AppliedBatch> {
  if (candidates.length === 0) return { outcomes: new Map(), causes: new Map() };
  const inserted = firstPerKey(candidates);
  const fresh = await insertInboxEntries(db, [...inserted.values()].map((c) => inboxEntry(c, 'accepted', principal)));
  const freshCandidates = candidates.filter((c) => fresh.has(inboxKey(c.event.source, c.event.id)));
  // What the repeats of stored events said, to tell a re-send from an id used twice.
  const earlier = await inboxPayloads(db, [...inserted.values()].filter((c) => !fresh.has(inboxKey(c.event.source, c.event.id)))
    .map((c) => ({ source: c.event.source, eventId: c.event.id })));

  const refs = freshCandidates.map(objectOf);
  const versions = await lockVersions(db, refs);
  const needs = new BatchNeeds();
  for (const c of freshCandidates) handlerOf(c.type).needs(dataOf(c), needs.of(c.event.plant));
  const view = await loadBatchView(db, needs);

  const plan = planBatch(candidates, fresh, earlier, versions, view);

  await saveVersions(db, plan.stamps);
  const stamped = new Set(plan.stamps.map((s) => objectKey(s.ref)));
  await dropPlaceholders(db, refs.filter((r) => versions.get(objectKey(r)) === null && !stamped.has(objectKey(r))));
  await settleInbox(db, inserted, fresh, plan, principal);
  await writeChanges(db, plan.changes);
  return { outcomes: plan.outcomes, causes: plan.causes };
}
