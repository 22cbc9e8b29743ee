/**
 * ERP connections from the environment (read by `readConfig`, nowhere else). One connection:
 * `TAKT_ERP=tryton|odoo|sap` with `TAKT_ERP_PLANT`, `TAKT_ERP_URL`, `TAKT_ERP_DATABASE`,
 * `TAKT_ERP_USER`, `TAKT_ERP_PASSWORD`, `TAKT_ERP_COMPANY`, `TAKT_ERP_WAREHOUSE`,
 * `TAKT_ERP_POLL_MS` and `TAKT_ERP_OPTIONS` (a JSON object of the connector's other settings).
 * Several: `TAKT_ERP_CONNECTIONS=FILE`, a JSON array of such objects (`kind`, `plant`, `url`, …)
 * whose secrets name environment variables (`passwordEnv`, `apiKeyEnv`), never the secret itself.
 */
import { readFileSync } from 'node:fs';
import type { ConnectorConfig } from '../sync/connectors/create-connector.ts';
import { resolveOdooConfig, type OdooConnectorConfig } from '../sync/connectors/odoo/config.ts';
import { ConfigError } from './config-error.ts';
import { nonEmpty } from './env-value.ts';

const KINDS = new Set(['tryton', 'odoo', 'sap']);

type Raw = Record<string, unknown>;

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${where} is not JSON: ${(error as Error).message}`);
  }
}

/** The single connection of the `TAKT_ERP*` variables, as a raw connection object. */
function fromVariables(env: NodeJS.ProcessEnv): Raw | null {
  const kind = nonEmpty(env.TAKT_ERP);
  if (kind === undefined) return null;
  const options = nonEmpty(env.TAKT_ERP_OPTIONS);
  const extra = options === undefined ? {} : parseJson(options, 'TAKT_ERP_OPTIONS');
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) throw new ConfigError('TAKT_ERP_OPTIONS must be a JSON object');
  const value = (name: string) => nonEmpty(env[name]);
  return {
    ...(extra as Raw),
    kind,
    ...(value('TAKT_ERP_NAME') !== undefined && { name: value('TAKT_ERP_NAME') }),
    plant: value('TAKT_ERP_PLANT'),
    url: value('TAKT_ERP_URL'),
    ...(value('TAKT_ERP_DATABASE') !== undefined && { database: value('TAKT_ERP_DATABASE') }),
    ...(value('TAKT_ERP_USER') !== undefined && { username: value('TAKT_ERP_USER') }),
    ...(env.TAKT_ERP_PASSWORD !== undefined && { password: env.TAKT_ERP_PASSWORD }),
    ...(value('TAKT_ERP_COMPANY') !== undefined && { company: value('TAKT_ERP_COMPANY') }),
    ...(value('TAKT_ERP_WAREHOUSE') !== undefined && { warehouse: value('TAKT_ERP_WAREHOUSE') }),
    ...(value('TAKT_ERP_POLL_MS') !== undefined && { pollIntervalMs: Number(value('TAKT_ERP_POLL_MS')) }),
    ...(value('TAKT_ERP_CALLS_PER_SECOND') !== undefined && { callsPerSecond: Number(value('TAKT_ERP_CALLS_PER_SECOND')) }),
    ...(value('TAKT_ERP_CONCURRENCY') !== undefined && { concurrency: Number(value('TAKT_ERP_CONCURRENCY')) }),
  };
}

/** Secrets named by `<field>Env` are read from the environment. */
function withSecrets(raw: Raw, env: NodeJS.ProcessEnv, where: string): Raw {
  const out: Raw = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.endsWith('Env') && key.length > 3) {
      if (typeof value !== 'string') throw new ConfigError(`${where}.${key} must name an environment variable`);
      const secret = env[value];
      if (secret === undefined) throw new ConfigError(`${where}.${key}: the environment variable ${value} is not set`);
      out[key.slice(0, -3)] = secret;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function required(raw: Raw, field: string, where: string): string {
  const value = raw[field];
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${where} needs ${field}`);
  return value;
}

function checked(raw: Raw, where: string): ConnectorConfig {
  const kind = raw.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) throw new ConfigError(`${where}.kind must be tryton, odoo or sap, got "${String(kind)}"`);
  required(raw, 'plant', where);
  // SAP names its server `host` (each API at its standard path) unless `services` gives roots.
  const url = kind === 'sap' && raw.url === undefined && (raw.host !== undefined || raw.services !== undefined)
    ? String(raw.host ?? 'https://services') : required(raw, 'url', where);
  if (!/^https?:\/\//.test(url)) throw new ConfigError(`${where}.url must be an http(s) URL, got "${url}"`);
  if (raw.pollIntervalMs !== undefined && !(Number.isInteger(raw.pollIntervalMs) && (raw.pollIntervalMs as number) > 0)) {
    throw new ConfigError(`${where}.pollIntervalMs must be a whole number of milliseconds > 0`);
  }
  for (const field of ['callsPerSecond', 'concurrency']) {
    const limit = raw[field];
    if (limit !== undefined && !(Number.isInteger(limit) && (limit as number) >= 0)) throw new ConfigError(`${where}.${field} must be a whole number ≥ 0 (0: no limit)`);
  }
  if (kind === 'tryton') {
    for (const field of ['database', 'username', 'password']) required(raw, field, where);
  }
  if (kind === 'odoo') {
    // The shared variables' names, in Odoo's words: the user is a login, the company an id.
    const { username, company, ...rest } = raw;
    const odoo = {
      name: kind, ...rest,
      ...(rest.login === undefined && username !== undefined && { login: username }),
      ...(rest.companyId === undefined && company !== undefined && { companyId: Number(company) }),
      version: Number(rest.version),
    } as unknown as OdooConnectorConfig;
    const resolved = resolveOdooConfig(odoo);
    if (!resolved.ok) throw new ConfigError(`${where}: ${resolved.problems.join('; ')}`);
    return { kind: 'odoo', ...odoo } as ConnectorConfig;
  }
  if (kind === 'sap') {
    for (const field of ['productionPlant', 'timeZone']) required(raw, field, where);
    const { url: host, ...rest } = raw;
    return { name: kind, ...(host !== undefined && { host }), ...rest } as unknown as ConnectorConfig;
  }
  return { name: kind, ...raw } as unknown as ConnectorConfig;
}

export function readErpConnections(env: NodeJS.ProcessEnv): readonly ConnectorConfig[] {
  const connections: ConnectorConfig[] = [];
  const single = fromVariables(env);
  if (single !== null) connections.push(checked(single, 'TAKT_ERP'));
  const file = nonEmpty(env.TAKT_ERP_CONNECTIONS);
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`TAKT_ERP_CONNECTIONS: cannot read ${file}: ${(error as Error).message}`);
    }
    const list = parseJson(text, file);
    if (!Array.isArray(list)) throw new ConfigError(`${file} must hold a JSON array of connections`);
    list.forEach((raw, i) => {
      const where = `${file}[${i}]`;
      if (typeof raw !== 'object' || raw === null) throw new ConfigError(`${where} must be an object`);
      connections.push(checked(withSecrets(raw as Raw, env, where), where));
    });
  }
  const names = new Set<string>();
  const plants = new Set<string>();
  for (const c of connections) {
    if (names.has(c.name)) throw new ConfigError(`two ERP connections are named "${c.name}": give each its own name`);
    if (plants.has(c.plant)) throw new ConfigError(`plant "${c.plant}" has two ERP connections: one per plant`);
    names.add(c.name);
    plants.add(c.plant);
  }
  return connections;
}
