/**
 * One `read`: the client, the cursor it started from and the one it is building, and the
 * records looked up along the way (products and units are needed by several models). A failed
 * call ends the read: `need` throws a ReadAborted that `read` turns back into data
 * (`{kind: 'unavailable'}`) at its boundary, so the steps read straight through.
 */
import type { LinkIndex } from '../connector.ts';
import type { Context, Domain, OdooClient } from './client.ts';
import type { ResolvedOdooConfig } from './config.ts';
import { advance, STREAM_ORDER, windowDomain, type OdooCursor, type StreamPosition } from './cursor.ts';
import type { OdooAnswer, OdooFailure } from './failure.ts';
import type { OdooFieldSet } from './fields.ts';
import { PRODUCT_FIELDS } from './map-item.ts';
import { uomOf, type OdooUom } from './uom.ts';
import { odooMs, type OdooRecord } from './values.ts';

export class ReadAborted extends Error {
  constructor(readonly failure: OdooFailure) {
    super(failure.reason);
  }
}

export function need<T>(answer: OdooAnswer<T>): T {
  if (!answer.ok) throw new ReadAborted(answer);
  return answer.value;
}

/** Archived products are still the items of old orders and of stock: read them too. */
export const WITH_ARCHIVED: Context = { active_test: false };

export class ReadSession {
  readonly next = new Map<string, StreamPosition>();
  /** A stream stopped at its page limit. */
  more = false;
  private readonly products = new Map<number, OdooRecord>();
  private readonly uoms = new Map<number, OdooUom>();

  constructor(
    readonly client: OdooClient,
    readonly config: ResolvedOdooConfig,
    readonly fields: OdooFieldSet,
    readonly cursor: OdooCursor,
    readonly links: LinkIndex,
    readonly now: number,
    /** Whether takt has the plant already (else the read creates it from the company). */
    readonly plantExists: boolean,
  ) {
    for (const [name, pos] of Object.entries(cursor.streams)) this.next.set(name, pos);
  }

  get company(): Domain {
    return [['company_id', '=', this.config.companyId]];
  }

  /** Records of the company and records shared by all companies (`company_id` false). */
  get companyOrShared(): Domain {
    return [['company_id', 'in', [this.config.companyId, false]]];
  }

  /** The next page of a stream: records changed since its position, oldest first. */
  async page(stream: string, model: string, domain: Domain, fields: readonly string[], context?: Context): Promise<readonly OdooRecord[]> {
    const position = this.cursor.streams[stream];
    const limit = this.config.pageSize;
    const records = need(await this.client.searchRead(model, [...domain, ...windowDomain(position, this.config.overlapSeconds)], [...new Set([...fields, 'write_date'])], {
      limit, order: STREAM_ORDER, ...(context !== undefined && { context }),
    }));
    const full = records.length >= limit;
    if (full) this.more = true;
    const next = advance(this.next.get(stream), records, full);
    if (next !== undefined) this.next.set(stream, next);
    return records;
  }

  /** Whether a record stamped `changedAt` (ms) falls in the stream's window (always, before a first read). */
  changed(stream: string, changedAt: number): boolean {
    const position = this.cursor.streams[stream];
    return position === undefined || changedAt >= (odooMs(position.at) ?? 0) - this.config.overlapSeconds * 1000;
  }

  /** Moves a stream read in full (no paging) to the latest stamp it saw. */
  reached(stream: string, at: string | null): void {
    const current = this.next.get(stream);
    if (at !== null && (current === undefined || at > current.at)) this.next.set(stream, { at, id: 0, resume: false });
  }

  async all(model: string, domain: Domain, fields: readonly string[], order?: string, context?: Context): Promise<readonly OdooRecord[]> {
    if (domain.some((leaf) => Array.isArray(leaf) && leaf[1] === 'in' && Array.isArray(leaf[2]) && leaf[2].length === 0)) return [];
    return need(await this.client.searchRead(model, domain, fields, { ...(order !== undefined && { order }), ...(context !== undefined && { context }) }));
  }

  /** `product.product` records by id (read once per read). */
  async productsById(ids: Iterable<number>): Promise<ReadonlyMap<number, OdooRecord>> {
    const wanted = [...new Set(ids)];
    const missing = wanted.filter((id) => !this.products.has(id));
    if (missing.length > 0) {
      for (const p of need(await this.client.read('product.product', missing, PRODUCT_FIELDS, WITH_ARCHIVED))) this.products.set(p.id as number, p);
    }
    return new Map(wanted.flatMap((id) => {
      const p = this.products.get(id);
      return p === undefined ? [] : [[id, p] as const];
    }));
  }

  remember(products: readonly OdooRecord[]): void {
    for (const p of products) this.products.set(p.id as number, p);
  }

  /** `uom.uom` records by id. */
  async uomsById(ids: Iterable<number>): Promise<ReadonlyMap<number, OdooUom>> {
    const missing = [...new Set(ids)].filter((id) => !this.uoms.has(id));
    if (missing.length > 0) {
      for (const u of need(await this.client.read('uom.uom', missing, this.fields.uomRead, WITH_ARCHIVED))) this.uoms.set(u.id as number, uomOf(u));
    }
    return this.uoms;
  }
}
