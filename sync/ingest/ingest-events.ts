/**
 * Ingestion of a batch of events in one transaction. Per event the outcome is accepted,
 * duplicate (its (source, id) is in the inbox), stale (an older version of its object than
 * the stored one) or rejected (with a code, the field and a reason). Per event the inbox row
 * and the state change commit together; a rejected event leaves nothing behind (not even its
 * inbox row: once fixed, it can be sent again). Events are judged in batch order: each sees
 * the changes of the accepted events before it. The database work is set-based per batch
 * (`batch/apply-batch.ts`); unexpected errors (the database failing) abort the whole batch,
 * so nothing is half-accepted. Given a transaction, ingestion runs inside it and leaves the
 * commit to the caller (a feed poller commits its cursor with the page's events).
 */
import type { EventOutcome, Principal } from '../ports.ts';
import type { Db } from '../store/database.ts';
import { markPlantsDirty } from '../store/plant-state.ts';
import { applyBatch } from './batch/apply-batch.ts';
import { DEFAULT_DATE_WINDOW, type DateWindow } from './plausible-dates.ts';
import { outcomeId, precheck, rejected, type Candidate, type Judging } from './precheck.ts';

export interface IngestReport {
  /** One per event, in order. */
  readonly outcomes: readonly EventOutcome[];
  /** Plants whose state changed: each needs a reschedule. */
  readonly dirtyPlants: readonly string[];
}

export interface IngestOptions {
  /** The wall clock events are judged by (default `Date.now`). */
  readonly clock?: () => number;
  /** Which dates events may carry (default `DEFAULT_DATE_WINDOW`). */
  readonly dates?: DateWindow;
}

export async function ingestEvents(db: Db, events: readonly unknown[], principal: Principal, options: IngestOptions = {}): Promise<IngestReport> {
  if (events.length === 0) return { outcomes: [], dirtyPlants: [] };
  const judging: Judging = { nowMs: (options.clock ?? Date.now)(), dates: options.dates ?? DEFAULT_DATE_WINDOW };
  if (db.isTransaction) return ingestInTransaction(db, events, principal, judging);
  return db.transaction().execute((trx) => ingestInTransaction(trx, events, principal, judging));
}

/** The batch inside `trx`; nothing here commits, so the caller's transaction decides. */
async function ingestInTransaction(trx: Db, events: readonly unknown[], principal: Principal, judging: Judging): Promise<IngestReport> {
  const early = new Map<number, EventOutcome>();
  const candidates: Candidate[] = [];
  for (const [index, raw] of events.entries()) {
    const checked = precheck(raw, principal, judging);
    if ('code' in checked) early.set(index, rejected(outcomeId(raw, index), checked));
    else candidates.push({ index, ...checked });
  }
  const applied = await applyBatch(trx, candidates, principal);
  const outcomes = events.map((_, index) => early.get(index) ?? applied.outcomes.get(index)!);
  const dirtyPlants = [...applied.causes.keys()].sort();
  await markPlantsDirty(trx, dirtyPlants, new Date(), applied.causes);
  return { outcomes, dirtyPlants };
}
