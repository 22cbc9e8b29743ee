/**
 * The SAP S/4HANA connector (OData V2): production orders, work centers, stock, batches and
 * purchase order schedule lines in; planned order and operation dates and importance out.
 * The field map, both ways, is in `FIELD-MAP.md` next to this file.
 */
import type { ErpConnector, ReadOutcome, WriteOutcome } from '../connector.ts';
import { resolveConfig, type SapConnectorConfig } from './config.ts';
import { asHeld, project } from './held.ts';
import { ODataSession } from './odata-client.ts';
import { readChanges } from './read.ts';
import { UnitCache } from './unit-cache.ts';
import { writeOrder } from './write.ts';

export type { SapConnectorConfig } from './config.ts';

export function createSapConnector(input: SapConnectorConfig): ErpConnector {
  const config = resolveConfig(input);
  const sessionConfig = {
    username: config.username, password: config.password, headers: config.headers, sapClient: config.sapClient, timeoutMs: config.timeoutMs,
  };
  // Reads keep one session. Each write opens its own: it fetches a token with its first GET
  // anyway, and concurrent writes then cannot drop each other's token or miscount calls.
  const readSession = new ODataSession(sessionConfig);
  const units = new UnitCache();
  const productionOrder = config.services.productionOrder;

  return {
    kind: 'sap',
    name: config.name,
    plant: config.plant,
    inbound: config.inbound,
    outbound: config.outbound && productionOrder !== null,
    read(request): Promise<ReadOutcome> {
      return readChanges({ session: readSession, config, units }, request);
    },
    async write(request): Promise<WriteOutcome> {
      if (productionOrder === null) return { kind: 'rejected', reason: 'no API_PRODUCTION_ORDER_2_SRV root is configured', status: null };
      return writeOrder({ session: new ODataSession(sessionConfig), config, root: productionOrder }, request);
    },
    project(payload, basis): unknown {
      return project(payload, config, asHeld(basis?.held));
    },
  };
}
