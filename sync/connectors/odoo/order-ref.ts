/**
 * The way back from a takt order to Odoo, kept in its link: the `mrp.production` id and, per
 * takt operation, the `mrp.workorder` id, as the inbound read found them.
 */
import type { ErpLink } from '../connector.ts';

export interface OrderRef {
  readonly production: number;
  /** takt operation id → `mrp.workorder` id. */
  readonly workorders: Readonly<Record<string, number>>;
}

/** The link's ref; null without a link, 'invalid' when the link holds something else. */
export function orderRefOf(basis: ErpLink | null): OrderRef | null | 'invalid' {
  if (basis === null) return null;
  const ref = basis.ref as Partial<OrderRef> | null;
  if (typeof ref?.production !== 'number' || typeof ref.workorders !== 'object' || ref.workorders === null) return 'invalid';
  return ref as OrderRef;
}
