/**
 * An Odoo stand-in behind test-erp.ts: answers `/jsonrpc` (`common.login`,
 * `object.execute_kw`) and JSON-2 (`/json/2/<model>/<method>`) from in-memory records of
 * Odoo's real shapes (fixtures/*.json), evaluating domains, `order`, `limit` and `fields` as
 * the ORM does, and refusing fields a model does not have (as Odoo does), so a wrong field
 * set fails. Writes carry the side effects read in Odoo's source (addons/mrp/models of
 * 16.0/17.0/18.0), so the regression tests see what a real server would do:
 * - `mrp.production.write` with the planned start and no `force_date` in the context unplans
 *   every work order of a planned production (`button_unplan`);
 * - `mrp.workorder.write` with both planned dates recomputes the end (here: start +
 *   `duration_expected`) unless `bypass_duration_calculation`; writing the first work order's
 *   start / the last one's end moves the production's (`with_context(force_date=True)`);
 * - on 17, a work order without a slot yet gets its end recomputed whatever the context
 *   (`_set_dates`, `elif wo.date_start:` branch).
 */
import { readFileSync } from 'node:fs';
import type { RecordedRequest, Reply } from '../../writeback/test-erp.ts';

export type OdooRecord = Record<string, unknown>;
export type Fixture = Record<string, OdooRecord[]>;

export interface FakeOdooOptions {
  readonly version: 16 | 17 | 18 | 19;
  readonly fixture: Fixture;
  readonly database?: string;
  readonly login?: string;
  readonly password?: string;
  readonly apiKey?: string;
  /** Odoo's clock for write_date of writes, e.g. `2026-11-22 12:00:00`. */
  readonly now?: string;
}

export interface ParsedCall {
  readonly api: 'jsonrpc' | 'json2';
  readonly model: string;
  readonly method: string;
  readonly ids: readonly number[] | null;
  readonly params: Record<string, unknown>;
  readonly context: Record<string, unknown>;
  readonly headers: RecordedRequest['headers'];
}

export interface OdooError {
  readonly name: string;
  readonly message: string;
  /** JSON-2 status; default from the exception. */
  readonly status?: number;
}

/** An HTTP reply to send instead (a proxy, a timeout), an Odoo exception to raise, or null: answer normally. */
export type Interception = { readonly reply: Reply } | { readonly raise: OdooError };
export type Interceptor = (call: ParsedCall) => Interception | null;

const RELATIONS: Record<string, Record<string, string>> = {
  'stock.quant': { product_id: 'product.product', location_id: 'stock.location', lot_id: 'stock.lot' },
  'stock.move': { picking_type_id: 'stock.picking.type', location_dest_id: 'stock.location', product_id: 'product.product' },
  'mrp.workorder': { production_id: 'mrp.production' },
  'product.product': { product_tmpl_id: 'product.template' },
};

/** The ORM signatures, for positional arguments of execute_kw. */
const POSITIONAL: Record<string, readonly string[]> = {
  search_read: ['domain', 'fields', 'offset', 'limit', 'order'],
  search: ['domain', 'offset', 'limit', 'order'],
  read: ['fields'],
  write: ['vals'],
  fields_get: ['allfields', 'attributes'],
};

/** Methods of `@api.model` (no ids). */
const MODEL_METHODS = new Set(['search_read', 'search', 'fields_get']);

class RaisedError extends Error {
  constructor(readonly error: OdooError) { super(error.message); }
}

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Fixture;
}

export class FakeOdoo {
  readonly records = new Map<string, Map<number, OdooRecord>>();
  readonly calls: ParsedCall[] = [];
  readonly interceptors: Interceptor[] = [];
  /** Work orders unplanned by `button_unplan`, in order (what regression (1) must not see). */
  readonly unplanned: number[] = [];
  private readonly fieldsOf = new Map<string, Set<string>>();
  private clock: number;
  readonly database: string;
  readonly login: string;
  readonly password: string;
  readonly apiKey: string;

  constructor(readonly options: FakeOdooOptions) {
    this.database = options.database ?? 'prod';
    this.login = options.login ?? 'takt';
    this.password = options.password ?? 'secret';
    this.apiKey = options.apiKey ?? 'key-19';
    this.clock = Date.parse(`${(options.now ?? '2026-11-22 12:00:00').replace(' ', 'T')}Z`);
    for (const [model, list] of Object.entries(options.fixture)) {
      if (model.startsWith('$')) continue;
      this.records.set(model, new Map(list.map((r) => [r.id as number, structuredClone(r)])));
      this.fieldsOf.set(model, new Set(list.flatMap((r) => Object.keys(r))));
    }
  }

