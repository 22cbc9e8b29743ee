/**
 * The one place that reads the environment (with `erp-config.ts` for ERP connections).
 * Everything else receives a `Config`.
 */
import { isIP } from 'node:net';
import type { RateLimits } from '../api/rate-limit.ts';
import type { ConnectorConfig } from '../sync/connectors/create-connector.ts';
import { DEFAULT_DATE_WINDOW, type DateWindow } from '../sync/ingest/plausible-dates.ts';
import { ConfigError } from './config-error.ts';
import { nonEmpty } from './env-value.ts';
import { readErpConnections } from './erp-config.ts';


export interface Config {
  readonly host: string;
  readonly port: number;
  /** PostgreSQL when set; PGlite in `dataDir` otherwise. */
  readonly databaseUrl: string | undefined;
  /** BullMQ on Redis when set; the in-process queue otherwise. */
  readonly redisUrl: string | undefined;
  readonly dataDir: string;
  /** The generic write-back's URL (canonical JSON POSTed), for plants without an ERP connector. */
  readonly erpWritebackUrl: string | undefined;
  /** The generic write-back's quota: calls per second and at once, for all workers (0: none). */
  readonly erpWritebackQuota: { readonly callsPerSecond: number; readonly concurrency: number };
  /** BullMQ key prefix (one per deployment sharing a Redis); default `takt`. */
  readonly queuePrefix: string | undefined;
  /** Extra headers for the generic write-back (e.g. an API token), `Name: value; Name2: value2`. */
  readonly erpWritebackHeaders: Readonly<Record<string, string>>;
  /** Admin key to create on first start (otherwise one is generated and printed). */
  readonly bootstrapAdminKey: string | undefined;
  /** Load the demo plant into an empty database on start. */
  readonly loadDemo: boolean;
  /** Change feeds to poll, per source: `erp=https://erp/feed,wms=https://wms/feed`. */
  readonly feeds: Readonly<Record<string, string>>;
  /** HMAC secrets per source for signed webhooks, `erp=secret,wms=secret`. */
  readonly webhookSecrets: Readonly<Record<string, string>>;
  readonly logLevel: string;
  /** Solver budget of a reschedule (event-driven or requested without one), in ms. */
  readonly timeLimitMs: number;
  /** Worker threads that run the solver off the HTTP event loop (0: on it); several search each plan run together. */
  readonly solverThreads: number;
  /** Threads of their own for what-ifs, so a what-if never delays a plan run (0: what-ifs share the plan threads). */
  readonly whatIfThreads: number;
  /** How long write-backs wait for an ERP that does not answer before they are dead letters. */
  readonly writebackWindowMs: number;
  /** The longest wait between two deliveries of one write-back. */
  readonly writebackMaxDelayMs: number;
  /** ERP connections (TAKT_ERP… or TAKT_ERP_CONNECTIONS). */
  readonly erpConnections: readonly ConnectorConfig[];
  /** Inbound rate limits per API process (TAKT_RATE_LIMIT, TAKT_AUTH_FAILURE_LIMIT; 0: off). */
  readonly rateLimits: RateLimits;
  /** Proxies whose X-Forwarded-For gives the client address (TAKT_TRUST_PROXY); empty: none. */
  readonly trustProxy: readonly string[];
  /** How long a client may take to send a whole request (TAKT_REQUEST_TIMEOUT_S). */
  readonly requestTimeoutMs: number;
  /** Which dates events may carry (TAKT_DATE_HISTORY_DAYS, TAKT_DATE_HORIZON_DAYS, TAKT_CLOCK_SKEW_S). */
  readonly dates: DateWindow;
}

/**
 * Far above a real client (an ERP pushing 1000-event batches, an MES terminal polling every
 * second is 60 a minute), low enough that a runaway loop on one key is cut to 20 requests a second.
 */
export const DEFAULT_RATE_LIMIT = 1200;
/**
 * Failed authentications per address and minute: a board or terminal left with a revoked key
 * (a few a minute) stays under it; a guesser gets 30 tries, then one every 2 s.
 */
export const DEFAULT_AUTH_FAILURE_LIMIT = 30;

