/**
 * Builds the bench plant (plant-spec.ts) in a fresh Tryton through its JSON-RPC, with the test
 * builder for the few master records and batched `create` calls for the many: productions
 * (with their stock moves) in lists of 100, one `wait` for all that go to waiting, all lots and
 * all initial stock in one call each. Productions are exploded as the client does (`on_change`
 * of the BOM), but once per product at quantity 1 and scaled: the BOM quantities are whole
 * numbers, so the result is the client's without one `on_change` call per production.
 * `growPlant` adds productions and stock to a built plant the same way.
 */
import { TrytonDate, TrytonDecimal, type TrytonRpc } from '../../../sync/connectors/tryton/rpc.ts';
import * as T from '../../../test/sync/connectors/tryton/tryton-plant.ts';
import type { PlantGrowth, PlantSpec, ProductionSpec } from './plant-spec.ts';

export const COMPANY = 'Takt Bench Works';
export const ZONE = 'Europe/Berlin';
const BATCH = 100;

type Values = Record<string, unknown>;

export interface BuiltProduction { readonly id: number; readonly number: string; readonly product: string; readonly draft: boolean }

export interface BuiltPlant {
  readonly ctx: T.TrytonPlantContext;
  readonly today: string;
  readonly line: number;
  readonly productIds: ReadonlyMap<string, number>;
  /** Raw material code → its unit of measure's id. */
  readonly rawUoms: ReadonlyMap<string, number>;
  readonly productions: BuiltProduction[];
  /** Incoming purchase moves (one per purchase line) and their planned day. */
  readonly purchaseMoves: { readonly move: number; readonly product: string; deliveryDay: number }[];
  /** Phase → wall time (calls are counted by the meter around each phase). */
  readonly phases: { readonly name: string; readonly start: number; readonly end: number }[];
  /** Per finished product: header fields and per-unit moves, to create or re-explode productions. */
  readonly templates: ReadonlyMap<string, ProductTemplate>;
}

export interface ProductTemplate {
  readonly header: Values;
  readonly inputs: readonly Values[];
  readonly outputs: readonly Values[];
}

const MOVE_FIELDS = ['product', 'uom', 'quantity', 'from_location', 'to_location', 'company', 'currency', 'unit_price'] as const;

/** Stored move fields of an `on_change` result, quantity per unit of output. */
function moveTemplate(computed: Values): Values {
  const values: Values = {};
  for (const field of MOVE_FIELDS) if (computed[field] !== undefined && computed[field] !== null) values[field] = computed[field];
  return values;
}

/** The moves of `quantity` units, as the client's BOM explosion gives them. */
export function explode(template: ProductTemplate, quantity: number): { inputs: Values[]; outputs: Values[] } {
  const scale = (m: Values): Values => ({
    ...m, quantity: (m.quantity as number) * quantity,
    ...(m.unit_price !== undefined && { unit_price: new TrytonDecimal(m.unit_price as number) }),
  });
  return { inputs: template.inputs.map(scale), outputs: template.outputs.map(scale) };
}

/** `create` values of one production, moves included. */
export function productionValues(template: ProductTemplate, today: string, p: Pick<ProductionSpec, 'quantity' | 'dueDay' | 'startDay'>): Values {
  const { inputs, outputs } = explode(template, p.quantity);
  return {
    ...template.header, quantity: p.quantity,
    planned_date: new TrytonDate(T.addDays(today, p.dueDay)), planned_start_date: new TrytonDate(T.addDays(today, p.startDay)),
    inputs: [['create', inputs]], outputs: [['create', outputs]],
  };
}

