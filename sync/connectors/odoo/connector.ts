/**
 * takt's Odoo connector (16, 17, 18 over JSON-RPC; 19 over JSON-2): `read` maps what changed
 * in one company to canonical events (read*.ts, map-*.ts), `write` puts one order's planned
 * dates back (write.ts), `project` says what Odoo would hold after that write (held.ts).
 * A configuration that cannot work is not thrown at startup: every read and write answers
 * with what is wrong, so the service runs and the operator sees it.
 */
import type { ErpConnector, ErpLink, ReadOutcome, WriteOutcome } from '../connector.ts';
import { createOdooClient, type OdooClient } from './client.ts';
import { resolveOdooConfig, type OdooConnectorConfig } from './config.ts';
import { fieldSetOf } from './fields.ts';
import { projectPayload } from './held.ts';
import { orderRefOf } from './order-ref.ts';
import { readOdoo } from './read.ts';
import type { ReadMemory } from './read-stock.ts';
import type { OdooTransport } from './transport.ts';
import { writeOdoo } from './write.ts';

export type { OdooConnectorConfig } from './config.ts';

export interface OdooConnectorOptions {
  /** Replaces the HTTP transport (tests). */
  readonly transport?: OdooTransport;
}

function workordersOf(basis: ErpLink | null): Readonly<Record<string, number>> | null {
  const ref = orderRefOf(basis);
  return ref === null || ref === 'invalid' ? null : ref.workorders;
}

export function createOdooConnector(config: OdooConnectorConfig, options: OdooConnectorOptions = {}): ErpConnector {
  const resolved = resolveOdooConfig(config);
  const base = { kind: 'odoo', name: config.name, plant: config.plant, inbound: config.inbound ?? true, outbound: config.outbound ?? true };
  if (!resolved.ok) {
    const reason = `Odoo connection ${config.name} is misconfigured: ${resolved.problems.join('; ')}`;
    return {
      ...base,
      read: async (): Promise<ReadOutcome> => ({ kind: 'unavailable', reason, retryAfterMs: null }),
      write: async (): Promise<WriteOutcome> => ({ kind: 'retry', reason, status: null, retryAfterMs: null }),
      project: (payload, basis) => projectPayload(payload, config.priorityThreshold ?? null, workordersOf(basis)),
    };
  }
  const settings = resolved.config;
  const fields = fieldSetOf(settings.version);
  const client: OdooClient = createOdooClient(settings, options.transport);
  const memory: ReadMemory = {};
  return {
    ...base,
    read: (request) => readOdoo(client, settings, fields, memory, request),
    write: (request) => writeOdoo({ client, config: settings, fields }, request),
    project: (payload, basis) => projectPayload(payload, settings.priorityThreshold, workordersOf(basis)),
  };
}
