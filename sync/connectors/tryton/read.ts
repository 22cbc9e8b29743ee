/**
 * The inbound delta of one Tryton company and warehouse. Tryton's change stamps are per
 * record (`write_date`, null until a record's first change, so `create_date` too) and do not
 * travel: a production's stamp does not move when its works or moves change. So the cursor
 * keeps one stamp per model, re-read with an overlap window, and a change of a work or a move
 * re-reads its production; a done move re-reads its product's stock. Deletions leave no trace:
 * the ids of open productions and incoming moves are compared with what takt holds. The first
 * read (no cursor) takes every open production, incoming move and lot.
 */
import type { ErpRecord, LinkIndex, ReadOutcome, ReadRequest } from '../connector.ts';
import type { TrytonConnectorConfig } from './config.ts';
import {
  mapProduct, mapProduction, productKey, CLOSED_STATES, type MapContext, type ProductionMemo, type ProductionRef, type TrytonMove,
  type TrytonProduct, type TrytonProduction, type TrytonWork,
} from './map.ts';
import { mapIncoming, mapLot, mapOnHand, onHandKey, OPEN_MOVE_STATES, receiptKey, type TrytonIncoming, type TrytonLot } from './map-supply.ts';
import { TrytonDateTime, type RpcAnswer, type RpcFailure, type TrytonRpc } from './rpc.ts';
import { many2one, readReferenceData, searchRead, type ReferenceData, type Session } from './session.ts';

type Model = 'production' | 'production.work' | 'stock.move' | 'stock.lot' | 'product.product';

interface TrytonCursor {
  readonly v: 1;
  /** Per model, the newest `coalesce(write_date, create_date)` seen. */
  readonly stamps: Partial<Record<Model, string>>;
  /**
   * Per model, the records read within the overlap window and their stamps: a record the window
   * brings back unchanged is not read again (an idle plant costs a few small searches a poll).
   */
  readonly seen?: Partial<Record<Model, Record<string, string>>>;
  /** Digest of the reference data last read: when it changes, every open production is read again. */
  readonly reference: string | null;
}

type Row = Record<string, unknown>;

/** An RPC that failed inside a read: the read answers `unavailable` (or the writer its outcome). */
export class Failed extends Error {
  constructor(readonly failure: RpcFailure) { super(failure.reason); }
}

async function must<T>(answer: Promise<RpcAnswer<T>>): Promise<T> {
  const settled = await answer;
  if (!settled.ok) throw new Failed(settled);
  return settled.value;
}

const stampOf = (row: Row): string | null => (typeof row.write_date === 'string' ? row.write_date : typeof row.create_date === 'string' ? row.create_date : null);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const CHUNK = 500;

function parseCursor(raw: string | null): TrytonCursor | null {
  if (raw === null) return null;
  try {
    const parsed = JSON.parse(raw) as TrytonCursor;
    return parsed.v === 1 ? parsed : null;
  } catch {
    return null;
  }
}

export class TrytonReader {
  private readonly overlapMs: number;
  private readonly pageSize: number;
  /** The reference data of the last read (a write names work centers by it). */
  lastReference: { readonly data: ReferenceData; readonly at: number } | null = null;

  constructor(private readonly rpc: TrytonRpc, private readonly config: TrytonConnectorConfig) {
    this.overlapMs = config.overlapMs ?? 30_000;
    this.pageSize = config.pageSize ?? CHUNK;
  }

  async read(session: Session, request: ReadRequest): Promise<ReadOutcome> {
    try {
      return await this.readDelta(session, request);
    } catch (error) {
      if (error instanceof Failed) {
        const f = error.failure;
        return { kind: 'unavailable', reason: f.reason, retryAfterMs: f.kind === 'unavailable' ? f.retryAfterMs : null };
      }
      throw error;
    }
  }