export async function buildPlant(rpc: TrytonRpc, spec: PlantSpec, log: (line: string) => void): Promise<BuiltPlant> {
  const phases: { name: string; start: number; end: number }[] = [];
  const phase = async <R>(name: string, run: () => Promise<R>): Promise<R> => {
    const start = Date.now();
    const result = await run();
    phases.push({ name, start, end: Date.now() });
    log(`tryton: built ${name} in ${Date.now() - start} ms`);
    return result;
  };

  const master = await phase('company, products, work centers, routings, BOMs', async () => {
    const ctx = await T.setupCompany(rpc, { name: COMPANY, timezone: ZONE });
    const today = await T.trytonToday(rpc, ctx);
    const uoms = { kg: await T.uomId(rpc, 'kg'), u: await T.uomId(rpc, 'u') };
    const line = await T.createWorkCenter(rpc, ctx, { name: 'LINE-1' });
    const categories = new Map<string, number>();
    for (const c of spec.categories) {
      const id = await T.createWorkCenterCategory(rpc, { name: c.name });
      categories.set(c.name, id);
      for (const name of c.centers) await T.createWorkCenter(rpc, ctx, { name, category: id, parent: line });
    }
    const operations = new Map<string, number>();
    for (const o of spec.operations) operations.set(o.name, await T.createRoutingOperation(rpc, { name: o.name, category: categories.get(o.category)! }));
    const productIds = new Map<string, number>();
    for (const r of spec.raw) productIds.set(r.code, await T.createProduct(rpc, ctx, { code: r.code, name: r.name, uom: uoms[r.uom], lot: r.lot }));
    for (const f of spec.finished) productIds.set(f.code, await T.createProduct(rpc, ctx, { code: f.code, name: `Product ${f.code}`, uom: uoms.u }));
    const uomOf = (code: string) => uoms[spec.raw.find((r) => r.code === code)?.uom ?? 'u'];
    const boms = new Map<string, number>();
    for (const f of spec.finished) {
      boms.set(f.code, await T.createBom(rpc, {
        name: f.code, output: { product: productIds.get(f.code)!, quantity: 1, uom: uoms.u },
        inputs: f.inputs.map((i) => ({ product: productIds.get(i.code)!, quantity: i.quantity, uom: uomOf(i.code) })),
      }));
    }
    const routings = new Map<string, number>();
    for (const r of spec.routings) {
      const uses = spec.finished.filter((f) => f.routing === r.name).map((f) => boms.get(f.code)!);
      routings.set(r.name, await T.createRouting(rpc, { name: r.name, steps: r.steps.map((s) => operations.get(s)!), boms: uses }));
    }
    const templates = new Map<string, ProductTemplate>();
    for (const f of spec.finished) {
      const header: Values = {
        company: ctx.company, warehouse: ctx.warehouse, location: ctx.locations.production,
        product: productIds.get(f.code)!, uom: uoms.u, bom: boms.get(f.code)!, routing: routings.get(f.routing)!, work_center: line,
      };
      const [changes] = await T.call<Record<string, { add?: [number, Values][] } | undefined>[]>(rpc, 'production', 'on_change',
        [{ ...header, quantity: 1, inputs: [], outputs: [] }, ['bom']], ctx.context);
      const added = (field: string) => (changes?.[field]?.add ?? []).map(([, values]) => moveTemplate(values));
      templates.set(f.code, { header, inputs: added('inputs'), outputs: added('outputs') });
    }
    return { ctx, today, line, productIds, templates, uoms };
  });
  const { ctx, today, productIds, templates, uoms } = master;
  const rawUoms = new Map(spec.raw.map((r) => [r.code, uoms[r.uom]]));

  const built = { ctx, today, productIds, templates, rawUoms };
  const productions = await phase(`${spec.productions.length} productions (create, lists of ${BATCH})`, () => createProductions(rpc, built, spec.productions));
  await phase(`wait (works on Tryton-picked work centers), lists of ${BATCH}`, () => waitProductions(rpc, ctx, productions));
  await phase('lots and stock on hand', () => addStock(rpc, built, spec));

  const purchaseMoves = await phase(`${spec.purchases.length} purchases (quote, confirm, process)`, async () => {
    const suppliers = new Map<string, number>();
    const out: BuiltPlant['purchaseMoves'] = [];
    for (const p of spec.purchases) {
      if (!suppliers.has(p.supplier)) suppliers.set(p.supplier, await T.createSupplier(rpc, ctx, { name: p.supplier }));
      const purchase = await T.createPurchase(rpc, ctx, {
        supplier: suppliers.get(p.supplier)!,
        lines: [{ product: productIds.get(p.product)!, quantity: p.quantity, uom: uoms.u, unitPrice: '0.10', deliveryDate: T.addDays(today, p.deliveryDay) }],
      });
      const [move] = await T.processPurchase(rpc, ctx, purchase);
      out.push({ move: move!, product: p.product, deliveryDay: p.deliveryDay });
    }
    return out;
  });

  return { ctx, today, line: master.line, productIds, rawUoms, productions, purchaseMoves, phases, templates };
}

