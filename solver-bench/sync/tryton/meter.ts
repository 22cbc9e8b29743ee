/**
 * Counts and times every JSON-RPC call to the bench's Tryton, and says who made it. The
 * runtime does not expose its connector (nor `WriteOutcome.calls`), and the poller and the
 * write-backs share one connector and one session, so a call is attributed by its async stack:
 * the bench's own calls all go through the test builder's `call` (tryton-plant.ts), a
 * write-back's through `writeProduction` (its reads too: session.ts `searchRead` awaits the RPC,
 * so V8 keeps the caller's async frames); every other call is the poller's (its read and the
 * session it opens). A write-back's reference refresh (only when no poll ran for a minute) would
 * count as the poller's. The stack is captured only for calls to this Tryton; the wrapper reads
 * the body and hands back an equal Response, so the timing covers the whole exchange, and counts
 * the productions a full read answered (one with the nested `works.` fields).
 */

export type Origin = 'poll' | 'write' | 'session' | 'bench';

export interface RpcCall {
  readonly method: string;
  readonly origin: Origin;
  /** Ids in the first parameter (reads and writes by id), else null. */
  readonly ids: number | null;
  /** Productions answered by a full read of productions (with their works), else 0. */
  readonly productions: number;
  readonly start: number;
  readonly end: number;
}

/** One poll's read: the calls from its first (`product.uom.search_read`, the reference data) to its last. */
export interface PollRead {
  readonly start: number;
  readonly end: number;
  readonly calls: number;
  /** Productions read in full (the delta plus the overlap window's re-reads). */
  readonly productionsRead: number;
  /** Started less than a poll interval after the previous read's end: told to read again at once. */
  readonly atOnce: boolean;
}

function originOf(stack: string, method: string): Origin {
  if (method === 'common.db.login') return 'session';
  if (stack.includes('tryton-plant.ts')) return 'bench';
  if (stack.includes('writeProduction')) return 'write';
  return 'poll';
}

function describe(body: unknown): { method: string; ids: number | null; fullRead: boolean } {
  if (typeof body !== 'string') return { method: '?', ids: null, fullRead: false };
  try {
    const parsed = JSON.parse(body) as { method?: string; params?: unknown[] };
    const first = parsed.params?.[0];
    const ids = Array.isArray(first) && first.every((x) => typeof x === 'number') ? first.length : null;
    const method = parsed.method ?? '?';
    const fullRead = (method === 'model.production.search_read' || method === 'model.production.read')
      && (parsed.params ?? []).some((p) => Array.isArray(p) && p.includes('works.sequence'));
    return { method, ids, fullRead };
  } catch {
    return { method: '?', ids: null, fullRead: false };
  }
}

/** How many records a JSON-RPC answer's result holds. */
function resultLength(text: string): number {
  try {
    const result = (JSON.parse(text) as { result?: unknown }).result;
    return Array.isArray(result) ? result.length : 0;
  } catch {
    return 0;
  }
}

export class RpcMeter {
  readonly calls: RpcCall[] = [];
  private readonly original = globalThis.fetch;

  constructor(private readonly urlPrefix: string) {}

  install(): void {
    const original = this.original;
    globalThis.fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith(this.urlPrefix)) return original(input, init);
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 64;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      const { method, ids, fullRead } = describe(init?.body);
      const start = Date.now();
      const response = await original(input, init);
      const body = await response.text();
      this.calls.push({ method, origin: originOf(stack, method), ids, productions: fullRead ? resultLength(body) : 0, start, end: Date.now() });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  uninstall(): void {
    globalThis.fetch = this.original;
  }

  between(from: number, to: number, origin?: Origin): RpcCall[] {
    return this.calls.filter((c) => c.start >= from && c.end <= to && (origin === undefined || c.origin === origin));
  }

  /**
   * The poller's reads, one per poll (the poller reads one at a time): each starts with the
   * reference data (`product.uom.search_read`), or with the session it opens before that.
   */
  polls(intervalMs: number): PollRead[] {
    const reads: { start: number; end: number; calls: number; productionsRead: number; referenced: boolean }[] = [];
    for (const call of this.calls.filter((c) => c.origin === 'poll').sort((a, b) => a.start - b.start)) {
      const reference = call.method === 'model.product.uom.search_read';
      const current = reads[reads.length - 1];
      if (current === undefined || (reference && current.referenced)) {
        reads.push({ start: call.start, end: call.end, calls: 1, productionsRead: call.productions, referenced: reference });
        continue;
      }
      current.end = Math.max(current.end, call.end);
      current.calls += 1;
      current.referenced ||= reference;
      current.productionsRead += call.productions;
    }
    // The poll loop waits its whole interval after a read (plus the ingest) unless the read asked
    // for another at once (a page limit; links a write-back changed while it read, so its
    // changes were dropped; a conflict woke it): then the next read starts sooner.
    return reads.map(({ referenced: _, ...read }, i) => ({ ...read, atOnce: i > 0 && read.start - reads[i - 1]!.end < intervalMs }));
  }
}

/** Calls per method, most frequent first. */
export function byMethod(calls: readonly RpcCall[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}
