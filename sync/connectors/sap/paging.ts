/**
 * Reading a collection page by page within a budget of requests per `read`.
 *
 * Delta reads page by key (keyset): sorted by change stamp and key, each next request asks for
 * what comes after the last entity read. `$skip` would shift when an entity changes while the
 * pages are read (it moves to the end and the one after it is never seen); a keyset cannot skip
 * anything, and an entity that changes meanwhile is read again at the end. Snapshots without a
 * usable key (stock has eleven key fields) page with `$skip`. Both follow `__next` when the
 * server pages by itself within one request.
 */
import type { ODataFailure, ODataSession } from './odata-client.ts';
import type { Entity } from './odata-values.ts';

export class PageBudget {
  private used = 0;
  constructor(private readonly max: number) {}
  take(): boolean {
    if (this.used >= this.max) return false;
    this.used += 1;
    return true;
  }
  get left(): number {
    return this.max - this.used;
  }
}

export type Collected<C> =
  | { readonly ok: true; readonly entities: readonly Entity[]; readonly complete: boolean; readonly continuation: C }
  | { readonly ok: false; readonly failure: ODataFailure };

/** One request and the `__next` links it leads to; stops early when the budget is spent. */
async function followNext(
  session: ODataSession, root: string, url: string, budget: PageBudget,
): Promise<{ ok: true; entities: Entity[]; cut: boolean } | { ok: false; failure: ODataFailure }> {
  const entities: Entity[] = [];
  let next: string | null = url;
  while (next !== null) {
    if (!budget.take()) return { ok: true, entities, cut: true };
    const answer = await session.page(next);
    if (!answer.ok) return answer;
    entities.push(...answer.page.results);
    next = answer.page.next === null ? null : session.resolve(root, answer.page.next);
  }
  return { ok: true, entities, cut: false };
}

export interface KeysetQuery {
  readonly root: string;
  readonly path: string;
  readonly filter: string | null;
  /** Sort fields, most significant first; together unique. */
  readonly order: readonly string[];
  /** The `$filter` literal of an entity's sort field. */
  readonly literal: (entity: Entity, field: string) => string;
  /** `$expand`, `$select`, … */
  readonly options?: Readonly<Record<string, string>>;
  readonly pageSize: number;
}

/** Literals of the last entity read, in sort order: where the next request starts. */
export type After = readonly string[] | null;

/** `(a gt A) or (a eq A and b gt B) or …`: everything after `after` in sort order. */
export function afterFilter(order: readonly string[], after: readonly string[]): string {
  const terms = order.map((field, i) => {
    const equal = order.slice(0, i).map((f, j) => `${f} eq ${after[j]}`);
    return `(${[...equal, `${field} gt ${after[i]}`].join(' and ')})`;
  });
  return `(${terms.join(' or ')})`;
}

export async function readKeyset(session: ODataSession, query: KeysetQuery, start: After, budget: PageBudget): Promise<Collected<After>> {
  const entities: Entity[] = [];
  let after = start;
  for (;;) {
    const filters = [query.filter, after === null ? null : afterFilter(query.order, after)].filter((f): f is string => f !== null);
    const url = session.url(query.root, query.path, {
      ...(filters.length > 0 && { $filter: filters.join(' and ') }),
      $orderby: query.order.join(','),
      $top: String(query.pageSize),
      ...query.options,
    });
    const read = await followNext(session, query.root, url, budget);
    if (!read.ok) return read;
    entities.push(...read.entities);
    const last = read.entities.at(-1);
    if (last !== undefined) after = query.order.map((field) => query.literal(last, field));
    if (read.cut) return { ok: true, entities, complete: false, continuation: after };
    if (read.entities.length < query.pageSize) return { ok: true, entities, complete: true, continuation: after };
    if (budget.left === 0) return { ok: true, entities, complete: false, continuation: after };
  }
}

export async function readSkipping(
  session: ODataSession, root: string, path: string, query: Readonly<Record<string, string>>, pageSize: number, budget: PageBudget,
): Promise<Collected<null>> {
  const entities: Entity[] = [];
  for (let skip = 0; ; skip += pageSize) {
    const url = session.url(root, path, { ...query, $top: String(pageSize), ...(skip > 0 && { $skip: String(skip) }) });
    const read = await followNext(session, root, url, budget);
    if (!read.ok) return read;
    entities.push(...read.entities);
    if (read.cut) return { ok: true, entities, complete: false, continuation: null };
    if (read.entities.length < pageSize) return { ok: true, entities, complete: true, continuation: null };
    if (budget.left === 0) return { ok: true, entities, complete: false, continuation: null };
  }
}
