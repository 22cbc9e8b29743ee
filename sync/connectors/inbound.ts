/**
 * The inbound half of a connection, in one step: ask the connector what changed since its
 * cursor, turn each record into an event (unless its canonical content is what was ingested
 * last time: a re-read, or the echo of takt's own write-back, starts no plan run), ingest them
 * through the one path, and commit the events, the links and the new cursor in one
 * transaction, so the cursor never gets ahead of what was applied. A record the ingest
 * rejects costs only itself: a dead letter (once per content), its neighbours applied.
 */
import { randomUUID } from 'node:crypto';
import { handlers } from '../ingest/handlers/index.ts';
import type { EventHandler } from '../ingest/handlers/handler.ts';
import { ingestEvents } from '../ingest/ingest-events.ts';
import type { DateWindow } from '../ingest/plausible-dates.ts';
import { storableCopy, storableText } from '../ingest/storable-strings.ts';
import type { EventData, EventType } from '../ingest/schemas.ts';
import type { EventEnvelope, EventOutcome, Principal } from '../ports.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import { toJson, type Db } from '../store/database.ts';
import { loadLinks, lockLinks, markReread, saveLinks, type LinkRow, type StoredLink } from '../store/erp-links.ts';
import { claimFeedLease, getFeedCursor, lockFeedCursor, setFeedCursor } from '../store/feed-cursors.ts';
import { markPlantsDirty } from '../store/plant-state.ts';
import { plantExists } from '../store/plants.ts';
import { digestOf, sameJson } from '../canonical-json.ts';
import type { ErpConnector, ErpRecord } from './connector.ts';

export type ConnectorPollOutcome =
  | {
    readonly kind: 'applied';
    readonly records: number;
    /** Records whose content was new, and how the ingest answered them. */
    readonly outcomes: readonly EventOutcome[];
    readonly dirtyPlants: readonly string[];
    readonly more: boolean;
  }
  | { readonly kind: 'unavailable'; readonly reason: string; readonly retryAfterMs: number | null };

/** The cursor's key in `feed_cursors` (source `erp`). */
export const connectorFeed = (connector: Pick<ErpConnector, 'name'>): string => `connector:${connector.name}`;

function principalOf(connector: ErpConnector): Principal {
  return { keyId: `connector:${connector.name}`, name: `${connector.kind} connector ${connector.name}`, scopes: ['erp', 'wms', 'qms', 'mes'], plants: [connector.plant] };
}

interface Candidate {
  readonly record: ErpRecord;
  readonly kind: string;
  readonly key: string;
  readonly digest: string;
  readonly previous: StoredLink | undefined;
  readonly version: number;
}

const sameLink = (a: StoredLink, b: StoredLink | undefined): boolean =>
  b !== undefined && a.stamp === b.stamp && a.digest === b.digest && sameJson(a.held, b.held) && sameJson(a.pending, b.pending);

function objectOf(record: ErpRecord): { readonly kind: string; readonly key: string } {
  const handler = handlers[record.type] as EventHandler<EventType>;
  return handler.object(record.data as EventData<EventType>);
}

function envelope(connector: ErpConnector, c: Candidate, version: number, now: number): EventEnvelope {
  const { record } = c;
  return {
    id: `${connector.name}:${c.kind}:${c.key}:v${version}`,
    source: record.source ?? 'erp',
    type: record.type,
    plant: connector.plant,
    occurredAt: new Date(Number.isFinite(record.changedAt) && record.changedAt > 0 ? Math.min(record.changedAt, now) : now).toISOString(),
    version,
    data: record.data as Record<string, unknown>,
  };
}

const linkRow = (connector: ErpConnector, c: Candidate, digest: string, version: number): LinkRow => ({
  connection: connector.name, plant: connector.plant, kind: c.kind, key: c.key,
  ref: c.record.ref ?? c.previous?.ref ?? null,
  stamp: c.record.stamp ?? null,
  held: c.record.held ?? null,
  // Kept as stored unless this read shows it (saveLinks): the worker owns it.
  pending: null,
  memo: c.record.memo ?? null,
  digest, version,
});

export interface PollOptions {
  readonly now?: () => number;
  /** Read only while this worker holds the connection's lease (several workers, one reader). */
  readonly lease?: { readonly owner: string; readonly ttlMs: number };
  /** Which dates the ERP's records may carry (default `DEFAULT_DATE_WINDOW`). */
  readonly dates?: DateWindow;
}

