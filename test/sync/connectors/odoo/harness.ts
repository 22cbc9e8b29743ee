/** What the Odoo connector tests share: a fake Odoo behind test-erp.ts, connectors on it, links. */
import type { ErpLink, LinkIndex, ReadRequest } from '../../../../sync/connectors/connector.ts';
import { createOdooConnector, type OdooConnectorConfig } from '../../../../sync/connectors/odoo/connector.ts';
import { startTestErp, type TestErp } from '../../writeback/test-erp.ts';
import { FakeOdoo, loadFixture, type ParsedCall } from './fake-odoo.ts';

export const NOW = Date.parse('2026-11-22T12:00:00Z');

export interface Harness {
  readonly erp: TestErp;
  readonly odoo: FakeOdoo;
  connector(overrides?: Partial<OdooConnectorConfig>): ReturnType<typeof createOdooConnector>;
  /** Model calls Odoo received (logins left out), optionally of one model and method. */
  calls(model?: string, method?: string): ParsedCall[];
  close(): Promise<void>;
}

export async function startHarness(version: 16 | 17 | 18 | 19, fixture = version === 16 ? 'odoo16.json' : version === 19 ? 'odoo19.json' : 'odoo17.json'): Promise<Harness> {
  const odoo = new FakeOdoo({ version, fixture: loadFixture(fixture) });
  const erp = await startTestErp(odoo.respond);
  return {
    erp,
    odoo,
    connector: (overrides = {}) => createOdooConnector({
      name: 'odoo-main', plant: 'P1', url: erp.url, database: 'prod', version,
      ...(version === 19 ? { apiKey: 'key-19' } : { login: 'takt', password: 'secret' }),
      companyId: 1,
      ...overrides,
    }),
    calls: (model, method) => odoo.calls.filter((c) => (model === undefined || c.model === model) && (method === undefined || c.method === method)),
    close: () => erp.close(),
  };
}

export function links(list: readonly Partial<ErpLink>[] = []): LinkIndex {
  const full = list.map((l): ErpLink => ({ kind: 'work_order', key: '', ref: null, stamp: null, held: null, pending: null, memo: null, ...l }));
  return {
    get: (kind, key) => full.find((l) => l.kind === kind && l.key === key),
    keys: (kind) => full.filter((l) => l.kind === kind).map((l) => l.key),
    refresh: () => [],
  };
}

export function readRequest(cursor: string | null = null, index: LinkIndex = links(), plantExists = true): ReadRequest {
  return { cursor, links: index, now: NOW, plantExists };
}
