/**
 * Builds a plant in a fresh Tryton 6.0 through its own JSON-RPC, the way a plant adopting takt
 * sets it up in the Tryton client: company, products, work centers, routings, BOMs,
 * productions, lots, stock and purchases. Every function throws on a refusal (this is test
 * set-up, a failure must stop the test) and returns the ids it created.
 *
 * Tryton's workflow buttons skip records that are not in a state the transition starts from,
 * without an error; so each transition here reads the state back and throws if it was not
 * reached.
 */
import { TrytonDate, TrytonDecimal, type Context, type TrytonRpc } from '../../../../sync/connectors/tryton/rpc.ts';
import { TRYTON_ADMIN } from '../../../support/tryton-server.ts';

export type Row = Readonly<Record<string, unknown>> & { readonly id: number };

/** One model call; a refusal or an outage throws with Tryton's message. */
export async function call<T>(rpc: TrytonRpc, model: string, method: string, args: readonly unknown[], context: Context = {}): Promise<T> {
  const answer = await rpc.model<T>(model, method, args, context);
  if (!answer.ok) throw new Error(`${model}.${method}: ${answer.reason}`);
  return answer.value;
}

export async function create(rpc: TrytonRpc, context: Context, model: string, values: Readonly<Record<string, unknown>>): Promise<number> {
  const [id] = await call<number[]>(rpc, model, 'create', [[values]], context);
  return id!;
}

export async function read(rpc: TrytonRpc, context: Context, model: string, ids: readonly number[], fields: readonly string[]): Promise<Row[]> {
  return call<Row[]>(rpc, model, 'read', [ids, fields], context);
}

export async function readOne(rpc: TrytonRpc, context: Context, model: string, id: number, fields: readonly string[]): Promise<Row> {
  const [row] = await read(rpc, context, model, [id], fields);
  if (row === undefined) throw new Error(`${model} ${id} not found`);
  return row;
}

export async function searchRead(rpc: TrytonRpc, context: Context, model: string, domain: readonly unknown[], fields: readonly string[]): Promise<Row[]> {
  return call<Row[]>(rpc, model, 'search_read', [domain, 0, null, null, fields], context);
}

async function searchOne(rpc: TrytonRpc, context: Context, model: string, domain: readonly unknown[], fields: readonly string[] = ['id']): Promise<Row> {
  const [row] = await searchRead(rpc, context, model, domain, fields);
  if (row === undefined) throw new Error(`no ${model} matches ${JSON.stringify(domain)}`);
  return row;
}

/**
 * A workflow button, then a read-back: Tryton silently skips records in the wrong state.
 * `confirmWarnings` answers "Yes" to the warnings Tryton raises on the way.
 */
async function transition(rpc: TrytonRpc, ctx: TrytonPlantContext, model: string, button: string, ids: readonly number[], expected: string,
  options: { readonly confirmWarnings?: boolean } = {}): Promise<void> {
  if (options.confirmWarnings === true) await callConfirmed(rpc, ctx, model, button, [ids]);
  else await call(rpc, model, button, [ids], ctx.context);
  const wrong = (await read(rpc, ctx.context, model, ids, ['state'])).filter((row) => row.state !== expected);
  if (wrong.length > 0) {
    throw new Error(`${model}.${button}: ${wrong.map((row) => `${row.id} is ${String(row.state)}`).join(', ')}, not ${expected}`);
  }
}

/**
 * A call the user confirms when Tryton warns (the client's "Yes" on a UserWarning): the
 * warning is recorded as skipped once for this user (`res.user.warning`), and the call
 * repeated. The `_skip_warnings` context key would not do: trytond drops `_` keys from RPC.
 */
async function callConfirmed<T>(rpc: TrytonRpc, ctx: TrytonPlantContext, model: string, method: string, args: readonly unknown[]): Promise<T> {
  const answer = await rpc.model<T>(model, method, args, ctx.context);
  if (answer.ok) return answer.value;
  if (answer.kind === 'refused' && answer.exception === 'UserWarning') {
    // reason = `UserWarning: <warning name>: <message>`
    const name = answer.reason.split(': ')[1];
    await create(rpc, ctx.context, 'res.user.warning', { user: ctx.user, name, always: false });
    return call<T>(rpc, model, method, args, ctx.context);
  }
  throw new Error(`${model}.${method}: ${answer.reason}`);
}

