/**
 * How takt reaches one Odoo database for one plant (one company). Everything an operator sets
 * lives here; `resolveOdooConfig` fills the defaults and says what is wrong as data, so a bad
 * configuration is reported once instead of failing every call.
 */

/** Odoo major versions this connector knows the field names of. */
export type OdooVersion = 16 | 17 | 18 | 19;

/**
 * `jsonrpc`: `POST /jsonrpc`, service `object`, `execute_kw` with login + password (or API key),
 * Odoo 16-18 (deprecated in 19, removal announced for 22).
 * `json2`: `POST /json/2/<model>/<method>` with `Authorization: bearer <api key>`, Odoo 19+.
 */
export type OdooApi = 'jsonrpc' | 'json2';

export interface OdooConnectorConfig {
  /** The connection's name: the key of its cursor and links, the prefix of its event ids. */
  readonly name: string;
  /** The takt plant this connection feeds. */
  readonly plant: string;
  /** Server root, e.g. `https://erp.example.com` (no `/odoo` or `/web` suffix). */
  readonly url: string;
  readonly database: string;
  /** Decides the field names (16: `date_planned_start`; 17/18: `date_start`; 19: UoM without categories). */
  readonly version: OdooVersion;
  /** Default: `json2` for 19 and later, `jsonrpc` before. */
  readonly api?: OdooApi;
  /** JSON-RPC login (the user the API key belongs to). */
  readonly login?: string;
  /** JSON-RPC password; an API key works here as well. */
  readonly password?: string;
  /** JSON-2 bearer key (also accepted as the JSON-RPC password when `password` is absent). */
  readonly apiKey?: string;
  /** The `res.company` id of the plant: every read and write is limited to it. */
  readonly companyId: number;
  /** Extra HTTP headers sent on every call (a proxy's API key, a routing header). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Orders whose dispatch rank is at or below this get Odoo priority `'1'` (urgent star), the
   * others `'0'`. Absent: priority is not written (Odoo's star is also read as takt's priority, so
   * writing it feeds takt's output back into its input; enable it knowingly).
   */
  readonly priorityThreshold?: number | null;
  /** takt priority (tardiness weight) of an Odoo order with priority `'1'`; default 2. */
  readonly urgentPriority?: number;
  /** takt priority of an order with priority `'0'`; default 1. */
  readonly normalPriority?: number;
  /** Timeout of one HTTP call; default 30 s. */
  readonly timeoutMs?: number;
  /** Records per model and read; default 200. */
  readonly pageSize?: number;
  /** How far before the last stamp seen a read starts again, for commits that land out of order; default 5 s. */
  readonly overlapSeconds?: number;
  /** How many days of a two-week calendar are expanded into dated exceptions; default 365 (takt's default planning horizon). */
  readonly calendarHorizonDays?: number;
  /** Whether `read` is used; default true. */
  readonly inbound?: boolean;
  /** Whether `write` is used; default true. */
  readonly outbound?: boolean;
}

/** The configuration with every default filled in. */
export interface ResolvedOdooConfig {
  readonly name: string;
  readonly plant: string;
  readonly url: string;
  readonly database: string;
  readonly version: OdooVersion;
  readonly api: OdooApi;
  readonly login: string;
  /** Password (JSON-RPC) or API key (JSON-2). */
  readonly secret: string;
  readonly companyId: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly priorityThreshold: number | null;
  readonly urgentPriority: number;
  readonly normalPriority: number;
  readonly timeoutMs: number;
  readonly pageSize: number;
  readonly overlapSeconds: number;
  readonly calendarHorizonDays: number;
  readonly inbound: boolean;
  readonly outbound: boolean;
}

export type ConfigResult = { readonly ok: true; readonly config: ResolvedOdooConfig } | { readonly ok: false; readonly problems: readonly string[] };

const VERSIONS: readonly OdooVersion[] = [16, 17, 18, 19];

export function resolveOdooConfig(config: OdooConnectorConfig): ConfigResult {
  const problems: string[] = [];
  const api: OdooApi = config.api ?? (config.version >= 19 ? 'json2' : 'jsonrpc');
  if (!VERSIONS.includes(config.version)) problems.push(`version must be one of ${VERSIONS.join(', ')}`);
  if (config.name.trim() === '') problems.push('name is empty');
  if (config.plant.trim() === '') problems.push('plant is empty');
  if (!/^https?:\/\//.test(config.url)) problems.push('url must start with http:// or https://');
  if (config.database.trim() === '') problems.push('database is empty');
  if (!Number.isInteger(config.companyId) || config.companyId < 1) problems.push('companyId must be the positive id of a res.company');
  if (api === 'json2' && config.version < 19) problems.push(`the JSON-2 API exists from Odoo 19 on (version is ${config.version})`);
  const secret = api === 'json2' ? config.apiKey ?? '' : config.password ?? config.apiKey ?? '';
  if (secret === '') problems.push(api === 'json2' ? 'apiKey is needed for the JSON-2 API' : 'password (or apiKey) is needed for JSON-RPC');
  if (api === 'jsonrpc' && (config.login ?? '') === '') problems.push('login is needed for JSON-RPC');
  const positive = (value: number | undefined, fallback: number, what: string): number => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value <= 0) problems.push(`${what} must be a positive number`);
    return value;
  };
  const resolved: ResolvedOdooConfig = {
    name: config.name,
    plant: config.plant,
    url: config.url.replace(/\/+$/, ''),
    database: config.database,
    version: config.version,
    api,
    login: config.login ?? '',
    secret,
    companyId: config.companyId,
    headers: { ...config.headers },
    priorityThreshold: config.priorityThreshold ?? null,
    urgentPriority: positive(config.urgentPriority, 2, 'urgentPriority'),
    normalPriority: positive(config.normalPriority, 1, 'normalPriority'),
    timeoutMs: positive(config.timeoutMs, 30_000, 'timeoutMs'),
    pageSize: Math.floor(positive(config.pageSize, 200, 'pageSize')),
    overlapSeconds: config.overlapSeconds === undefined ? 5 : Math.max(0, config.overlapSeconds),
    calendarHorizonDays: Math.floor(positive(config.calendarHorizonDays, 365, 'calendarHorizonDays')),
    inbound: config.inbound ?? true,
    outbound: config.outbound ?? true,
  };
  if (resolved.urgentPriority <= resolved.normalPriority) problems.push('urgentPriority must be higher than normalPriority');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: resolved };
}
