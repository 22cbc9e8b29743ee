/**
 * Items: `product.product` variants changed since the cursor, and the variants of
 * `product.template`s changed since the cursor (a rename is a template change). Archived
 * products are read too: old orders and stock still name them. Services are no material.
 */
import type { ErpRecord } from '../connector.ts';
import { mapItem, PRODUCT_FIELDS } from './map-item.ts';
import { WITH_ARCHIVED, type ReadSession } from './read-session.ts';
import { ids, odooDatetime } from './values.ts';

export async function readItems(s: ReadSession): Promise<readonly ErpRecord[]> {
  const goods = [...s.companyOrShared, ['type', '!=', 'service']];
  const variants = await s.page('product.product', 'product.product', goods, PRODUCT_FIELDS, WITH_ARCHIVED);
  s.remember(variants);
  const templates = await s.page('product.template', 'product.template', goods, ['product_variant_ids'], WITH_ARCHIVED);
  const templateStamp = new Map(templates.flatMap((t) => ids(t.product_variant_ids).map((v) => [v, odooDatetime(t.write_date)] as const)));
  const seen = new Set(variants.map((v) => v.id as number));
  const renamed = await s.productsById([...templateStamp.keys()].filter((id) => !seen.has(id)));
  return [...variants, ...renamed.values()].map((product) => {
    const item = mapItem(product, templateStamp.get(product.id as number) ?? null);
    return { type: 'item.upserted', data: item.data, ref: { product: product.id }, stamp: item.stamp, changedAt: item.changedAt } satisfies ErpRecord;
  });
}