const date = (iso: string): TrytonDate => new TrytonDate(iso);

/** Today in the company's timezone, as Tryton computes it (effective dates, "delivery date in the past"). */
export async function trytonToday(rpc: TrytonRpc, ctx: TrytonPlantContext): Promise<string> {
  return call<string>(rpc, 'ir.date', 'today', [], ctx.context);
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Company

export interface TrytonPlantContext {
  readonly company: number;
  readonly companyParty: number;
  readonly currency: number;
  readonly user: number;
  readonly warehouse: number;
  readonly locations: {
    readonly storage: number;
    readonly input: number;
    readonly output: number;
    readonly production: number;
    readonly supplier: number;
    readonly customer: number;
    readonly lostFound: number;
  };
  /** To pass to every later call: record rules, defaults and `ir.date.today` follow it. */
  readonly context: Context;
}

export interface CompanySpec {
  readonly name: string;
  /** An IANA zone, e.g. 'Europe/Berlin': Tryton's "today" is the company's. */
  readonly timezone: string;
  /** Currency code; EUR is created when missing (Tryton ships no currencies). */
  readonly currency?: string;
  /** The user made a member of the company (default: the test admin). */
  readonly login?: string;
}

export async function setupCompany(rpc: TrytonRpc, spec: CompanySpec): Promise<TrytonPlantContext> {
  const code = spec.currency ?? 'EUR';
  const found = await searchRead(rpc, {}, 'currency.currency', [['code', '=', code]], ['id']);
  const currency = found[0]?.id ?? await create(rpc, {}, 'currency.currency', {
    code, name: code === 'EUR' ? 'Euro' : code, symbol: code === 'EUR' ? '€' : code,
    rounding: new TrytonDecimal('0.01'), digits: 2,
  });
  const companyParty = await create(rpc, {}, 'party.party', { name: spec.name });
  const company = await create(rpc, {}, 'company.company', { party: companyParty, currency, timezone: spec.timezone });
  // Without membership the `company` context is ignored (res.user reads it only for its
  // companies) and stock quantities, computed for the user's company, would all be 0.
  const user = (await searchOne(rpc, {}, 'res.user', [['login', '=', spec.login ?? TRYTON_ADMIN.username]])).id;
  await call(rpc, 'res.user', 'write', [[user], { companies: [['add', [company]]], company }]);
  const context = { company };

  const warehouse = await searchOne(rpc, context, 'stock.location', [['type', '=', 'warehouse'], ['code', '=', 'WH']],
    ['storage_location', 'input_location', 'output_location', 'production_location', 'lost_found_location']);
  const byType = async (type: string): Promise<number> => (await searchOne(rpc, context, 'stock.location', [['type', '=', type]])).id;
  return {
    company, companyParty, currency, user, warehouse: warehouse.id, context,
    locations: {
      storage: warehouse.storage_location as number,
      input: warehouse.input_location as number,
      output: warehouse.output_location as number,
      production: warehouse.production_location as number,
      supplier: await byType('supplier'),
      customer: await byType('customer'),
      lostFound: (warehouse.lost_found_location as number | null) ?? await byType('lost_found'),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Units and products

/** Tryton's own units: 'u' (Unit), 'kg', 'g', 'l', 'm', 'h', 'min', … */
export async function uomId(rpc: TrytonRpc, symbol: string): Promise<number> {
  return (await searchOne(rpc, {}, 'product.uom', [['symbol', '=', symbol]])).id;
}

export interface ProductSpec {
  readonly code: string;
  readonly name: string;
  readonly uom: number;
  /** Lot required on every move (stock_lot's `lot_required`); expiration dates shown on its lots. */
  readonly lot?: boolean;
  readonly producible?: boolean;
  readonly purchasable?: boolean;
  readonly costPrice?: string;
}

const LOT_REQUIRED_EVERYWHERE = ['supplier', 'customer', 'lost_found', 'storage', 'production'];

/** A `product.template` with its one `product.product` (type goods); returns the product id. */
export async function createProduct(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: ProductSpec): Promise<number> {
  const purchasable = spec.purchasable ?? true;
  const template = await create(rpc, ctx.context, 'product.template', {
    code: spec.code, name: spec.name, type: 'goods', default_uom: spec.uom,
    producible: spec.producible ?? true,
    purchasable, ...(purchasable && { purchase_uom: spec.uom }),
    // list_price and cost_price are per company (MultiValue): the company context picks it.
    list_price: new TrytonDecimal('0'),
    lot_required: spec.lot === true ? LOT_REQUIRED_EVERYWHERE : [],
    ...(spec.lot === true && { expiration_state: 'optional', shelf_life_state: 'optional' }),
    products: [['create', [{ cost_price: new TrytonDecimal(spec.costPrice ?? '0') }]]],
  });
  return (await searchOne(rpc, ctx.context, 'product.product', [['template', '=', template]])).id;
}

// ---------------------------------------------------------------------------------------------
// Work centers, routings, BOMs

export async function createWorkCenterCategory(rpc: TrytonRpc, spec: { readonly name: string }): Promise<number> {
  return create(rpc, {}, 'production.work.center.category', { name: spec.name });
}

/**
 * A node of the `production.work.center` tree. A production names a parent (a line) and
 * `wait` picks, for each operation with a category, a random child of that category.
 */
export async function createWorkCenter(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: {
  readonly name: string; readonly category?: number; readonly parent?: number;
}): Promise<number> {
  return create(rpc, ctx.context, 'production.work.center', {
    name: spec.name, company: ctx.company, warehouse: ctx.warehouse,
    ...(spec.category !== undefined && { category: spec.category }),
    ...(spec.parent !== undefined && { parent: spec.parent }),
  });
}

export async function createRoutingOperation(rpc: TrytonRpc, spec: { readonly name: string; readonly category?: number }): Promise<number> {
  return create(rpc, {}, 'production.routing.operation', {
    name: spec.name, ...(spec.category !== undefined && { work_center_category: spec.category }),
  });
}

/** Steps in the given order (sequence 10, 20, …); `boms` are the BOMs it may be used with. */
export async function createRouting(rpc: TrytonRpc, spec: {
  readonly name: string; readonly steps: readonly number[]; readonly boms?: readonly number[];
}): Promise<number> {
  return create(rpc, {}, 'production.routing', {
    name: spec.name,
    steps: [['create', spec.steps.map((operation, i) => ({ operation, sequence: (i + 1) * 10 }))]],
    boms: [['add', spec.boms ?? []]],
  });
}

export interface BomLine { readonly product: number; readonly quantity: number; readonly uom: number }

/** A BOM, also listed on its output product's BOMs (as the product form does). */
export async function createBom(rpc: TrytonRpc, spec: { readonly name: string; readonly output: BomLine; readonly inputs: readonly BomLine[] }): Promise<number> {
  const line = (l: BomLine) => ({ product: l.product, quantity: l.quantity, uom: l.uom });
  const bom = await create(rpc, {}, 'production.bom', {
    name: spec.name, inputs: [['create', spec.inputs.map(line)]], outputs: [['create', [line(spec.output)]]],
  });
  await create(rpc, {}, 'product.product-production.bom', { product: spec.output.product, bom });
  return bom;
}

// ---------------------------------------------------------------------------------------------
// Productions

export interface ProductionSpec {
  readonly product: number;
  readonly quantity: number;
  readonly uom: number;
  readonly bom?: number;
  readonly routing?: number;
  /** Required with a routing: the parent whose children `wait` picks per operation category. */
  readonly workCenter?: number;
  readonly plannedDate: string;
  readonly plannedStartDate?: string;
  readonly reference?: string;
  /** Lots to put on the input moves, by input product (needed for lot-required products before `run`). */
  readonly inputLots?: Readonly<Record<number, number>>;
  /** Lot of the output move (needed for a lot-required product before `done`). */
  readonly outputLot?: number;
}

const MOVE_FIELDS = ['product', 'uom', 'quantity', 'from_location', 'to_location', 'company', 'currency', 'unit_price'] as const;

/** The stored fields of a move Tryton computed, prices re-encoded as decimals. */
function moveValues(computed: Readonly<Record<string, unknown>>, lot: number | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of MOVE_FIELDS) {
    const value = computed[field];
    if (value === undefined || value === null) continue;
    values[field] = field === 'unit_price' ? new TrytonDecimal(value as number) : value;
  }
  if (lot !== undefined) values.lot = lot;
  return values;
}

type MoveChanges = { readonly add?: readonly (readonly [number, Record<string, unknown>])[] } | undefined;

/**
 * A draft production with its stock moves. Creating a production over RPC does not explode its
 * BOM: the client does it with `on_change` (`explode_bom`: picking location → production
 * location for inputs, production → output location for outputs, quantities scaled and
 * rounded in each line's unit) and saves the moves with the production. This does the same.
 * Without a BOM it is `set_moves`'s single output move. `create` then sets the moves' planned
 * dates (inputs at the start date, outputs at the planned date).
 */
export async function createProduction(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: ProductionSpec): Promise<number> {
  const header: Record<string, unknown> = {
    company: ctx.company, warehouse: ctx.warehouse, location: ctx.locations.production,
    product: spec.product, quantity: spec.quantity, uom: spec.uom,
    ...(spec.bom !== undefined && { bom: spec.bom }),
    ...(spec.routing !== undefined && { routing: spec.routing }),
    ...(spec.workCenter !== undefined && { work_center: spec.workCenter }),
    ...(spec.reference !== undefined && { reference: spec.reference }),
  };
  let inputs: Record<string, unknown>[] = [];
  let outputs: Record<string, unknown>[];
  if (spec.bom !== undefined) {
    const [changes] = await call<Record<string, MoveChanges>[]>(rpc, 'production', 'on_change',
      [{ ...header, inputs: [], outputs: [] }, ['bom']], ctx.context);
    const added = (field: string) => (changes?.[field]?.add ?? []).map(([, values]) => values);
    inputs = added('inputs').map((m) => moveValues(m, spec.inputLots?.[m.product as number]));
    outputs = added('outputs').map((m) => moveValues(m, m.product === spec.product ? spec.outputLot : undefined));
  } else {
    outputs = [moveValues({
      product: spec.product, uom: spec.uom, quantity: spec.quantity, company: ctx.company, currency: ctx.currency,
      from_location: ctx.locations.production, to_location: ctx.locations.storage, unit_price: 0,
    }, spec.outputLot)];
  }
  return create(rpc, ctx.context, 'production', {
    ...header,
    planned_date: date(spec.plannedDate),
    planned_start_date: date(spec.plannedStartDate ?? spec.plannedDate),
    inputs: [['create', inputs]],
    outputs: [['create', outputs]],
  });
}

/** draft → waiting; creates the `production.work` records from the routing (draft productions only). */
export async function waitProduction(rpc: TrytonRpc, ctx: TrytonPlantContext, ids: readonly number[]): Promise<void> {
  await transition(rpc, ctx, 'production', 'wait', ids, 'waiting');
}

/** waiting → assigned when the inputs are on hand (`assign_try`); `force` assigns regardless. */
export async function assignProduction(rpc: TrytonRpc, ctx: TrytonPlantContext, ids: readonly number[], options: { readonly force?: boolean } = {}): Promise<boolean> {
  if (options.force === true) {
    await transition(rpc, ctx, 'production', 'assign_force', ids, 'assigned');
    return true;
  }
  return call<boolean>(rpc, 'production', 'assign_try', [ids], ctx.context);
}

/** assigned → running: the input moves are done (consumed). */
export async function runProduction(rpc: TrytonRpc, ctx: TrytonPlantContext, ids: readonly number[]): Promise<void> {
  await transition(rpc, ctx, 'production', 'run', ids, 'running');
}

/** running → done: the outputs are done; every work must be finished first. */
export async function doneProduction(rpc: TrytonRpc, ctx: TrytonPlantContext, ids: readonly number[]): Promise<void> {
  await transition(rpc, ctx, 'production', 'done', ids, 'done');
}

/** From request, draft, waiting or assigned; deletes works not yet started. */
export async function cancelProduction(rpc: TrytonRpc, ctx: TrytonPlantContext, ids: readonly number[]): Promise<void> {
  await transition(rpc, ctx, 'production', 'cancel', ids, 'cancelled');
}

/**
 * From request, waiting or cancelled back to draft: works not yet started are deleted, and so
 * are cancelled moves, so a production drafted after a cancel has no moves left (the client's
 * "Reset BOM" explodes it again).
 */
export async function draftProduction(rpc: TrytonRpc, ctx: TrytonPlantContext, ids: readonly number[]): Promise<void> {
  await transition(rpc, ctx, 'production', 'draft', ids, 'draft');
}

export interface ProductionWork {
  readonly id: number;
  readonly operation: number;
  readonly workCenter: number | null;
  readonly sequence: number;
  /** request (production waiting), draft, waiting, running, finished or done. */
  readonly state: string;
}

export async function productionWorks(rpc: TrytonRpc, ctx: TrytonPlantContext, production: number): Promise<ProductionWork[]> {
  const rows = await searchRead(rpc, ctx.context, 'production.work', [['production', '=', production]],
    ['operation', 'work_center', 'sequence', 'state']);
  return rows
    .map((row) => ({ id: row.id, operation: row.operation as number, workCenter: row.work_center as number | null, sequence: row.sequence as number, state: row.state as string }))
    .sort((a, b) => a.sequence - b.sequence || a.id - b.id);
}

/** The work's `start` button: a running cycle, the work is 'running'. */
export async function startWork(rpc: TrytonRpc, ctx: TrytonPlantContext, work: number): Promise<void> {
  await transition(rpc, ctx, 'production.work', 'start', [work], 'running');
}

/** The work's `stop` button: its running cycles are done (duration = since start), the work 'finished'. */
export async function stopWork(rpc: TrytonRpc, ctx: TrytonPlantContext, work: number): Promise<void> {
  await transition(rpc, ctx, 'production.work', 'stop', [work], 'finished');
}

// ---------------------------------------------------------------------------------------------
// Lots and stock

export async function createLot(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: {
  readonly product: number; readonly number: string; readonly expirationDate?: string; readonly shelfLifeExpirationDate?: string;
}): Promise<number> {
  return create(rpc, ctx.context, 'stock.lot', {
    product: spec.product, number: spec.number,
    ...(spec.expirationDate !== undefined && { expiration_date: date(spec.expirationDate) }),
    // Past this date the lot leaves the forecast quantities (stock_lot_sled).
    ...(spec.shelfLifeExpirationDate !== undefined && { shelf_life_expiration_date: date(spec.shelfLifeExpirationDate) }),
  });
}

export interface ReceiveSpec {
  readonly product: number;
  readonly lot?: number;
  readonly quantity: number;
  readonly uom: number;
  /** Initial stock comes from lost-and-found (default); from the supplier it needs a unit price. */
  readonly from?: 'lost_found' | 'supplier';
  readonly unitPrice?: string;
}

/** Quantity on hand in the warehouse storage: a move into it, done today. Returns the move. */
export async function receiveStock(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: ReceiveSpec): Promise<number> {
  const fromSupplier = spec.from === 'supplier';
  const move = await create(rpc, ctx.context, 'stock.move', {
    product: spec.product, uom: spec.uom, quantity: spec.quantity, company: ctx.company,
    from_location: fromSupplier ? ctx.locations.supplier : ctx.locations.lostFound,
    to_location: ctx.locations.storage,
    ...(spec.lot !== undefined && { lot: spec.lot }),
    // supplier → storage is valued: Tryton requires a unit price and its currency.
    ...(fromSupplier && { unit_price: new TrytonDecimal(spec.unitPrice ?? '0'), currency: ctx.currency }),
  });
  // A supplier move without a purchase as origin makes Tryton warn ("have no origin").
  await transition(rpc, ctx, 'stock.move', 'do', [move], 'done', { confirmWarnings: fromSupplier });
  return move;
}

/**
 * Sets the on-hand quantity of a product (or one of its lots) in the storage location to
 * `quantity` (in the product's unit), as a stock count does: a `stock.inventory` whose
 * confirmation books the difference to or from lost-and-found. Returns the inventory.
 */
export async function adjustStock(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: {
  readonly product: number; readonly lot?: number; readonly quantity: number;
}): Promise<number> {
  const inventory = await create(rpc, ctx.context, 'stock.inventory', {
    location: ctx.locations.storage, company: ctx.company,
    lines: [['create', [{ product: spec.product, quantity: spec.quantity, ...(spec.lot !== undefined && { lot: spec.lot }) }]]],
  });
  await transition(rpc, ctx, 'stock.inventory', 'confirm', [inventory], 'done');
  return inventory;
}

export interface StockQuantity { readonly quantity: number; readonly forecastQuantity: number }

/**
 * `stock.lot` quantities in the product's unit over `locations` and their children (default:
 * the storage location): `quantity` counts done moves up to today, `forecastQuantity` also the
 * planned ones up to `date` (default: no end). stock_lot_sled leaves out of the forecast every
 * lot whose shelf life ends before that date, so without `date` a lot with a shelf-life date
 * forecasts 0.
 */
export async function lotQuantities(rpc: TrytonRpc, ctx: TrytonPlantContext, lots: readonly number[], options: {
  readonly locations?: readonly number[]; readonly date?: string;
} = {}): Promise<Map<number, StockQuantity>> {
  const context = {
    ...ctx.context, locations: options.locations ?? [ctx.locations.storage], with_childs: true,
    ...(options.date !== undefined && { stock_date_end: date(options.date) }),
  };
  const rows = await read(rpc, context, 'stock.lot', lots, ['quantity', 'forecast_quantity']);
  return new Map(rows.map((row) => [row.id, { quantity: row.quantity as number, forecastQuantity: row.forecast_quantity as number }]));
}

// ---------------------------------------------------------------------------------------------
// Purchases

/**
 * A supplier party with one (empty) address, as the client's party form starts with: a purchase
 * needs it as its invoice address even when it is never invoiced. Over RPC `create` gives none.
 */
export async function createSupplier(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: { readonly name: string }): Promise<number> {
  return create(rpc, ctx.context, 'party.party', { name: spec.name, addresses: [['create', [{}]]] });
}

export interface PurchaseLineSpec {
  readonly product: number;
  readonly quantity: number;
  readonly uom: number;
  readonly unitPrice: string;
  /** Must not be before Tryton's today: Tryton drops a past delivery date (the move gets none). */
  readonly deliveryDate: string;
}

/**
 * A draft purchase to the warehouse. Invoice method 'manual': the plant does not invoice in
 * Tryton, so no account chart, journal or fiscal year is needed (the other methods create
 * invoices on processing, which need expense and payable accounts).
 */
export async function createPurchase(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: {
  readonly supplier: number; readonly lines: readonly PurchaseLineSpec[]; readonly reference?: string;
}): Promise<number> {
  const { addresses } = await readOne(rpc, ctx.context, 'party.party', spec.supplier, ['addresses']);
  const address = (addresses as number[])[0];
  if (address === undefined) throw new Error(`party ${spec.supplier} has no address to invoice to`);
  return create(rpc, ctx.context, 'purchase.purchase', {
    company: ctx.company, party: spec.supplier, invoice_address: address, warehouse: ctx.warehouse,
    currency: ctx.currency, invoice_method: 'manual',
    ...(spec.reference !== undefined && { reference: spec.reference }),
    lines: [['create', spec.lines.map((line, i) => ({
      sequence: (i + 1) * 10, type: 'line', product: line.product, quantity: line.quantity, unit: line.uom,
      unit_price: new TrytonDecimal(line.unitPrice),
      // The line's own delivery date, as the client's "Edit Delivery Date" box.
      delivery_date_edit: true, delivery_date_store: date(line.deliveryDate),
    }))]],
  });
}

/**
 * quote → confirm → processing. `confirm` queues `process` (ir.queue); a trytond without queue
 * workers (like the test server) runs it right after the commit, before answering, otherwise a
 * worker does later: `process` is called here when the purchase is still 'confirmed'.
 * Processing creates one incoming move per line, supplier → warehouse input, planned on the
 * line's delivery date. Returns those moves in line order.
 */
export async function processPurchase(rpc: TrytonRpc, ctx: TrytonPlantContext, purchase: number): Promise<number[]> {
  await transition(rpc, ctx, 'purchase.purchase', 'quote', [purchase], 'quotation');
  await call(rpc, 'purchase.purchase', 'confirm', [[purchase]], ctx.context);
  const { state } = await readOne(rpc, ctx.context, 'purchase.purchase', purchase, ['state']);
  if (state === 'confirmed') await transition(rpc, ctx, 'purchase.purchase', 'process', [purchase], 'processing');
  else if (state !== 'processing') throw new Error(`purchase ${purchase} is ${String(state)} after confirm`);
  const lines = await searchRead(rpc, ctx.context, 'purchase.line', [['purchase', '=', purchase]], ['sequence', 'moves']);
  return lines.sort((a, b) => (a.sequence as number) - (b.sequence as number) || a.id - b.id).flatMap((line) => line.moves as number[]);
}

/**
 * Changes when an incoming move is expected. In Tryton 6.0 the purchase line's delivery date
 * is read-only once processing, and shows the earliest planned date of its moves; the user
 * edits the move's planned date, as long as the move is in no supplier shipment. Once in a
 * shipment the move's date is read-only and follows the shipment's planned date (Tryton pushes
 * only later dates to the moves), so this writes the shipment then.
 */
export async function moveDeliveryDate(rpc: TrytonRpc, ctx: TrytonPlantContext, move: number, plannedDate: string): Promise<void> {
  const { shipment: reference } = await readOne(rpc, ctx.context, 'stock.move', move, ['shipment']);
  const shipment = shipmentIn(reference);
  if (shipment !== null) {
    await call(rpc, 'stock.shipment.in', 'write', [[shipment], { planned_date: date(plannedDate) }], ctx.context);
  } else {
    await call(rpc, 'stock.move', 'write', [[move], { planned_date: date(plannedDate) }], ctx.context);
  }
}

/** The supplier shipment announcing incoming moves (draft), as the warehouse records a delivery notice. */
export async function createSupplierShipment(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: { readonly moves: readonly number[]; readonly plannedDate?: string }): Promise<number> {
  const [first] = await read(rpc, ctx.context, 'stock.move', spec.moves.slice(0, 1), ['purchase']);
  if (first === undefined) throw new Error('a supplier shipment needs at least one move');
  const { party } = await readOne(rpc, ctx.context, 'purchase.purchase', first.purchase as number, ['party']);
  return create(rpc, ctx.context, 'stock.shipment.in', {
    company: ctx.company, supplier: party, warehouse: ctx.warehouse, incoming_moves: [['add', spec.moves]],
    // Tryton's default is today; it moves the moves' planned dates only to later ones.
    ...(spec.plannedDate !== undefined && { planned_date: date(spec.plannedDate) }),
  });
}

/**
 * Receives an incoming purchase move as the warehouse does, in its supplier shipment (one is
 * created when the move has none): `receive` (the move is done into the input zone; inventory
 * moves input → storage are created, with the move's lot) and `done` (stock in storage). A
 * lot-required product needs `lot`. Returns the shipment.
 */
export async function receivePurchaseMove(rpc: TrytonRpc, ctx: TrytonPlantContext, spec: { readonly move: number; readonly lot?: number }): Promise<number> {
  if (spec.lot !== undefined) await call(rpc, 'stock.move', 'write', [[spec.move], { lot: spec.lot }], ctx.context);
  const { shipment: current } = await readOne(rpc, ctx.context, 'stock.move', spec.move, ['shipment']);
  const shipment = shipmentIn(current) ?? await createSupplierShipment(rpc, ctx, { moves: [spec.move] });
  await transition(rpc, ctx, 'stock.shipment.in', 'receive', [shipment], 'received');
  await transition(rpc, ctx, 'stock.shipment.in', 'done', [shipment], 'done');
  return shipment;
}

/** A move's `shipment` is a reference, `'stock.shipment.in,7'`. */
function shipmentIn(reference: unknown): number | null {
  return typeof reference === 'string' && reference.startsWith('stock.shipment.in,') ? Number(reference.split(',')[1]) : null;
}
