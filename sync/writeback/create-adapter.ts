/** The configured adapter (ERP_WRITEBACK_URL and its kind); null: write-backs stay in the outbox. */
import type { ErpOutbound } from '../connectors/connector.ts';
import type { WritebackAdapter } from './adapter.ts';
import { odooAdapter, type OdooAdapterConfig } from './odoo-adapter.ts';
import { restAdapter, type RestAdapterConfig } from './rest-adapter.ts';
import { sapAdapter, type SapAdapterConfig } from './sap-adapter.ts';

export type WritebackAdapterConfig =
  | ({ readonly kind: 'rest' } & RestAdapterConfig)
  | ({ readonly kind: 'odoo' } & OdooAdapterConfig)
  | ({ readonly kind: 'sap' } & SapAdapterConfig)
  | { readonly kind: 'none' };

export function createWritebackAdapter(config: WritebackAdapterConfig): ErpOutbound | null {
  switch (config.kind) {
    case 'rest': return restAdapter(config);
    case 'odoo': return fromDelivery(odooAdapter(config));
    case 'sap': return fromDelivery(sapAdapter(config));
    case 'none': return null;
  }
}

function fromDelivery(adapter: WritebackAdapter): ErpOutbound {
  return {
    project: (payload) => payload,
    async write({ payload }) {
      const outcome = await adapter.deliver(payload);
      return outcome.kind === 'delivered' ? { kind: 'written', held: payload, stamp: null, calls: 1 } : outcome;
    },
  };
}
