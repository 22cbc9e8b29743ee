/**
 * The Tryton side of one plant: the company and warehouse the connection reads, the zone its
 * dates are in, and the small reference models every mapping needs (units of measure, work
 * centers with their tree and categories, routing operations and routings). Reference data is
 * read whole on each poll (it is small); its digest tells the reader when to re-read every open
 * production, whose candidate work centers and operation names come from it.
 */
import { digestOf } from '../../canonical-json.ts';
import type { TrytonConnectorConfig } from './config.ts';
import type { Context, RpcAnswer, TrytonRpc } from './rpc.ts';

export interface Uom { readonly id: number; readonly symbol: string; readonly factor: number; readonly category: number }
export interface WorkCenter {
  readonly id: number; readonly name: string; readonly parent: number | null; readonly category: number | null;
  readonly active: boolean; readonly warehouse: number;
}
export interface RoutingOperation { readonly id: number; readonly name: string; readonly category: number | null }
export interface RoutingStep { readonly id: number; readonly sequence: number | null; readonly operation: number; readonly routing: number }

export interface Company { readonly id: number; readonly name: string; readonly timeZone: string }
export interface Warehouse { readonly id: number; readonly code: string; readonly storage: number; readonly input: number; readonly production: number }

export interface ReferenceData {
  readonly uoms: ReadonlyMap<number, Uom>;
  readonly workCenters: ReadonlyMap<number, WorkCenter>;
  readonly categories: ReadonlyMap<number, string>;
  readonly operations: ReadonlyMap<number, RoutingOperation>;
  /** Steps per routing (sort with `bySequence` for Tryton's routing order). */
  readonly routings: ReadonlyMap<number, readonly RoutingStep[]>;
  readonly digest: string;
}

export interface Session {
  readonly company: Company;
  readonly warehouse: Warehouse;
  /** Context of every call: the company, and inactive records visible. */
  readonly context: Context;
}

type Row = Record<string, unknown>;

export const many2one = (value: unknown): number | null => (typeof value === 'number' ? value : null);

export async function searchRead<T = Row>(
  rpc: TrytonRpc, model: string, domain: readonly unknown[], fields: readonly string[], context: Context, order: readonly unknown[] | null = null,
): Promise<RpcAnswer<T[]>> {
  // Awaited, not passed on: V8's async stack traces then keep the caller's frames.
  return await rpc.model<T[]>(model, 'search_read', [domain, 0, null, order, fields], context);
}

export async function openSession(rpc: TrytonRpc, config: TrytonConnectorConfig): Promise<RpcAnswer<Session>> {
  const companyDomain = config.company === undefined ? []
    : /^\d+$/.test(config.company) ? [['id', '=', Number(config.company)]] : [['party.name', '=', config.company]];
  const companies = await searchRead<Row>(rpc, 'company.company', companyDomain, ['id', 'rec_name', 'timezone'], {});
  if (!companies.ok) return companies;
  const company = companies.value[0];
  if (company === undefined || (config.company === undefined && companies.value.length > 1)) {
    return { ok: false, kind: 'refused', exception: 'Configuration', reason: config.company === undefined
      ? `Tryton has ${companies.value.length} companies: name the one to read (company)`
      : `Tryton has no company "${config.company}"` };
  }
  const code = config.warehouse ?? 'WH';
  const warehouses = await searchRead<Row>(rpc, 'stock.location', [['type', '=', 'warehouse'], ['code', '=', code]],
    ['id', 'code', 'storage_location', 'input_location', 'production_location'], {});
  if (!warehouses.ok) return warehouses;
  const warehouse = warehouses.value[0];
  if (warehouse === undefined) return { ok: false, kind: 'refused', exception: 'Configuration', reason: `Tryton has no warehouse with code "${code}"` };
  const timeZone = config.timeZone ?? (typeof company.timezone === 'string' && company.timezone !== '' ? company.timezone : 'UTC');
  return {
    ok: true,
    value: {
      company: { id: company.id as number, name: String(company.rec_name), timeZone },
      warehouse: {
        id: warehouse.id as number, code,
        storage: many2one(warehouse.storage_location)!, input: many2one(warehouse.input_location)!, production: many2one(warehouse.production_location)!,
      },
      context: { company: company.id, active_test: false },
    },
  };
}

export async function readReferenceData(rpc: TrytonRpc, session: Session): Promise<RpcAnswer<ReferenceData>> {
  const ctx = session.context;
  const uoms = await searchRead<Row>(rpc, 'product.uom', [], ['id', 'symbol', 'factor', 'category'], ctx);
  if (!uoms.ok) return uoms;
  const centers = await searchRead<Row>(rpc, 'production.work.center', [['company', '=', session.company.id]],
    ['id', 'name', 'parent', 'category', 'active', 'warehouse'], ctx, [['id', 'ASC']]);
  if (!centers.ok) return centers;
  const categories = await searchRead<Row>(rpc, 'production.work.center.category', [], ['id', 'name'], ctx);
  if (!categories.ok) return categories;
  const operations = await searchRead<Row>(rpc, 'production.routing.operation', [], ['id', 'name', 'work_center_category'], ctx);
  if (!operations.ok) return operations;
  const steps = await searchRead<Row>(rpc, 'production.routing.step', [], ['id', 'sequence', 'operation', 'routing'], ctx);
  if (!steps.ok) return steps;

  const routings = new Map<number, RoutingStep[]>();
  for (const s of steps.value) {
    const step: RoutingStep = { id: s.id as number, sequence: typeof s.sequence === 'number' ? s.sequence : null, operation: many2one(s.operation)!, routing: many2one(s.routing)! };
    routings.set(step.routing, [...(routings.get(step.routing) ?? []), step]);
  }
  const value = {
    uoms: new Map(uoms.value.map((u) => [u.id as number, { id: u.id as number, symbol: String(u.symbol), factor: Number(u.factor), category: many2one(u.category)! }])),
    workCenters: new Map(centers.value.map((c) => [c.id as number, {
      id: c.id as number, name: String(c.name), parent: many2one(c.parent), category: many2one(c.category), active: c.active !== false, warehouse: many2one(c.warehouse)!,
    }])),
    categories: new Map(categories.value.map((c) => [c.id as number, String(c.name)])),
    operations: new Map(operations.value.map((o) => [o.id as number, { id: o.id as number, name: String(o.name), category: many2one(o.work_center_category) }])),
    routings,
  };
  return { ok: true, value: { ...value, digest: digestOf([[...value.uoms.values()], [...value.workCenters.values()], [...value.categories], [...value.operations.values()], [...routings]]) } };
}

/** Routing order, as Tryton's `sequence_ordered` sorts: sequence (empty first), then id. */
export function bySequence(a: { readonly sequence: number | null; readonly id: number }, b: { readonly sequence: number | null; readonly id: number }): number {
  const sa = a.sequence ?? Number.MIN_SAFE_INTEGER;
  const sb = b.sequence ?? Number.MIN_SAFE_INTEGER;
  return sa - sb || a.id - b.id;
}

/** `quantity` in `from` as a quantity in `to` (Tryton's factors: base = quantity × factor). */
export function convertQuantity(quantity: number, from: Uom | undefined, to: Uom | undefined): number {
  if (from === undefined || to === undefined || from.id === to.id || from.category !== to.category) return quantity;
  return (quantity * from.factor) / to.factor;
}
