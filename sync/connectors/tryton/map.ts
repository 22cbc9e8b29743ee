/**
 * Tryton records → takt's canonical records (pure). Field map:
 * - `production` → work order: `number` is its id; `product`/`quantity`/`uom` its item and
 *   quantity in the product's unit; `state` request/draft → planned, waiting/assigned →
 *   released, running → started, done → completed, cancelled → cancelled. Tryton has no due
 *   date: `planned_date` as Tryton set it (a user, the MRP) is the due date, the end of that
 *   day; once takt writes its own planned end there, the due date stays what it was.
 * - operations: the production's `works` (from `wait` on), else its routing's steps, in
 *   routing order, numbered 10, 20, …; each names its routing operation as a standard
 *   (Tryton holds no times: takt's `operation_time` gives them) with the candidate work centers
 *   Tryton's own picker would choose from (the operation's category among the production's
 *   work center and its children); a running or finished work stays where it is. A production
 *   without a routing is one operation named after its product.
 * - `inputs` not yet done → materials of the first operation, in the product's unit.
 * - works running / finished → the operation started / completed (shop-floor progress).
 */
import type { ErpLink, ErpRecord } from '../connector.ts';
import { endOfLocalDay } from './dates.ts';
import { bySequence, convertQuantity, type ReferenceData, type WorkCenter } from './session.ts';

export interface TrytonProduct { readonly id: number; readonly code: string | null; readonly name: string; readonly uom: number; readonly uomSymbol: string }
export interface TrytonWork {
  readonly id: number; readonly sequence: number | null; readonly operation: number; readonly workCenter: number | null;
  readonly state: string; readonly stamp: string; readonly changedAt: string | null;
}
export interface TrytonMove {
  readonly id: number; readonly product: number; readonly quantity: number; readonly uom: number; readonly state: string;
  readonly plannedDate: string | null; readonly stamp: string;
}
export interface TrytonProduction {
  readonly id: number; readonly number: string; readonly product: number | null; readonly quantity: number; readonly uom: number | null;
  readonly state: string; readonly plannedDate: string | null; readonly plannedStartDate: string | null;
  readonly routing: number | null; readonly workCenter: number | null;
  readonly works: readonly TrytonWork[]; readonly inputs: readonly TrytonMove[];
  readonly stamp: string; readonly createdAt: string; readonly changedAt: string;
}

/** The way back to a production and its works. */
export interface ProductionRef {
  readonly production: number;
  /** Per takt operation: the work's id, and whether its work center may still change. */
  readonly works: Readonly<Record<string, { readonly id: number; readonly movable: boolean }>>;
}

/** What Tryton holds of takt's write-back: dates, and the work center of each movable work. */
export interface ProductionHeld {
  readonly start: string | null;
  readonly end: string | null;
  readonly workCenters: Readonly<Record<string, string | null>>;
}

export interface ProductionMemo {
  readonly due: string;
  /** Tryton's state as last read (a closed production is not looked for among the open ones). */
  readonly state: string;
  /** The zone Tryton's dates were read in (write-backs use the same). */
  readonly timeZone: string;
}

const STATUS: Readonly<Record<string, string>> = {
  request: 'planned', draft: 'planned', waiting: 'released', assigned: 'released', running: 'started', done: 'completed', cancelled: 'cancelled',
};
export const CLOSED_STATES: ReadonlySet<string> = new Set(['done', 'cancelled']);
/** Works Tryton has started or finished: their work center and times are the shop floor's, not takt's. */
export const FIXED_WORK_STATES: ReadonlySet<string> = new Set(['running', 'finished', 'done']);
const DAY_MS = 86_400_000;

export const productKey = (product: Pick<TrytonProduct, 'id' | 'code'>): string =>
  product.code !== null && product.code.trim() !== '' ? product.code.trim() : `product-${product.id}`;

