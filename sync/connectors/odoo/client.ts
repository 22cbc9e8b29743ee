/**
 * The ORM methods the connector uses, over either API (chosen by configuration). Every call
 * carries `allowed_company_ids: [companyId]` in its context, so Odoo's multi-company record
 * rules see only the plant's company even when the integration user may see several; the
 * domains also name the company, so no record of another company is read or written.
 */
import type { ResolvedOdooConfig } from './config.ts';
import type { OdooAnswer } from './failure.ts';
import { json2Transport } from './json2.ts';
import { jsonRpcTransport } from './jsonrpc.ts';
import type { OdooTransport } from './transport.ts';
import type { OdooRecord } from './values.ts';

export type Domain = readonly unknown[];
export type Context = Readonly<Record<string, unknown>>;

export interface SearchOptions {
  readonly limit?: number;
  readonly order?: string;
  readonly context?: Context;
}

export interface OdooClient {
  /** HTTP requests sent so far. */
  readonly requests: number;
  searchRead(model: string, domain: Domain, fields: readonly string[], options?: SearchOptions): Promise<OdooAnswer<readonly OdooRecord[]>>;
  search(model: string, domain: Domain, options?: SearchOptions): Promise<OdooAnswer<readonly number[]>>;
  read(model: string, ids: readonly number[], fields: readonly string[], context?: Context): Promise<OdooAnswer<readonly OdooRecord[]>>;
  write(model: string, ids: readonly number[], vals: Readonly<Record<string, unknown>>, context?: Context): Promise<OdooAnswer<boolean>>;
  /** Which of `fields` the model has (a module such as product_expiry adds fields). */
  fieldsGet(model: string, fields: readonly string[]): Promise<OdooAnswer<Readonly<Record<string, unknown>>>>;
}

export function createOdooClient(config: ResolvedOdooConfig, transport: OdooTransport = defaultTransport(config)): OdooClient {
  const scope = (extra: Context = {}): Context => ({ allowed_company_ids: [config.companyId], ...extra });
  const pageOptions = (options: SearchOptions) => ({
    ...(options.limit !== undefined && { limit: options.limit }),
    ...(options.order !== undefined && { order: options.order }),
  });
  return {
    get requests() { return transport.requests; },
    searchRead(model, domain, fields, options = {}) {
      return transport.call({ model, method: 'search_read', ids: null, params: { domain, fields, ...pageOptions(options) }, context: scope(options.context) });
    },
    search(model, domain, options = {}) {
      return transport.call({ model, method: 'search', ids: null, params: { domain, ...pageOptions(options) }, context: scope(options.context) });
    },
    read(model, ids, fields, context) {
      return transport.call({ model, method: 'read', ids, params: { fields }, context: scope(context) });
    },
    write(model, ids, vals, context) {
      return transport.call({ model, method: 'write', ids, params: { vals }, context: scope(context) });
    },
    fieldsGet(model, fields) {
      return transport.call({ model, method: 'fields_get', ids: null, params: { allfields: fields, attributes: ['type'] }, context: scope() });
    },
  };
}

function defaultTransport(config: ResolvedOdooConfig): OdooTransport {
  return config.api === 'json2' ? json2Transport(config) : jsonRpcTransport(config);
}
