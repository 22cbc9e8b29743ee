/** The configured ERP connections: which ERP, for which plant, and how often its changes are read. */
import type { ErpConnector } from './connector.ts';
import type { OdooConnectorConfig } from './odoo/config.ts';
import { createOdooConnector } from './odoo/connector.ts';
import type { SapConnectorConfig } from './sap/config.ts';
import { createSapConnector } from './sap/connector.ts';
import type { TrytonConnectorConfig } from './tryton/config.ts';
import { createTrytonConnector } from './tryton/connector.ts';

export type ConnectorConfig = (
  | ({ readonly kind: 'tryton' } & TrytonConnectorConfig)
  | ({ readonly kind: 'odoo' } & OdooConnectorConfig)
  | ({ readonly kind: 'sap' } & SapConnectorConfig)
) & ConnectionSettings;

export interface ConnectionSettings {
  /** How often the ERP's changes are read (default 5 s). */
  readonly pollIntervalMs?: number;
  /** Read the ERP's changes (default true). */
  readonly inbound?: boolean;
  /** Write planned dates back (default true). */
  readonly outbound?: boolean;
  /** The ERP's quota for all of takt: calls per second and at once (0 or absent: none). */
  readonly callsPerSecond?: number;
  readonly concurrency?: number;
}

function connectorOf(config: ConnectorConfig): ErpConnector {
  switch (config.kind) {
    case 'tryton': return createTrytonConnector(config);
    case 'odoo': return createOdooConnector(config);
    case 'sap': return createSapConnector(config);
  }
}

export function createConnector(config: ConnectorConfig): ErpConnector {
  const base = connectorOf(config);
  return {
    kind: base.kind,
    name: base.name,
    plant: base.plant,
    inbound: config.inbound ?? base.inbound,
    outbound: config.outbound ?? base.outbound,
    ...(base.refreshes === true && { refreshes: true }),
    read: (request) => base.read(request),
    write: (request) => base.write(request),
    project: (payload, basis) => base.project(payload, basis),
    close: async () => { await base.close?.(); },
  };
}