  get version(): number { return this.options.version; }

  /** The planned date fields of production and work order in this version. */
  get planned(): { start: string; end: string } {
    return this.version === 16 ? { start: 'date_planned_start', end: 'date_planned_finished' } : { start: 'date_start', end: 'date_finished' };
  }

  record(model: string, id: number): OdooRecord {
    const r = this.records.get(model)?.get(id);
    if (r === undefined) throw new Error(`fixture has no ${model} ${id}`);
    return r;
  }

  add(model: string, record: OdooRecord): void {
    this.records.get(model)!.set(record.id as number, record);
  }

  remove(model: string, id: number): void {
    this.records.get(model)!.delete(id);
  }

  /** The responder for startTestErp. */
  readonly respond = (request: RecordedRequest): Reply => {
    if (request.url === '/jsonrpc') return this.jsonRpc(request);
    const json2 = /^\/json\/2\/([^/]+)\/([^/?]+)$/.exec(request.url);
    if (json2 !== null) return this.json2(request, decodeURIComponent(json2[1]!), decodeURIComponent(json2[2]!));
    return { status: 404, body: 'not found' };
  };

  private jsonRpc(request: RecordedRequest): Reply {
    const body = JSON.parse(request.body) as { id: number; params: { service: string; method: string; args: unknown[] } };
    const { service, method, args } = body.params;
    const reply = (result: unknown): Reply => ({ status: 200, body: { jsonrpc: '2.0', id: body.id, result } });
    const error = (e: OdooError): Reply => ({
      status: 200,
      body: { jsonrpc: '2.0', id: body.id, error: { code: 200, message: 'Odoo Server Error', data: { name: e.name, debug: `Traceback (most recent call last):\n${e.name}: ${e.message}`, message: e.message, arguments: [e.message], context: {} } } },
    });
    if (service === 'common' && method === 'login') {
      const [db, login, password] = args as [string, string, string];
      return reply(db === this.database && login === this.login && password === this.password ? 7 : false);
    }
    if (service !== 'object' || method !== 'execute_kw') return error({ name: 'builtins.KeyError', message: `${service}.${method}` });
    const [db, uid, password, model, modelMethod, positional, kwargs] = args as [string, number, string, string, string, unknown[], Record<string, unknown>];
    if (db !== this.database || uid !== 7 || password !== this.password) return error({ name: 'odoo.exceptions.AccessDenied', message: 'Access Denied' });
    const { context = {}, ...named } = kwargs;
    const ids = MODEL_METHODS.has(modelMethod) ? null : (positional[0] as number[]);
    // execute_kw takes the method's parameters positionally as well (the old adapter did so).
    const rest = MODEL_METHODS.has(modelMethod) ? positional : positional.slice(1);
    const names = POSITIONAL[modelMethod] ?? [];
    const params: Record<string, unknown> = { ...Object.fromEntries(rest.map((v, i) => [names[i] ?? `arg${i}`, v])), ...named };
    const call: ParsedCall = { api: 'jsonrpc', model, method: modelMethod, ids, params, context: context as Record<string, unknown>, headers: request.headers };
    this.calls.push(call);
    const intercepted = this.intercept(call);
    if (intercepted !== null) return 'reply' in intercepted ? intercepted.reply : error(intercepted.raise);
    try {
      return reply(this.dispatch(call));
    } catch (e) {
      if (e instanceof RaisedError) return error(e.error);
      throw e;
    }
  }

