/**
 * Change-feed polling: `GET <feed>?cursor=C&limit=N` → `{"events": [...], "nextCursor": "..."}`.
 * A page goes through the same ingest path as webhooks, and the page's events, its rejections
 * and the advanced cursor commit in one transaction: the cursor never gets ahead of the events,
 * and a crash before the commit only re-reads the page (the inbox's (source, id) key would turn
 * any repeat into duplicates anyway — at-least-once reading, exactly-once effect). Events the ingest
 * rejects are kept as dead letters and the feed moves on: one bad event must not stall a source.
 * While the source is down the poller backs off (poll-loop.ts).
 */
import { randomUUID } from 'node:crypto';
import { digestOf } from '../canonical-json.ts';
import { ingestEvents, type IngestOptions } from '../ingest/ingest-events.ts';
import { isStorableString, storableCopy, storableText } from '../ingest/storable-strings.ts';
import type { EventOutcome, Principal, Source } from '../ports.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import { toJson, type Db } from '../store/database.ts';
import { getFeedCursor, lockFeedCursor, setFeedCursor } from '../store/feed-cursors.ts';
import { DEFAULT_TIMEOUT_MS, exchange } from '../writeback/http.ts';
import { classifyResponse } from '../writeback/outcome.ts';
import { startPollLoop, type PollLoop, type PollLoopOptions } from './poll-loop.ts';

export interface FeedConfig {
  /** Stable name of the feed: the cursor's key together with the source. */
  readonly name: string;
  readonly source: Source;
  readonly url: string;
  /** Events per page (default 500). */
  readonly limit?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Plants this feed may write (default: any). */
  readonly plants?: readonly string[];
}

export type PollOutcome =
  | {
    readonly kind: 'applied';
    readonly events: number;
    readonly outcomes: readonly EventOutcome[];
    readonly dirtyPlants: readonly string[];
    readonly cursor: string | null;
    /** A full page: there is probably more right now. */
    readonly more: boolean;
  }
  /** The source did not answer usefully; nothing was applied and the cursor stands. */
  | { readonly kind: 'unavailable'; readonly reason: string; readonly retryAfterMs: number | null };

function feedPrincipal(feed: FeedConfig): Principal {
  return { keyId: `feed:${feed.name}`, name: `feed ${feed.name}`, scopes: [feed.source], plants: feed.plants ?? null };
}

function pageUrl(feed: FeedConfig, cursor: string | null, limit: number): string {
  const url = new URL(feed.url);
  if (cursor !== null) url.searchParams.set('cursor', cursor);
  url.searchParams.set('limit', String(limit));
  return url.toString();
}