/** The composite change stamp of a production: its own, its works' and its inputs' (Tryton's `_timestamp`s). */
export function productionStamp(p: Pick<TrytonProduction, 'stamp' | 'works' | 'inputs'>): string {
  const parts = (list: readonly { readonly id: number; readonly stamp: string }[]) => [...list].sort((a, b) => a.id - b.id).map((x) => `${x.id}@${x.stamp}`).join(',');
  return `${p.stamp}|${parts(p.works)}|${parts(p.inputs)}`;
}

/** Work centers Tryton's picker would choose from: `category` among `parent` and its descendants. */
export function candidateCenters(reference: ReferenceData, parent: number | null, category: number | null): WorkCenter[] {
  const centers = [...reference.workCenters.values()].filter((c) => c.active);
  if (category === null) return parent === null ? [] : centers.filter((c) => c.id === parent);
  const within = (c: WorkCenter): boolean => {
    for (let at: number | null = c.id, depth = 0; at !== null && depth < 64; depth++) {
      if (at === parent) return true;
      at = reference.workCenters.get(at)?.parent ?? null;
    }
    return parent === null;
  };
  return centers.filter((c) => c.category === category && within(c)).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

interface OperationPlan {
  readonly id: string;
  readonly name: string;
  readonly operation: string;
  readonly category: string | null;
  readonly candidates: readonly string[];
  readonly work: TrytonWork | null;
}

function operationsOf(p: TrytonProduction, reference: ReferenceData, item: string): OperationPlan[] {
  const steps = p.works.length > 0
    ? [...p.works].sort(bySequence).map((w) => ({ operation: w.operation, work: w as TrytonWork | null }))
    : (p.routing === null ? [] : [...(reference.routings.get(p.routing) ?? [])].sort(bySequence).map((s) => ({ operation: s.operation, work: null })));
  if (steps.length === 0) {
    const center = p.workCenter === null ? undefined : reference.workCenters.get(p.workCenter);
    return [{ id: '10', name: item, operation: item, category: null, candidates: center ? [center.name] : [], work: null }];
  }
  return steps.map(({ operation, work }, index) => {
    const op = reference.operations.get(operation);
    const category = op?.category ?? null;
    const fixed = work !== null && FIXED_WORK_STATES.has(work.state) && work.workCenter !== null;
    const names = fixed
      ? [reference.workCenters.get(work.workCenter!)?.name ?? `work-center-${work.workCenter}`]
      : candidateCenters(reference, p.workCenter, category).map((c) => c.name);
    const assigned = work?.workCenter === null || work === null ? undefined : reference.workCenters.get(work.workCenter)?.name;
    return {
      id: String((index + 1) * 10),
      name: op?.name ?? `operation-${operation}`,
      operation: op?.name ?? `operation-${operation}`,
      category: category === null ? null : reference.categories.get(category) ?? null,
      // A work someone placed outside the picker's choice stays a candidate.
      candidates: assigned !== undefined && !names.includes(assigned) ? [...names, assigned] : names,
      work,
    };
  });
}

function dueOf(p: TrytonProduction, link: ErpLink | undefined, timeZone: string, defaultDueDays: number): string {
  const held = link?.held as ProductionHeld | null | undefined;
  const pending = link?.pending as ProductionHeld | null | undefined;
  const memo = link?.memo as ProductionMemo | null | undefined;
  const takts = p.plannedDate !== null && (p.plannedDate === held?.end || p.plannedDate === pending?.end) && memo?.due !== undefined;
  if (p.plannedDate !== null && !takts) return endOfLocalDay(p.plannedDate, timeZone);
  if (memo?.due !== undefined) return memo.due;
  return new Date(Date.parse(p.createdAt) + defaultDueDays * DAY_MS).toISOString();
}

export interface MapContext {
  readonly reference: ReferenceData;
  readonly products: ReadonlyMap<number, TrytonProduct>;
  readonly timeZone: string;
  readonly defaultDueDays: number;
  readonly progress: boolean;
}

/** The production as a work order, and its works' progress. */
export function mapProduction(p: TrytonProduction, link: ErpLink | undefined, ctx: MapContext): ErpRecord[] {
  const product = p.product === null ? undefined : ctx.products.get(p.product);
  const item = product === undefined ? `product-${p.product}` : productKey(product);
  const uoms = ctx.reference.uoms;
  const quantity = convertQuantity(p.quantity, p.uom === null ? undefined : uoms.get(p.uom), product === undefined ? undefined : uoms.get(product.uom));
  const operations = operationsOf(p, ctx.reference, item);
  const due = dueOf(p, link, ctx.timeZone, ctx.defaultDueDays);
  const changedAt = Date.parse(p.changedAt);

  const materials = new Map<string, number>();
  for (const move of p.inputs) {
    if (move.state === 'done' || move.state === 'cancelled') continue;
    const input = ctx.products.get(move.product);
    const key = input === undefined ? `product-${move.product}` : productKey(input);
    materials.set(key, (materials.get(key) ?? 0) + move.quantity);
  }

  const ref: ProductionRef = {
    production: p.id,
    works: Object.fromEntries(operations.flatMap((op) => (op.work === null ? [] : [[op.id, { id: op.work.id, movable: !FIXED_WORK_STATES.has(op.work.state) }]]))),
  };
  const held: ProductionHeld = {
    start: p.plannedStartDate,
    end: p.plannedDate,
    workCenters: Object.fromEntries(operations.flatMap((op) => (op.work === null || FIXED_WORK_STATES.has(op.work.state) ? []
      : [[op.id, op.work.workCenter === null ? null : ctx.reference.workCenters.get(op.work.workCenter)?.name ?? null]]))),
  };
  const memo: ProductionMemo = { due, state: p.state, timeZone: ctx.timeZone };
  const order: ErpRecord = {
    type: 'work_order.upserted',
    data: {
      id: p.number,
      item,
      quantity,
      due,
      status: STATUS[p.state] ?? 'planned',
      operations: operations.map((op) => ({
        id: op.id,
        name: op.name,
        standard: { operation: op.operation, ...(op.category !== null && { category: op.category }), workCenters: [...op.candidates] },
      })),
      ...(materials.size > 0 && { materials: [...materials].sort(([a], [b]) => a.localeCompare(b)).map(([key, qty]) => ({ item: key, quantity: qty, operation: '10' })) }),
    },
    ref, stamp: productionStamp(p), held, memo, changedAt,
  };
  return [order, ...(ctx.progress && !CLOSED_STATES.has(p.state) ? progressOf(p.number, operations, ctx.reference, quantity) : [])];
}

function progressOf(workOrder: string, operations: readonly OperationPlan[], reference: ReferenceData, quantity: number): ErpRecord[] {
  return operations.flatMap((op): ErpRecord[] => {
    const work = op.work;
    if (work === null || work.workCenter === null || !FIXED_WORK_STATES.has(work.state)) return [];
    const workCenter = reference.workCenters.get(work.workCenter)?.name ?? `work-center-${work.workCenter}`;
    const at = work.changedAt ?? undefined;
    const changedAt = at === undefined ? 0 : Date.parse(at);
    return work.state === 'running'
      ? [{ type: 'operation.started', source: 'mes', data: { workOrder, operation: op.id, workCenter, ...(at !== undefined && { startedAt: at }) }, changedAt }]
      : [{ type: 'operation.completed', source: 'mes', data: { workOrder, operation: op.id, workCenter, quantityGood: quantity, ...(at !== undefined && { completedAt: at }) }, changedAt }];
  });
}

/** A product as an item. */
export function mapProduct(product: TrytonProduct, changedAt: number): ErpRecord {
  return { type: 'item.upserted', data: { id: productKey(product), name: product.name, uom: product.uomSymbol }, ref: { product: product.id }, changedAt };
}