  private async readDelta(session: Session, request: ReadRequest): Promise<ReadOutcome> {
    const cursor = parseCursor(request.cursor);
    const reference = await must(readReferenceData(this.rpc, session));
    this.lastReference = { data: reference, at: request.now };
    const full = cursor === null || cursor.reference !== reference.digest;
    const stamps: Partial<Record<Model, string>> = { ...(cursor?.stamps ?? {}) };
    const windows: Partial<Record<Model, Row[]>> = {};
    const ctx = session.context;
    const company = session.company.id;

    // What changed since the cursor, per model (ids and stamps only).
    const changed = async (model: Model, domain: readonly unknown[], fields: readonly string[] = []): Promise<Row[]> => {
      const last = cursor?.stamps[model];
      const since = last === undefined ? null : new TrytonDateTime(Date.parse(last) - this.overlapMs);
      const window = since === null ? [] : [['OR', ['write_date', '>=', since], ['create_date', '>=', since]]];
      const rows = await must(searchRead<Row>(this.rpc, model, [...domain, ...window], ['id', 'write_date', 'create_date', ...fields], ctx));
      for (const row of rows) {
        const stamp = stampOf(row);
        if (stamp !== null && (stamps[model] === undefined || stamp > stamps[model]!)) stamps[model] = stamp;
      }
      windows[model] = rows;
      const seen = cursor?.seen?.[model] ?? {};
      return rows.filter((row) => seen[String(row.id)] !== stampOf(row));
    };

    const productionDomain = [['company', '=', company], ['warehouse', '=', session.warehouse.id]];
    const openProductions = await must(this.rpc.model<number[]>('production', 'search', [[...productionDomain, ['state', 'not in', [...CLOSED_STATES]]], 0, null, null], ctx));
    const productions = new Set<number>(full ? openProductions : []);
    for (const row of await changed('production', productionDomain)) productions.add(row.id as number);
    for (const row of await changed('production.work', [['company', '=', company]], ['production'])) {
      const production = many2one(row.production);
      if (production !== null) productions.add(production);
    }
    const moves = await changed('stock.move', [['company', '=', company]],
      ['production_input', 'production_output', 'state', 'product', 'from_location.type', 'to_location']);
    const stockOf = new Set<number>();
    const incomingChanged: number[] = [];
    for (const move of moves) {
      for (const field of ['production_input', 'production_output']) {
        const production = many2one(move[field]);
        if (production !== null) productions.add(production);
      }
      if (move.state === 'done') stockOf.add(many2one(move.product)!);
      const from = move['from_location.'] as { type?: string } | undefined;
      if (from?.type === 'supplier' && many2one(move.to_location) === session.warehouse.input) incomingChanged.push(move.id as number);
    }
    for (const row of await changed('stock.lot', [], ['product'])) stockOf.add(many2one(row.product)!);
    const changedProducts = await changed('product.product', [['type', '=', 'goods']]);
    this.readAgain(request.links, productions, incomingChanged, stockOf);

    // Productions: gone from Tryton (deleted) or still there.
    const openSet = new Set(openProductions);
    const vanished = this.vanishedProductions(request.links, openSet, productions);
    const gone = new Set(vanished);
    if (vanished.length > 0) {
      const existing = new Set(await must(this.rpc.model<number[]>('production', 'search', [[['id', 'in', vanished]], 0, null, null], ctx)));
      for (const id of vanished) if (existing.has(id)) { gone.delete(id); productions.add(id); }
    }
    const read = await this.readProductions([...productions], session);

    // Incoming supply.
    const incomingDomain = [['company', '=', company], ['from_location.type', '=', 'supplier'], ['to_location', '=', session.warehouse.input]];
    const openIncoming = await must(this.rpc.model<number[]>('stock.move', 'search', [[...incomingDomain, ['state', 'in', [...OPEN_MOVE_STATES]]], 0, null, null], ctx));
    const incomingIds = new Set<number>([...(full ? openIncoming : []), ...incomingChanged]);
    const incoming = await this.readIncoming([...incomingIds], session);

    // Items: the products the records name, and those changed that takt holds.
    const needed = new Set<number>();
    for (const p of read) {
      if (p.product !== null) needed.add(p.product);
      for (const m of p.inputs) needed.add(m.product);
    }
    for (const m of incoming) needed.add(m.product);
    const products = await this.readProducts([...new Set([...needed, ...stockOf, ...changedProducts.map((r) => r.id as number)])], ctx);

    // Stock of consumed products: whose stock moved, or that takt has no stock for yet.
    const consumed = new Set(read.flatMap((p) => p.inputs.map((m) => m.product)));
    for (const id of consumed) {
      const product = products.get(id);
      if (product !== undefined && (full || request.links.get('lot', onHandKey(productKey(product))) === undefined)) stockOf.add(id);
    }
    const stock = await this.readStock([...stockOf].filter((id) => products.has(id)), session);

    const timeZone = session.company.timeZone;
    const mapContext: MapContext = {
      reference, products, timeZone, defaultDueDays: this.config.defaultDueDays ?? 14, progress: this.config.progress !== false,
    };
    const records: ErpRecord[] = [];
    if (!request.plantExists) {
      records.push({ type: 'plant.upserted', data: { id: this.config.plant, name: session.company.name, timeZone }, changedAt: request.now });
    }
    const itemIds = new Set([...needed, ...stock.products, ...changedProducts.map((r) => r.id as number).filter((id) => {
      const product = products.get(id);
      return product !== undefined && request.links.get('item', productKey(product)) !== undefined;
    })]);
    for (const id of [...itemIds].sort((a, b) => a - b)) {
      const product = products.get(id);
      if (product !== undefined) records.push(mapProduct(product, request.now));
    }
    for (const p of read) records.push(...mapProduction(p, request.links.get('work_order', p.number), mapContext));
    for (const key of this.goneKeys(request.links, gone)) {
      records.push({ type: 'work_order.cancelled', data: { id: key, reason: 'deleted in Tryton' }, memo: { state: 'cancelled' }, changedAt: request.now });
    }
    for (const move of incoming) {
      const mapped = mapIncoming(move, products, timeZone, request.now);
      if (mapped.type === 'receipt.upserted' || request.links.get('receipt', receiptKey(move)) !== undefined) records.push(mapped);
    }
    for (const key of this.vanishedReceipts(request.links, new Set([...openIncoming, ...incoming.map((m) => m.id)]))) {
      records.push({ type: 'receipt.cancelled', data: { id: key, reason: 'deleted in Tryton' }, memo: { open: false }, changedAt: request.now });
    }
    for (const lot of stock.lots) records.push(mapLot(lot, products, timeZone));
    for (const [id, quantity] of stock.onHand) records.push(mapOnHand(products.get(id)!, quantity, request.now));

    const next: TrytonCursor = { v: 1, stamps, seen: this.seenWithin(windows, stamps), reference: reference.digest };
    return { kind: 'changes', records, cursor: JSON.stringify(next), more: false };
  }

