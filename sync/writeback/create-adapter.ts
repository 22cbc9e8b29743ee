/** The generic write-back (ERP_WRITEBACK_URL) for plants without an ERP connector; null: write-backs stay in the outbox. */
import type { ErpOutbound } from '../connectors/connector.ts';
import { restAdapter, type RestAdapterConfig } from './rest-adapter.ts';

export type WritebackAdapterConfig =
  | ({ readonly kind: 'rest' } & RestAdapterConfig)
  | { readonly kind: 'none' };

export function createWritebackAdapter(config: WritebackAdapterConfig): ErpOutbound | null {
  return config.kind === 'rest' ? restAdapter(config) : null;
}