  private json2(request: RecordedRequest, model: string, method: string): Reply {
    const failure = (e: OdooError): Reply => ({
      status: e.status ?? statusOf(e.name),
      body: { name: e.name, message: e.message, arguments: [e.message], context: {}, debug: `Traceback (most recent call last):\n${e.name}: ${e.message}` },
    });
    if (request.headers.authorization !== `bearer ${this.apiKey}`) {
      return failure({ name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey', status: 401 });
    }
    if (request.headers['x-odoo-database'] !== this.database) return failure({ name: 'werkzeug.exceptions.NotFound', message: 'database not found', status: 404 });
    const { ids = null, context = {}, ...params } = JSON.parse(request.body) as Record<string, unknown>;
    const call: ParsedCall = { api: 'json2', model, method, ids: ids as number[] | null, params, context: context as Record<string, unknown>, headers: request.headers };
    this.calls.push(call);
    const intercepted = this.intercept(call);
    if (intercepted !== null) return 'reply' in intercepted ? intercepted.reply : failure(intercepted.raise);
    try {
      return { status: 200, body: this.dispatch(call) as object };
    } catch (e) {
      if (e instanceof RaisedError) return failure(e.error);
      throw e;
    }
  }

  private intercept(call: ParsedCall): Interception | null {
    for (const interceptor of this.interceptors) {
      const out = interceptor(call);
      if (out !== null) return out;
    }
    return null;
  }

  private dispatch(call: ParsedCall): unknown {
    const table = this.records.get(call.model);
    if (table === undefined) throw new RaisedError({ name: 'builtins.KeyError', message: call.model, status: 404 });
    const p = call.params;
    switch (call.method) {
      case 'search_read': {
        const fields = p.fields as string[];
        this.checkFields(call.model, fields);
        return this.search(call.model, p.domain as unknown[], p.order as string | undefined, p.limit as number | undefined, call.context)
          .map((r) => project(r, fields));
      }
      case 'search':
        return this.search(call.model, p.domain as unknown[], p.order as string | undefined, p.limit as number | undefined, call.context).map((r) => r.id);
      case 'read': {
        const fields = p.fields as string[];
        this.checkFields(call.model, fields);
        return call.ids!.map((id) => {
          const r = table.get(id);
          if (r === undefined) throw new RaisedError({ name: 'odoo.exceptions.MissingError', message: 'Record does not exist or has been deleted.' });
          return project(r, fields);
        });
      }
      case 'fields_get': {
        const known = this.fieldsOf.get(call.model) ?? new Set();
        return Object.fromEntries((p.allfields as string[]).filter((f) => known.has(f)).map((f) => [f, { type: 'unknown' }]));
      }
      case 'write':
        for (const id of call.ids!) this.write(call.model, id, p.vals as OdooRecord, call.context);
        return true;
      default:
        throw new RaisedError({ name: 'builtins.AttributeError', message: `no method ${call.method}`, status: 404 });
    }
  }

  private checkFields(model: string, fields: readonly string[]): void {
    const known = this.fieldsOf.get(model);
    if (known === undefined || known.size === 0) return;
    const bad = fields.filter((f) => f !== 'id' && !known.has(f));
    if (bad.length > 0) throw new RaisedError({ name: 'builtins.ValueError', message: `Invalid field ${JSON.stringify(bad[0])} on model ${JSON.stringify(model)}`, status: 500 });
  }

  search(model: string, domain: readonly unknown[], order: string | undefined, limit: number | undefined, context: Record<string, unknown>): OdooRecord[] {
    const rows = [...this.records.get(model)!.values()]
      .filter((r) => context.active_test === false || r.active !== false)
      .filter((r) => this.matches(model, r, domain));
    rows.sort(comparator(order ?? 'id'));
    return limit === undefined ? rows : rows.slice(0, limit);
  }

  /** Odoo's Polish-notation domains: '&' (implicit), '|', '!' and [path, operator, value] leaves. */
  matches(model: string, record: OdooRecord, domain: readonly unknown[]): boolean {
    const stack: boolean[] = [];
    for (let i = domain.length - 1; i >= 0; i--) {
      const token = domain[i];
      if (token === '&' || token === '|') {
        const a = stack.pop()!;
        const b = stack.pop()!;
        stack.push(token === '&' ? a && b : a || b);
      } else if (token === '!') {
        stack.push(!stack.pop()!);
      } else {
        stack.push(this.leaf(model, record, token as [string, string, unknown]));
      }
    }
    return stack.every(Boolean);
  }

  private leaf(model: string, record: OdooRecord, [path, op, value]: [string, string, unknown]): boolean {
    const [field, ...rest] = path.split('.');
    let current: unknown = field === 'id' ? record.id : record[field!];
    let currentModel = model;
    let fieldName = field!;
    for (const next of rest) {
      const target = RELATIONS[currentModel]?.[fieldName];
      const id = Array.isArray(current) ? current[0] : null;
      const related = target === undefined || id === null ? undefined : this.records.get(target)?.get(id as number);
      current = related === undefined ? false : related[next];
      currentModel = target ?? '';
      fieldName = next;
    }
    const v = Array.isArray(current) && current.length === 2 && typeof current[0] === 'number' && typeof current[1] === 'string' ? current[0] : current;
    switch (op) {
      case '=': return v === value;
      case '!=': return v !== value;
      case '>': return v !== false && (v as string) > (value as string);
      case '>=': return v !== false && (v as string) >= (value as string);
      case '<': return v !== false && (v as string) < (value as string);
      case '<=': return v !== false && (v as string) <= (value as string);
      case 'in': return Array.isArray(v) ? v.some((x) => (value as unknown[]).includes(x)) : (value as unknown[]).includes(v);
      case 'not in': return !(value as unknown[]).includes(v);
      default: throw new RaisedError({ name: 'builtins.ValueError', message: `operator ${op}` });
    }
  }

  private stamp(): string {
    const at = new Date(this.clock).toISOString().slice(0, 19).replace('T', ' ');
    this.clock += 1000;
    return at;
  }

  private workordersOf(production: number): OdooRecord[] {
    return this.search('mrp.workorder', [['production_id', '=', production]], this.version === 16 ? 'id' : 'sequence, id', undefined, {});
  }

  private write(model: string, id: number, vals: OdooRecord, context: Record<string, unknown>): void {
    const record = this.records.get(model)!.get(id);
    if (record === undefined) throw new RaisedError({ name: 'odoo.exceptions.MissingError', message: 'Record does not exist or has been deleted.' });
    this.checkFields(model, Object.keys(vals));
    const { start, end } = this.planned;
    const values = { ...vals };
    if (model === 'mrp.workorder') {
      const hadSlot = Boolean(record[start]) && Boolean(record[end]);
      if ((start in values || end in values) && !('duration_expected' in values) && !context.bypass_duration_calculation && values[start] && values[end]) {
        values[end] = plusMinutes(values[start] as string, record.duration_expected as number);
      }
      const from = (values[start] ?? record[start]) as string | false;
      const to = (values[end] ?? record[end]) as string | false;
      if (from && to && from > to) throw new RaisedError({ name: 'odoo.exceptions.UserError', message: 'The planned end date of the work order cannot be prior to the planned start date' });
      const production = (record.production_id as [number, string])[0];
      const siblings = this.workordersOf(production);
      if (siblings[0]?.id === id && values[start]) this.write('mrp.production', production, { [start]: values[start] }, { force_date: true });
      if (siblings[siblings.length - 1]?.id === id && values[end]) this.write('mrp.production', production, { [end]: values[end] }, { force_date: true });
      Object.assign(record, values);
      if (this.version === 17 && !hadSlot && values[start]) record[end] = plusMinutes(values[start] as string, record.duration_expected as number);
    } else if (model === 'mrp.production') {
      Object.assign(record, values);
      if (start in values && !context.force_date) {
        if (record.state === 'done' || record.state === 'cancel') throw new RaisedError({ name: 'odoo.exceptions.UserError', message: 'You cannot move a manufacturing order once it is cancelled or done.' });
        const workorders = this.workordersOf(id);
        if (workorders.some((wo) => wo[start] && wo[end])) {
          for (const wo of workorders) {
            wo[start] = false;
            wo[end] = false;
            this.unplanned.push(wo.id as number);
          }
        }
      }
    } else {
      Object.assign(record, values);
    }
    record.write_date = this.stamp();
  }
}

function statusOf(name: string): number {
  if (/(UserError|ValidationError|RedirectWarning)$/.test(name)) return 422;
  if (/AccessError$/.test(name)) return 403;
  if (/MissingError$/.test(name)) return 404;
  return 500;
}

function project(record: OdooRecord, fields: readonly string[]): OdooRecord {
  return { id: record.id, ...Object.fromEntries(fields.filter((f) => f !== 'id').map((f) => [f, record[f] ?? false])) };
}

function comparator(order: string): (a: OdooRecord, b: OdooRecord) => number {
  const keys = order.split(',').map((part) => {
    const [field, direction] = part.trim().split(/\s+/);
    return { field: field!, sign: direction?.toLowerCase() === 'desc' ? -1 : 1 };
  });
  const value = (r: OdooRecord, f: string): string | number => {
    const v = r[f];
    if (Array.isArray(v)) return v[0] as number;
    if (v === false || v === undefined || v === null) return '';
    return v as string | number;
  };
  return (a, b) => {
    for (const { field, sign } of keys) {
      const x = value(a, field);
      const y = value(b, field);
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return 0;
  };
}

function plusMinutes(odoo: string, minutes: number): string {
  return new Date(Date.parse(`${odoo.replace(' ', 'T')}Z`) + minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}