  /** What takt asks to read again (a read of it raced takt's own write-back): by the ids its links keep. */
  private readAgain(links: LinkIndex, productions: Set<number>, incoming: number[], stockOf: Set<number>): void {
    const productionOf = (workOrder: string) => (links.get('work_order', workOrder)?.ref as ProductionRef | null | undefined)?.production;
    for (const link of links.refresh('work_order')) {
      const id = (link.ref as ProductionRef | null)?.production;
      if (typeof id === 'number') productions.add(id);
    }
    for (const link of links.refresh('operation')) {
      const id = productionOf((JSON.parse(link.key) as [string, string])[0]);
      if (typeof id === 'number') productions.add(id);
    }
    for (const link of links.refresh('receipt')) {
      const move = (link.ref as { move?: number } | null)?.move;
      if (typeof move === 'number') incoming.push(move);
    }
    for (const link of [...links.refresh('lot'), ...links.refresh('item')]) {
      const product = (link.ref as { product?: number } | null)?.product;
      if (typeof product === 'number') stockOf.add(product);
    }
  }

  /** The records each model's next window will bring back: those stamped within the overlap of its newest stamp. */
  private seenWithin(windows: Partial<Record<Model, Row[]>>, stamps: Partial<Record<Model, string>>): Partial<Record<Model, Record<string, string>>> {
    const seen: Partial<Record<Model, Record<string, string>>> = {};
    for (const [model, rows] of Object.entries(windows) as [Model, Row[]][]) {
      const newest = stamps[model];
      if (newest === undefined) continue;
      const edge = Date.parse(newest) - this.overlapMs;
      const entries = rows.flatMap((row) => {
        const stamp = stampOf(row);
        return stamp !== null && Date.parse(stamp) >= edge ? [[String(row.id), stamp] as const] : [];
      });
      if (entries.length > 0) seen[model] = Object.fromEntries(entries);
    }
    return seen;
  }

