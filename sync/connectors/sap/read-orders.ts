/**
 * Fetching production orders: the delta since the cursor (keyset-paged by `LastChangeDateTime`
 * and `ManufacturingOrder`, operations and components expanded), and the check which linked
 * orders no longer exist in SAP (an archived or physically deleted order leaves no trace a
 * delta could show).
 */
import type { ResolvedSapConfig } from './config.ts';
import type { DeltaMark } from './cursor.ts';
import type { ODataFailure, ODataSession } from './odata-client.ts';
import { parseStamp, quote, stampLiteral, text, type Entity, type Stamp } from './odata-values.ts';
import { readKeyset, type PageBudget } from './paging.ts';

export type OrderDelta =
  | { readonly ok: true; readonly orders: readonly Entity[]; readonly mark: DeltaMark | null; readonly complete: boolean }
  | { readonly ok: false; readonly failure: ODataFailure };

const ORDER_SORT = ['LastChangeDateTime', 'ManufacturingOrder'] as const;

function literal(entity: Entity, field: string): string {
  if (field === 'LastChangeDateTime') {
    const stamp = parseStamp(entity[field]);
    return stamp === null ? quote(text(entity, field)) : stampLiteral(stamp);
  }
  return quote(text(entity, field));
}

export async function readOrderDelta(
  session: ODataSession, config: ResolvedSapConfig, root: string, mark: DeltaMark | null, budget: PageBudget,
): Promise<OrderDelta> {
  const plant = `ProductionPlant eq ${quote(config.productionPlant)}`;
  let filter: string;
  if (mark === null) {
    // The first read needs no closed or deleted orders: nothing in takt refers to them yet.
    filter = `${plant} and OrderIsClosed ne 'X' and OrderIsDeleted ne 'X'`;
  } else if (mark.after === null) {
    const from: Stamp = { ms: mark.ms - config.overlapMs, format: mark.format };
    filter = `${plant} and LastChangeDateTime ge ${stampLiteral(from)}`;
  } else {
    filter = plant;
  }
  const read = await readKeyset(session, {
    root,
    path: 'A_ProductionOrder_2',
    filter,
    order: ORDER_SORT,
    literal,
    options: { $expand: 'to_ProductionOrderOperation,to_ProductionOrderComponent' },
    pageSize: config.pageSize,
  }, mark?.after ?? null, budget);
  if (!read.ok) return read;
  const stamps = read.entities.map((order) => parseStamp(order.LastChangeDateTime)).filter((s): s is Stamp => s !== null);
  const latest = stamps.reduce<Stamp | null>((best, s) => (best === null || s.ms > best.ms ? s : best), null);
  const ms = Math.max(latest?.ms ?? -Infinity, mark?.ms ?? -Infinity);
  const format = latest?.format ?? mark?.format;
  const next: DeltaMark | null = format === undefined || !Number.isFinite(ms)
    ? null
    : { ms, format, after: read.complete ? null : read.continuation };
  return { ok: true, orders: read.entities, mark: next, complete: read.complete };
}

export type Sweep =
  | { readonly ok: true; readonly vanished: readonly string[]; readonly after: string | null; readonly complete: boolean }
  | { readonly ok: false; readonly failure: ODataFailure };

const SWEEP_CHUNK = 20;

/** Which linked orders after `after` (in key order) SAP no longer has; chunked `or` filters. */
export async function sweepVanished(
  session: ODataSession, root: string, linked: readonly string[], after: string | null, budget: PageBudget,
): Promise<Sweep> {
  const keys = linked.toSorted().filter((key) => after === null || key > after);
  const vanished: string[] = [];
  for (let i = 0; i < keys.length; i += SWEEP_CHUNK) {
    const chunk = keys.slice(i, i + SWEEP_CHUNK);
    if (!budget.take()) return { ok: true, vanished, after: keys[i - 1] ?? after, complete: false };
    const answer = await session.page(session.url(root, 'A_ProductionOrder_2', {
      $filter: chunk.map((key) => `ManufacturingOrder eq ${quote(key)}`).join(' or '),
      $select: 'ManufacturingOrder',
      $top: String(chunk.length),
    }));
    if (!answer.ok) return answer;
    const present = new Set(answer.page.results.map((order) => text(order, 'ManufacturingOrder')));
    vanished.push(...chunk.filter((key) => !present.has(key)));
  }
  return { ok: true, vanished, after: null, complete: true };
}