export async function pollConnector(db: Db, connector: ErpConnector, queue: JobQueue | null, options: PollOptions = {}): Promise<ConnectorPollOutcome> {
  const now = options.now ?? Date.now;
  const feed = connectorFeed(connector);
  if (options.lease && !(await claimFeedLease(db, 'erp', feed, options.lease.owner, new Date(now()), options.lease.ttlMs))) {
    return { kind: 'applied', records: 0, outcomes: [], dirtyPlants: [], more: false };
  }
  const cursor = await getFeedCursor(db, 'erp', feed);
  const links = await loadLinks(db, connector.name);
  const read = await connector.read({ cursor, links, now: now(), plantExists: await plantExists(db, connector.plant) });
  if (read.kind === 'unavailable') return read;

  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  // The last record of an object in a read wins; earlier ones of the same object are dropped.
  for (const record of [...read.records].reverse()) {
    const { kind, key } = objectOf(record);
    const id = JSON.stringify([kind, key]);
    if (seen.has(id)) continue;
    seen.add(id);
    const previous = links.get(kind, key);
    const digest = digestOf({ type: record.type, source: record.source ?? 'erp', data: record.data });
    const version = Math.max((previous?.version ?? 0) + 1, Math.floor(record.changedAt));
    candidates.unshift({ record, kind, key, digest, previous, version });
  }
  const apply = async (trx: Db) => {
    if ((await lockFeedCursor(trx, 'erp', feed)) !== cursor) return 'cursor-moved' as const;
    // A write-back changed a link while the ERP was read: the read may show takt's own write,
    // unannounced when the read began. Those objects are read again (the whole read, when the
    // connector cannot read single objects again); the rest is applied.
    const current = await lockLinks(trx, connector.name, candidates.filter((c) => c.previous !== undefined));
    const raced = new Set(candidates.filter((c) => c.previous !== undefined && !sameLink(c.previous, current.get(c.kind, c.key))));
    if (raced.size > 0 && connector.refreshes !== true) return 'raced' as const;
    await markReread(trx, connector.name, [...raced]);
    const fresh = candidates.filter((c) => !raced.has(c) && c.previous?.digest !== c.digest);
    const quiet = candidates.filter((c) => !raced.has(c) && c.previous?.digest === c.digest);
    const at = now();
    const judged = { clock: now, ...(options.dates && { dates: options.dates }) };
    let report = await ingestEvents(trx, fresh.map((c) => envelope(connector, c, c.version, at)), principalOf(connector), judged);
    // Stale: another writer gave the object a newer version; the ERP's current state wins.
    const stale = report.outcomes.flatMap((o, i) => (o.status === 'stale' ? [{ i, version: o.storedVersion + 1 }] : []));
    const outcomes = [...report.outcomes];
    const versions = fresh.map((c) => c.version);
    const dirty = new Set(report.dirtyPlants);
    if (stale.length > 0) {
      const again = await ingestEvents(trx, stale.map(({ i, version }) => envelope(connector, fresh[i]!, version, at)), principalOf(connector), judged);
      stale.forEach(({ i, version }, k) => { outcomes[i] = again.outcomes[k]!; versions[i] = version; });
      for (const plant of again.dirtyPlants) dirty.add(plant);
    }
    const rows: LinkRow[] = quiet.map((c) => linkRow(connector, c, c.digest, c.previous!.version));
    fresh.forEach((c, i) => {
      if (outcomes[i]!.status !== 'rejected') rows.push(linkRow(connector, c, c.digest, versions[i]!));
    });
    await saveLinks(trx, rows);
    await deadLetterRejections(trx, connector, fresh, outcomes);
    // The ERP holds other dates than takt last wrote or read (edited there): plan and write again.
    const editedInErp = (c: Candidate) => !sameJson(c.record.held, c.previous?.held) && !sameJson(c.record.held, c.previous?.pending);
    if (quiet.some((c) => c.kind === 'work_order' && editedInErp(c))) {
      await markPlantsDirty(trx, [connector.plant], new Date(at));
      dirty.add(connector.plant);
    }
    await setFeedCursor(trx, 'erp', feed, read.cursor);
    report = { outcomes, dirtyPlants: [...dirty] };
    return report;
  };
  const report = db.isTransaction ? await apply(db) : await db.transaction().execute(apply);
  // Another poller moved the cursor: read on from there now. Write-backs raced the whole read:
  // read again at the next poll, when they have likely settled (not at once, in a loop with them).
  if (report === 'cursor-moved' || report === 'raced') {
    return { kind: 'applied', records: 0, outcomes: [], dirtyPlants: [], more: report === 'cursor-moved' };
  }
  if (queue !== null) {
    // After the commit; a lost enqueue is found again by the sweeper (the plant is dirty).
    for (const plant of report.dirtyPlants) await queue.enqueueReschedule(plant).catch(() => undefined);
  }
  return { kind: 'applied', records: read.records.length, outcomes: report.outcomes, dirtyPlants: report.dirtyPlants, more: read.more };
}

/** One dead letter per rejected record and content, however often it is read again. */
async function deadLetterRejections(db: Db, connector: ErpConnector, fresh: readonly Candidate[], outcomes: readonly EventOutcome[]): Promise<void> {
  const rejected = fresh.flatMap((c, i) => {
    const outcome = outcomes[i]!;
    return outcome.status === 'rejected' ? [{ c, outcome, key: storableText(`${connector.name}:${c.kind}:${c.key}:${c.digest.slice(0, 16)}`) }] : [];
  });
  if (rejected.length === 0) return;
  const known = new Set((await db.selectFrom('dead_letters').select('key')
    .where('kind', '=', 'erp-record').where('key', 'in', rejected.map((r) => r.key)).execute()).map((r) => r.key));
  const rows = rejected.filter((r) => !known.has(r.key)).map(({ c, outcome, key }) => ({
    id: randomUUID(), kind: 'erp-record', plant: connector.plant, key,
    error: storableText(outcome.status === 'rejected' ? `${outcome.code}${outcome.field ? ` at ${outcome.field}` : ''}: ${outcome.reason}` : ''),
    attempts: 1,
    // Storable, so that recording a record the store cannot hold cannot fail its read.
    payload: toJson(storableCopy({ connection: connector.name, type: c.record.type, data: c.record.data, ref: c.record.ref ?? null })),
  }));
  if (rows.length > 0) await db.insertInto('dead_letters').values(rows).execute();
}