export { ConfigError };

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const port = wholeNumber(env, 'PORT', 3000);
  if (port > 65535) throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const kind = env.ERP_WRITEBACK_KIND ?? 'generic';
  if (kind === 'odoo' || kind === 'sap') {
    throw new ConfigError(`ERP_WRITEBACK_KIND=${kind} is gone: connect ${kind === 'odoo' ? 'Odoo' : 'SAP'} with TAKT_ERP=${kind} (see "Connect your ERP" in the README), which reads from it as well`);
  }
  if (kind !== 'generic') throw new ConfigError(`ERP_WRITEBACK_KIND must be generic, got "${kind}"`);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['info', 'warn', 'error', 'silent', 'debug', 'trace', 'fatal'].includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be info, warn, error or silent, got "${logLevel}"`);
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    databaseUrl: nonEmpty(env.DATABASE_URL),
    redisUrl: nonEmpty(env.REDIS_URL),
    dataDir: env.TAKT_DATA_DIR ?? './.takt/data',
    erpWritebackUrl: nonEmpty(env.ERP_WRITEBACK_URL),
    erpWritebackQuota: { callsPerSecond: wholeNumber(env, 'ERP_WRITEBACK_CALLS_PER_SECOND', 0), concurrency: wholeNumber(env, 'ERP_WRITEBACK_CONCURRENCY', 0) },
    queuePrefix: nonEmpty(env.TAKT_QUEUE_PREFIX),
    erpWritebackHeaders: pairs(env.ERP_WRITEBACK_HEADERS, ';', ':'),
    bootstrapAdminKey: nonEmpty(env.TAKT_ADMIN_KEY),
    loadDemo: env.TAKT_DEMO !== '0',
    feeds: feedsOf(env.TAKT_FEEDS),
    webhookSecrets: pairs(env.TAKT_WEBHOOK_SECRETS, ',', '='),
    logLevel,
    timeLimitMs: wholeNumber(env, 'TAKT_TIME_LIMIT_MS', 2000),
    solverThreads: wholeNumber(env, 'TAKT_SOLVER_THREADS', 1),
    whatIfThreads: wholeNumber(env, 'TAKT_WHAT_IF_THREADS', 1),
    erpConnections: readErpConnections(env),
    writebackWindowMs: positiveNumber(env, 'TAKT_WRITEBACK_WINDOW_HOURS', 24) * 3_600_000,
    writebackMaxDelayMs: positiveNumber(env, 'TAKT_WRITEBACK_MAX_DELAY_S', 300) * 1_000,
    rateLimits: {
      perKeyPerMinute: wholeNumber(env, 'TAKT_RATE_LIMIT', DEFAULT_RATE_LIMIT),
      authFailuresPerMinute: wholeNumber(env, 'TAKT_AUTH_FAILURE_LIMIT', DEFAULT_AUTH_FAILURE_LIMIT),
    },
    trustProxy: trustedProxies(env.TAKT_TRUST_PROXY),
    requestTimeoutMs: positiveNumber(env, 'TAKT_REQUEST_TIMEOUT_S', 30) * 1_000,
    dates: {
      historyDays: positiveNumber(env, 'TAKT_DATE_HISTORY_DAYS', DEFAULT_DATE_WINDOW.historyDays),
      horizonDays: positiveNumber(env, 'TAKT_DATE_HORIZON_DAYS', DEFAULT_DATE_WINDOW.horizonDays),
      clockSkewMs: wholeNumber(env, 'TAKT_CLOCK_SKEW_S', DEFAULT_DATE_WINDOW.clockSkewMs / 1_000) * 1_000,
    },
  };
}

/** `10.0.0.5, 10.1.0.0/16, loopback`: addresses, CIDRs or proxy-addr's names, as fastify's trustProxy takes them. */
function trustedProxies(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
  for (const entry of entries) {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) continue;
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    const bits = version === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= bits);
    if (version === 0 || !prefixOk || rest.length > 0) {
      throw new ConfigError(`TAKT_TRUST_PROXY must list proxy addresses or CIDRs (or loopback, linklocal, uniquelocal), got "${entry}"`);
    }
  }
  return entries;
}

const SOURCES = new Set(['erp', 'wms', 'qms', 'mes']);

function feedsOf(raw: string | undefined): Record<string, string> {
  const feeds = pairs(raw, ',', '=');
  for (const source of Object.keys(feeds)) {
    if (!SOURCES.has(source)) throw new ConfigError(`TAKT_FEEDS: "${source}" is not a source (erp, wms, qms, mes)`);
  }
  return feeds;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a whole number ≥ 0, got "${raw}"`);
  return value;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a number > 0, got "${raw}"`);
  return value;
}

function pairs(raw: string | undefined, separator: string, assign: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (raw ?? '').split(separator)) {
    const at = part.indexOf(assign);
    if (at > 0) out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}
