/**
 * `product.product` → takt's `item.upserted`: id from the Internal Reference (`default_code`,
 * `product-<id>` when empty), the name of the product, the unit (`uom_id`) it is counted in.
 * A product's name lives on its template, so a rename moves `product.template.write_date`, not
 * the variant's: the change stamp is the later of both.
 */
import { itemKey } from './keys.ts';
import { laterOf, m2oName, odooDatetime, odooMs, text, type OdooRecord } from './values.ts';

export const PRODUCT_FIELDS = ['default_code', 'name', 'uom_id', 'product_tmpl_id', 'company_id', 'write_date'] as const;

export type ItemData = {
  readonly id: string;
  readonly name?: string;
  readonly uom?: string;
};

export function mapItem(product: OdooRecord, templateWriteDate: string | null = null): { readonly data: ItemData; readonly stamp: string | null; readonly changedAt: number } {
  const name = text(product.name);
  const uom = m2oName(product.uom_id);
  const stamp = laterOf(odooDatetime(product.write_date), templateWriteDate);
  return {
    data: {
      id: itemKey(product),
      ...(name !== null && { name: name.slice(0, 2000) }),
      ...(uom !== null && { uom: uom.slice(0, 20) }),
    },
    stamp,
    changedAt: odooMs(stamp) ?? 0,
  };
}