/** Reads one page and applies it. Database errors propagate (the loop backs off on them too). */
export async function pollOnce(db: Db, feed: FeedConfig, queue: JobQueue | null, ingest: IngestOptions = {}): Promise<PollOutcome> {
  const limit = feed.limit ?? 500;
  const cursor = await getFeedCursor(db, feed.source, feed.name);
  const answer = await exchange(pageUrl(feed, cursor, limit), {
    method: 'GET', headers: { ...feed.headers, accept: 'application/json' },
  }, feed.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (!answer.ok) return { kind: 'unavailable', reason: answer.outcome.kind === 'delivered' ? '' : answer.outcome.reason, retryAfterMs: null };
  const http = classifyResponse(answer.status, answer.headers, answer.body);
  if (http.kind !== 'delivered') {
    return { kind: 'unavailable', reason: http.reason, retryAfterMs: http.kind === 'retry' ? http.retryAfterMs : null };
  }

  let page: { events?: unknown; nextCursor?: unknown };
  try {
    page = JSON.parse(answer.body) as typeof page;
  } catch {
    return { kind: 'unavailable', reason: 'feed page is not JSON', retryAfterMs: null };
  }
  const events = page.events;
  const next = page.nextCursor;
  if (!Array.isArray(events) || !(typeof next === 'string' || next === null || (next === undefined && events.length === 0))) {
    return { kind: 'unavailable', reason: 'feed page lacks events or nextCursor', retryAfterMs: null };
  }
  const nextCursor = typeof next === 'string' ? next : cursor;

  // Applied only if the cursor still is where this page was read from: another poller of the
  // same feed may have applied it meanwhile (then this answer is dropped and the next poll reads on).
  const apply = async (trx: Db) => {
    if ((await lockFeedCursor(trx, feed.source, feed.name)) !== cursor) return null;
    const applied = await ingestEvents(trx, events, feedPrincipal(feed), ingest);
    await recordRejections(trx, feed, events, applied.outcomes);
    if (nextCursor !== cursor) await setFeedCursor(trx, feed.source, feed.name, nextCursor);
    return applied;
  };
  const report = db.isTransaction ? await apply(db) : await db.transaction().execute(apply);
  if (report === null) return { kind: 'applied', events: 0, outcomes: [], dirtyPlants: [], cursor, more: true };
  if (queue !== null) {
    // After the commit; a lost enqueue is found again by the sweeper (the plant is dirty).
    for (const plant of report.dirtyPlants) await queue.enqueueReschedule(plant).catch(() => undefined);
  }
  return {
    kind: 'applied', events: events.length, outcomes: report.outcomes, dirtyPlants: report.dirtyPlants,
    cursor: nextCursor, more: events.length >= limit && nextCursor !== cursor,
  };
}

/**
 * One dead letter per rejected feed event, however often its page is read again: keyed by its
 * id, or by its content when it has no id the store can hold. What it holds is written
 * storable (a NUL as the text `\u0000`), so that recording a poison event cannot fail its page.
 */
async function recordRejections(db: Db, feed: FeedConfig, events: readonly unknown[], outcomes: readonly EventOutcome[]): Promise<void> {
  const rejected = outcomes.flatMap((outcome, index) => {
    if (outcome.status !== 'rejected') return [];
    const event = events[index];
    return [{ outcome, event, key: `${feed.source}:${deadLetterId(event)}` }];
  });
  if (rejected.length === 0) return;
  const known = new Set((await db.selectFrom('dead_letters').select('key')
    .where('kind', '=', 'feed-event').where('key', 'in', rejected.map((r) => r.key)).execute()).map((r) => r.key));
  const rows = rejected.filter((r) => !known.has(r.key)).map(({ outcome, event, key }) => {
    const plant = typeof event === 'object' && event !== null ? (event as { plant?: unknown }).plant : undefined;
    return {
      id: randomUUID(), kind: 'feed-event', plant: typeof plant === 'string' ? storableText(plant) : null, key,
      error: storableText(outcome.status === 'rejected' ? `${outcome.code}: ${outcome.reason}` : ''),
      attempts: 1, payload: toJson(storableCopy({ feed: feed.name, event })),
    };
  });
  if (rows.length > 0) await db.insertInto('dead_letters').values(rows).execute();
}

/** The event's own id, or `#` and a digest of the event when it has none the store can hold. */
function deadLetterId(event: unknown): string {
  const id = typeof event === 'object' && event !== null ? (event as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' && isStorableString(id) ? id : `#${digestOf(storableCopy(event ?? null)).slice(0, 16)}`;
}

export interface FeedPollerOptions extends Omit<PollLoopOptions, 'poll'> {
  readonly db: Db;
  readonly feed: FeedConfig;
  readonly queue: JobQueue | null;
  readonly onPoll?: (outcome: PollOutcome) => void;
  readonly ingest?: IngestOptions;
}

export type FeedPoller = PollLoop;

export function startFeedPoller(options: FeedPollerOptions): FeedPoller {
  return startPollLoop({
    ...options,
    async poll() {
      const outcome = await pollOnce(options.db, options.feed, options.queue, options.ingest);
      options.onPoll?.(outcome);
      return outcome.kind === 'applied' ? { kind: 'done', more: outcome.more } : { kind: 'unavailable', retryAfterMs: outcome.retryAfterMs };
    },
  });
}