type PlantParts = Pick<BuiltPlant, 'ctx' | 'today' | 'productIds' | 'templates' | 'rawUoms'>;

/** More productions and the stock they need, in the same calls as the build (plant-spec.ts `growthSpec`). */
export async function growPlant(rpc: TrytonRpc, plant: BuiltPlant, growth: PlantGrowth): Promise<BuiltProduction[]> {
  const productions = await createProductions(rpc, plant, growth.productions);
  await waitProductions(rpc, plant.ctx, productions);
  await addStock(rpc, plant, growth);
  return productions;
}

/** Created in lists of `BATCH`, their moves exploded from the product's template. */
async function createProductions(rpc: TrytonRpc, plant: PlantParts, specs: readonly ProductionSpec[]): Promise<BuiltProduction[]> {
  const { ctx } = plant;
  const ids: number[] = [];
  for (let i = 0; i < specs.length; i += BATCH) {
    const values = specs.slice(i, i + BATCH).map((p) => productionValues(plant.templates.get(p.product)!, plant.today, p));
    ids.push(...await T.call<number[]>(rpc, 'production', 'create', [values], ctx.context));
  }
  const numbers = new Map((await T.read(rpc, ctx.context, 'production', ids, ['number'])).map((r) => [r.id, String(r.number)]));
  return specs.map((p, i): BuiltProduction => ({ id: ids[i]!, number: numbers.get(ids[i]!)!, product: p.product, draft: !p.wait }));
}

/** The productions that go to waiting (works on work centers Tryton picks), in lists of `BATCH`. */
async function waitProductions(rpc: TrytonRpc, ctx: T.TrytonPlantContext, productions: readonly BuiltProduction[]): Promise<void> {
  const waiting = productions.filter((p) => !p.draft).map((p) => p.id);
  for (let i = 0; i < waiting.length; i += BATCH) await T.waitProduction(rpc, ctx, waiting.slice(i, i + BATCH));
}

/** The lots and the stock on hand, moved in from lost-and-found and done: all in one call each. */
async function addStock(rpc: TrytonRpc, plant: PlantParts, stock: Pick<PlantSpec, 'lots' | 'onHand'>): Promise<void> {
  const { ctx, productIds } = plant;
  const lotIds = await T.call<number[]>(rpc, 'stock.lot', 'create', [stock.lots.map((l) => ({
    product: productIds.get(l.product)!, number: l.number, expiration_date: new TrytonDate(T.addDays(plant.today, l.expiresDay)),
  }))], ctx.context);
  const move = (product: string, quantity: number, lot?: number): Values => ({
    product: productIds.get(product)!, uom: plant.rawUoms.get(product)!, quantity, company: ctx.company,
    from_location: ctx.locations.lostFound, to_location: ctx.locations.storage, ...(lot !== undefined && { lot }),
  });
  const moves = await T.call<number[]>(rpc, 'stock.move', 'create', [[
    ...stock.lots.map((l, i) => move(l.product, l.quantity, lotIds[i])),
    ...stock.onHand.map((s) => move(s.product, s.quantity)),
  ]], ctx.context);
  await T.call(rpc, 'stock.move', 'do', [moves], ctx.context);
}
