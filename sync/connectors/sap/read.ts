/**
 * `read`: what changed in SAP since the cursor, as canonical records in dependency order: the
 * plant (once, when takt has none), calendars, work centers, items, then orders (with their operations' confirmations), orders
 * gone from SAP, lots and receipts. Orders are a delta; work centers, stock and open receipts are
 * snapshots re-read when due (SAP gives them no usable change stamp); the check for vanished
 * orders walks the linked orders a chunk at a time. A failing call makes the whole read
 * `unavailable`: nothing is half-applied, and the next read starts from the same cursor.
 */
import type { ErpRecord, ReadOutcome, ReadRequest } from '../connector.ts';
import type { ResolvedSapConfig } from './config.ts';
import { due, parseCursor, serializeCursor, type SapCursor } from './cursor.ts';
import { mapOrder } from './map-orders.ts';
import { mapReceipts } from './map-receipts.ts';
import { expiries, mapStock } from './map-stock.ts';
import { mapWorkCenters } from './map-work-centers.ts';
import type { ODataFailure, ODataSession } from './odata-client.ts';
import { text } from './odata-values.ts';
import { PageBudget } from './paging.ts';
import { plantToday } from '../wall-clock.ts';
import { readOrderDelta, sweepVanished } from './read-orders.ts';
import { readBatches, readOpenPurchaseItems, readStock, readUnits, readWorkCenters } from './read-snapshots.ts';
import type { UnitCache } from './unit-cache.ts';

export interface ReadDeps {
  readonly session: ODataSession;
  readonly config: ResolvedSapConfig;
  readonly units: UnitCache;
}

function unavailable(failure: ODataFailure): ReadOutcome {
  return { kind: 'unavailable', reason: failure.reason, retryAfterMs: failure.kind === 'unavailable' ? failure.retryAfterMs : null };
}

/** Materials named by orders, lots and receipts; a base unit known from any of them wins. */
class Items {
  private readonly units = new Map<string, string | null>();
  add(materials: ReadonlyMap<string, string | null>): void {
    for (const [material, unit] of materials) if (material !== '' && (unit !== null || !this.units.has(material))) this.units.set(material, unit);
  }
  names(): string[] {
    return [...this.units.keys()];
  }
  records(now: number): ErpRecord[] {
    // Items have no change stamp of their own in these APIs: they are as current as this read.
    return [...this.units].map(([id, uom]) => ({ type: 'item.upserted', data: { id, ...(uom !== null && { uom }) }, changedAt: now }));
  }
}

export async function readChanges(deps: ReadDeps, request: ReadRequest): Promise<ReadOutcome> {
  const { session, config } = deps;
  const roots = config.services;
  const now = request.now;
  const cursor = parseCursor(request.cursor);
  const refreshed = { ...cursor.refreshed };
  const items = new Items();
  const head: ErpRecord[] = [];
  const body: ErpRecord[] = [];
  const tail: ErpRecord[] = [];
  const budget = (): PageBudget => new PageBudget(config.maxPagesPerRead);
  if (!request.plantExists) {
    head.push({ type: 'plant.upserted', data: { id: config.plant, ...(config.plantName !== null && { name: config.plantName }), timeZone: config.timeZone }, changedAt: now });
  }

  if (roots.workCenters !== null && due(cursor, 'workCenters', config.refreshMs.workCenters, now)) {
    const read = await readWorkCenters(session, config, roots.workCenters, budget());
    if (!read.ok) return unavailable(read.failure);
    head.push(...mapWorkCenters(read.entities, plantToday(now, config.timeZone), now, config));
    if (read.complete) refreshed.workCenters = now;
  }

  let orders = cursor.orders;
  let more = false;
  let sweepAfter = cursor.sweepAfter;
  if (roots.productionOrder !== null) {
    const delta = await readOrderDelta(session, config, roots.productionOrder, cursor.orders, budget());
    if (!delta.ok) return unavailable(delta.failure);
    const materials = delta.orders.map((o) => text(o, 'Material'));
    if (roots.product !== null) {
      const missing = deps.units.missing(materials, now);
      if (missing.length > 0) {
        const read = await readUnits(session, roots.product, missing, budget());
        if (!read.ok) return unavailable(read.failure);
        deps.units.put(read.asked, read.units, now);
      }
    }
    const table = deps.units.table();
    for (const order of delta.orders) {
      const mapped = mapOrder(order, table, request.links.get('work_order', text(order, 'ManufacturingOrder')), config, now);
      body.push(...mapped.records);
      items.add(mapped.materials);
    }
    orders = delta.mark;
    more = !delta.complete;

    if (sweepAfter !== null || due(cursor, 'orderSweep', config.refreshMs.orderSweep, now)) {
      const sweep = await sweepVanished(session, roots.productionOrder, request.links.keys('work_order'), sweepAfter, budget());
      if (!sweep.ok) return unavailable(sweep.failure);
      body.push(...sweep.vanished.map((id): ErpRecord => ({ type: 'work_order.cancelled', data: { id, reason: 'no longer in SAP' }, changedAt: now })));
      sweepAfter = sweep.after;
      if (sweep.complete) refreshed.orderSweep = now;
      else more = true;
    }
  }

  if (roots.materialStock !== null && due(cursor, 'stock', config.refreshMs.stock, now)) {
    const stock = await readStock(session, config, roots.materialStock, budget());
    if (!stock.ok) return unavailable(stock.failure);
    let expiry: ReadonlyMap<string, string> = new Map();
    if (roots.batch !== null) {
      const pairs = [...new Map(stock.entities.filter((r) => text(r, 'Batch') !== '')
        .map((r) => [`${text(r, 'Material')}/${text(r, 'Batch')}`, [text(r, 'Material'), text(r, 'Batch')] as const])).values()];
      const batches = await readBatches(session, roots.batch, pairs, budget());
      if (!batches.ok) return unavailable(batches.failure);
      expiry = expiries(batches.entities, config.productionPlant);
    }
    const mapped = mapStock(stock.entities, expiry, request.links, stock.complete, now, config);
    tail.push(...mapped.records);
    items.add(mapped.materials);
    if (stock.complete) refreshed.stock = now;
  }

  if (roots.purchaseOrder !== null && due(cursor, 'receipts', config.refreshMs.receipts, now)) {
    const open = await readOpenPurchaseItems(session, config, roots.purchaseOrder, budget());
    if (!open.ok) return unavailable(open.failure);
    const mapped = mapReceipts(open.entities, deps.units.table(), request.links, open.complete, now, config);
    tail.push(...mapped.records);
    items.add(mapped.materials);
    if (open.complete) refreshed.receipts = now;
  }

  const next: SapCursor = { v: 1, orders, refreshed, sweepAfter };
  return { kind: 'changes', records: [...head, ...items.records(now), ...body, ...tail], cursor: serializeCursor(next), more };
}