  /** Open productions takt holds whose Tryton id is no longer open (and was not read as changed). */
  private vanishedProductions(links: LinkIndex, open: ReadonlySet<number>, reading: ReadonlySet<number>): number[] {
    return links.keys('work_order').flatMap((key) => {
      const link = links.get('work_order', key)!;
      const id = (link.ref as ProductionRef | null)?.production;
      const memo = link.memo as ProductionMemo | null;
      if (typeof id !== 'number' || CLOSED_STATES.has(memo?.state ?? '') || open.has(id) || reading.has(id)) return [];
      return [id];
    });
  }

  private goneKeys(links: LinkIndex, gone: ReadonlySet<number>): string[] {
    if (gone.size === 0) return [];
    return links.keys('work_order').filter((key) => gone.has((links.get('work_order', key)!.ref as ProductionRef | null)?.production ?? -1));
  }

  private vanishedReceipts(links: LinkIndex, present: ReadonlySet<number>): string[] {
    return links.keys('receipt').filter((key) => {
      const link = links.get('receipt', key)!;
      const id = (link.ref as { move?: number } | null)?.move;
      return typeof id === 'number' && !present.has(id) && (link.memo as { open?: boolean } | null)?.open !== false;
    });
  }

  /** Records by id, those deleted meanwhile left out (a `read` of a deleted id fails the whole call). */
  private async readInChunks(model: string, ids: readonly number[], fields: readonly string[], ctx: Session['context']): Promise<Row[]> {
    const rows: Row[] = [];
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i += this.pageSize) {
      rows.push(...await must(searchRead<Row>(this.rpc, model, [['id', 'in', sorted.slice(i, i + this.pageSize)]], fields, ctx)));
    }
    return rows;
  }

  /** Productions with their works and inputs, one call per page (Tryton reads `works.field` as nested records). */
  async readProductions(ids: readonly number[], session: Session): Promise<TrytonProduction[]> {
    if (ids.length === 0) return [];
    const rows = await this.readInChunks('production', ids, [
      'id', 'number', 'product', 'quantity', 'uom', 'state', 'planned_date', 'planned_start_date', 'routing', 'work_center',
      '_timestamp', 'write_date', 'create_date',
      'works.sequence', 'works.operation', 'works.work_center', 'works.state', 'works._timestamp', 'works.write_date', 'works.create_date',
      'inputs.product', 'inputs.internal_quantity', 'inputs.uom', 'inputs.state', 'inputs.planned_date', 'inputs._timestamp',
    ], session.context);
    const nested = (row: Row, field: string): Row[] => (Array.isArray(row[`${field}.`]) ? row[`${field}.`] as Row[] : []);
    return rows.map((r): TrytonProduction => ({
      id: r.id as number,
      number: text(r.number) ?? `production-${r.id}`,
      product: many2one(r.product),
      quantity: Number(r.quantity ?? 0),
      uom: many2one(r.uom),
      state: String(r.state),
      plannedDate: text(r.planned_date),
      plannedStartDate: text(r.planned_start_date),
      routing: many2one(r.routing),
      workCenter: many2one(r.work_center),
      works: nested(r, 'works').map((w): TrytonWork => ({
        id: w.id as number, sequence: typeof w.sequence === 'number' ? w.sequence : null, operation: many2one(w.operation)!, workCenter: many2one(w.work_center),
        state: String(w.state), stamp: String(w._timestamp), changedAt: stampOf(w),
      })),
      inputs: nested(r, 'inputs').map((m): TrytonMove => ({
        id: m.id as number, product: many2one(m.product)!, quantity: Number(m.internal_quantity ?? 0), uom: many2one(m.uom)!, state: String(m.state),
        plannedDate: text(m.planned_date), stamp: String(m._timestamp),
      })),
      stamp: String(r._timestamp),
      createdAt: text(r.create_date) ?? new Date(0).toISOString(),
      changedAt: stampOf(r) ?? new Date(0).toISOString(),
    }));
  }

  private async readIncoming(ids: readonly number[], session: Session): Promise<TrytonIncoming[]> {
    const rows = await this.readInChunks('stock.move', [...ids].sort((a, b) => a - b),
      ['id', 'product', 'internal_quantity', 'state', 'planned_date', 'purchase.number', 'write_date', 'create_date'], session.context);
    return rows.map((m) => ({
      id: m.id as number, product: many2one(m.product)!, quantity: Number(m.internal_quantity ?? 0), state: String(m.state),
      plannedDate: text(m.planned_date), purchase: text((m['purchase.'] as { number?: unknown } | null | undefined)?.number),
      changedAt: stampOf(m) ?? new Date(0).toISOString(),
    }));
  }

  private async readProducts(ids: readonly number[], ctx: Session['context']): Promise<Map<number, TrytonProduct>> {
    const rows = await this.readInChunks('product.product', [...ids].sort((a, b) => a - b), ['id', 'code', 'rec_name', 'name', 'default_uom', 'default_uom.symbol'], ctx);
    return new Map(rows.map((p) => [p.id as number, {
      id: p.id as number, code: text(p.code), name: text(p.name) ?? text(p.rec_name) ?? `product ${p.id}`,
      uom: many2one(p.default_uom)!, uomSymbol: text((p['default_uom.'] as { symbol?: unknown } | undefined)?.symbol) ?? '',
    }]));
  }

  /** Lots of the products, with their quantity in the warehouse, and stock outside any lot. */
  private async readStock(productIds: readonly number[], session: Session): Promise<{ lots: TrytonLot[]; onHand: Map<number, number>; products: number[] }> {
    if (productIds.length === 0) return { lots: [], onHand: new Map(), products: [] };
    const ctx = { ...session.context, locations: [session.warehouse.input, session.warehouse.storage], with_childs: true };
    const lotRows = await must(searchRead<Row>(this.rpc, 'stock.lot', [['product', 'in', [...productIds]]],
      ['id', 'number', 'product', 'quantity', 'expiration_date', 'shelf_life_expiration_date', 'write_date', 'create_date'], ctx));
    const lots = lotRows.map((l): TrytonLot => ({
      id: l.id as number, number: text(l.number) ?? `lot-${l.id}`, product: many2one(l.product)!, quantity: Number(l.quantity ?? 0),
      // The earlier of the two: past its shelf life Tryton leaves a lot out of the forecast.
      expirationDate: [text(l.expiration_date), text(l.shelf_life_expiration_date)].filter((d): d is string => d !== null).sort()[0] ?? null,
      changedAt: stampOf(l) ?? new Date(0).toISOString(),
    }));
    const totals = await must(this.rpc.model<Row[]>('product.product', 'read', [[...productIds], ['id', 'quantity']], ctx));
    const inLots = new Map<number, number>();
    for (const lot of lots) inLots.set(lot.product, (inLots.get(lot.product) ?? 0) + lot.quantity);
    const onHand = new Map(totals.map((t) => [t.id as number, Number(t.quantity ?? 0) - (inLots.get(t.id as number) ?? 0)]));
    return { lots, onHand, products: [...productIds] };
  }
}

