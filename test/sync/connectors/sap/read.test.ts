import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErpLink, LinkIndex, ReadOutcome } from '../../../../sync/connectors/connector.ts';
import { createSapConnector, type SapConnectorConfig } from '../../../../sync/connectors/sap/connector.ts';
import type { Entity } from '../../../../sync/connectors/sap/odata-values.ts';
import type { Reply } from '../../writeback/test-erp.ts';
import { fixture, sapError, startSapStub, type Decoded, type SapStub } from './sap-stub.ts';

const NOW = Date.parse('2026-11-22T08:30:00Z');
const ORDER_FILTER_FIRST = "ProductionPlant eq '1710' and OrderIsClosed ne 'X' and OrderIsDeleted ne 'X'";
const ORDER_OPTIONS = { $orderby: 'LastChangeDateTime,ManufacturingOrder', $top: '3', $expand: 'to_ProductionOrderOperation,to_ProductionOrderComponent' };

let sap: SapStub;
beforeAll(async () => { sap = await startSapStub(); });
afterAll(async () => { await sap.close(); });
beforeEach(() => { sap.reset(); });

function links(entries: readonly Pick<ErpLink, 'kind' | 'key'>[] = []): LinkIndex {
  const full = entries.map((e): ErpLink => ({ ...e, ref: null, stamp: null, held: null, pending: null, memo: null }));
  return { get: (kind, key) => full.find((l) => l.kind === kind && l.key === key), keys: (kind) => full.filter((l) => l.kind === kind).map((l) => l.key), refresh: () => [] };
}

/** `$top`/`$skip` as SAP applies them, for the snapshot routes. */
function paged(results: readonly Entity[], d: Decoded): Reply {
  const skip = Number(d.query.$skip ?? 0);
  const top = Number(d.query.$top ?? results.length);
  return { status: 200, body: { d: { results: results.slice(skip, skip + top) } } };
}
const collection = (name: string): Entity[] => (fixture(name) as { d: { results: Entity[] } }).d.results;

function routeOrders(): void {
  sap.on('GET', 'productionOrder', 'A_ProductionOrder_2', (_r, d) => {
    if (d.query.$skiptoken === '2') return { status: 200, body: fixture('orders-delta-page-2.json') };
    if (d.query.$filter?.includes('ManufacturingOrder gt')) return { status: 200, body: fixture('orders-delta-page-3.json') };
    return { status: 200, body: fixture('orders-delta-page-1.json', sap.root('productionOrder')) };
  });
}

function connector(overrides: Partial<SapConnectorConfig> = {}) {
  return createSapConnector({
    name: 'sap-1710', plant: 'P1', productionPlant: '1710', timeZone: 'Europe/Berlin',
    host: sap.host, sapClient: '100', username: 'TAKT_COMM', password: 's3cret', headers: { 'x-api-key': 'k-1' },
    pageSize: 3, ...overrides,
  });
}

function changes(outcome: ReadOutcome) {
  if (outcome.kind !== 'changes') throw new Error(`expected changes, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('SAP read: a first full read', () => {
  it('reads work centers, the order delta (__next and keyset pages), units, stock with batches and open receipts, in dependency order', async () => {
    sap.on('GET', 'workCenters', 'A_WorkCenters', (_r, d) => paged(collection('work-centers.json'), d));
    routeOrders();
    sap.on('GET', 'product', 'A_Product', () => ({ status: 200, body: fixture('products.json') }));
    const stock = [...collection('stock-page-1.json'), ...collection('stock-page-2.json')];
    sap.on('GET', 'materialStock', 'A_MatlStkInAcctMod', (_r, d) => paged(stock, d));
    sap.on('GET', 'batch', 'Batch', () => ({ status: 200, body: fixture('batches.json') }));
    sap.on('GET', 'purchaseOrder', 'A_PurchaseOrderItem', (_r, d) => (d.query.$filter?.includes('PurchaseOrder gt')
      ? { status: 200, body: fixture('empty-collection.json') }
      : { status: 200, body: fixture('purchase-items.json') }));

    const outcome = changes(await connector({ plantName: 'Plant 1710' }).read({ cursor: null, links: links(), now: NOW, plantExists: false }));

    const calls = sap.decoded().map(({ service, path, query }) => ({ service, path, query }));
    expect(calls).toEqual([
      { service: 'API_WORK_CENTERS', path: 'A_WorkCenters', query: { $filter: "Plant eq '1710' and WorkCenterTypeCode eq 'A'", $expand: 'to_Capacity/to_CapacityInterval/to_CapacityShift', $top: '3' } },
      { service: 'API_WORK_CENTERS', path: 'A_WorkCenters', query: { $filter: "Plant eq '1710' and WorkCenterTypeCode eq 'A'", $expand: 'to_Capacity/to_CapacityInterval/to_CapacityShift', $top: '3', $skip: '3' } },
      { service: 'API_PRODUCTION_ORDER_2_SRV', path: 'A_ProductionOrder_2', query: { $filter: ORDER_FILTER_FIRST, ...ORDER_OPTIONS } },
      // The server's own next link, as given.
      { service: 'API_PRODUCTION_ORDER_2_SRV', path: 'A_ProductionOrder_2', query: { $filter: ORDER_FILTER_FIRST, ...ORDER_OPTIONS, $skiptoken: '2' } },
      // A full page: the next one starts after the last order read, by stamp and key.
      {
        service: 'API_PRODUCTION_ORDER_2_SRV', path: 'A_ProductionOrder_2',
        query: { $filter: `${ORDER_FILTER_FIRST} and ((LastChangeDateTime gt '20261121120000') or (LastChangeDateTime eq '20261121120000' and ManufacturingOrder gt '1000102'))`, ...ORDER_OPTIONS },
      },
      {
        service: 'API_PRODUCT_SRV', path: 'A_Product',
        query: {
          $filter: "Product eq 'FG-100' or Product eq 'FG-200'",
          $select: 'Product,BaseUnit,to_ProductUnitsOfMeasure/AlternativeUnit,to_ProductUnitsOfMeasure/QuantityNumerator,to_ProductUnitsOfMeasure/QuantityDenominator',
          $expand: 'to_ProductUnitsOfMeasure',
        },
      },
      ...['0', '3', '6'].map((skip) => ({
        service: 'API_MATERIAL_STOCK_SRV', path: 'A_MatlStkInAcctMod',
        query: {
          $filter: "Plant eq '1710' and InventorySpecialStockType eq ''",
          $select: 'Material,Plant,StorageLocation,Batch,InventoryStockType,InventorySpecialStockType,MaterialBaseUnit,MatlWrhsStkQtyInMatlBaseUnit',
          $top: '3', ...(skip !== '0' && { $skip: skip }),
        },
      })),
      {
        service: 'API_BATCH_SRV', path: 'Batch',
        query: { $filter: "(Material eq 'RM-100' and Batch eq 'B1') or (Material eq 'RM-100' and Batch eq 'B2')", $select: 'Material,BatchIdentifyingPlant,Batch,ShelfLifeExpirationDate' },
      },
      {
        service: 'API_PURCHASEORDER_PROCESS_SRV', path: 'A_PurchaseOrderItem',
        query: { $filter: "Plant eq '1710' and IsCompletelyDelivered eq false and PurchasingDocumentDeletionCode eq ''", $orderby: 'PurchaseOrder,PurchaseOrderItem', $top: '3', $expand: 'to_ScheduleLine' },
      },
      {
        service: 'API_PURCHASEORDER_PROCESS_SRV', path: 'A_PurchaseOrderItem',
        query: {
          $filter: "Plant eq '1710' and IsCompletelyDelivered eq false and PurchasingDocumentDeletionCode eq '' and ((PurchaseOrder gt '4500000124') or (PurchaseOrder eq '4500000124' and PurchaseOrderItem gt '10'))",
          $orderby: 'PurchaseOrder,PurchaseOrderItem', $top: '3', $expand: 'to_ScheduleLine',
        },
      },
    ]);
    // Every call: the client, the credentials and the extra headers.
    expect(sap.decoded().every((d) => d.sapClient === '100')).toBe(true);
    expect(sap.requests.every((r) => r.headers.authorization === `Basic ${Buffer.from('TAKT_COMM:s3cret').toString('base64')}` && r.headers['x-api-key'] === 'k-1')).toBe(true);

    expect(outcome.records.map((r) => `${r.type} ${String(r.data.id ?? r.data.operation)}`)).toEqual([
      'plant.upserted P1',
      'calendar.upserted sap-capacity-10000201', 'calendar.upserted sap-capacity-10000202',
      'work_center.upserted ASSY1', 'work_center.upserted PAINT1', 'work_center.upserted QC1',
      'item.upserted FG-100', 'item.upserted RM-100', 'item.upserted RM-200', 'item.upserted FG-200', 'item.upserted RM-300',
      'work_order.upserted 1000100', 'work_order.upserted 1000101', 'work_order.upserted 1000102', 'operation.completed 0010', 'work_order.cancelled 1000103',
      'lot.upserted RM-100/B1', 'lot.upserted RM-100/B1/held', 'lot.upserted RM-100/B2/blocked', 'lot.upserted RM-200',
      'receipt.upserted 4500000123/10/1', 'receipt.upserted 4500000124/10/1',
    ]);
    expect(outcome.records[0]?.data).toEqual({ id: 'P1', name: 'Plant 1710', timeZone: 'Europe/Berlin' });
    expect(outcome.records.filter((r) => r.type === 'item.upserted').map((r) => r.data)).toEqual([
      { id: 'FG-100', uom: 'PC' }, { id: 'RM-100', uom: 'KG' }, { id: 'RM-200', uom: 'PC' }, { id: 'FG-200' }, { id: 'RM-300' },
    ]);
    // 5 KAR of FG-100, converted with API_PRODUCT_SRV's 12 PC per KAR.
    expect(outcome.records.find((r) => r.data.id === '1000101')?.data.quantity).toBe(60);
    expect(outcome.more).toBe(false);
    expect(JSON.parse(outcome.cursor)).toEqual({
      v: 1,
      orders: { ms: Date.UTC(2026, 10, 22, 8, 0, 0), format: 'timestamp14', after: null },
      refreshed: { workCenters: NOW, orderSweep: NOW, stock: NOW, receipts: NOW },
      sweepAfter: null,
    });
  });
});

describe('SAP read: deltas', () => {
  const only = () => connector({ host: undefined, services: { productionOrder: sap.root('productionOrder') } });

  it('starts the next delta an overlap before the latest stamp, in the entity set\'s own literal', async () => {
    sap.on('GET', 'productionOrder', 'A_ProductionOrder_2', () => ({ status: 200, body: fixture('empty-collection.json') }));
    const cursor = JSON.stringify({ v: 1, orders: { ms: Date.UTC(2026, 10, 22, 8, 0, 0), format: 'timestamp14', after: null }, refreshed: { orderSweep: NOW }, sweepAfter: null });
    const outcome = changes(await only().read({ cursor, links: links([{ kind: 'work_order', key: '1000100' }]), now: NOW + 60_000, plantExists: true }));
    expect(sap.decoded().map((d) => d.query)).toEqual([{ $filter: "ProductionPlant eq '1710' and LastChangeDateTime ge '20261122075500'", ...ORDER_OPTIONS }]);
    expect(outcome.records).toEqual([]);
    expect(JSON.parse(outcome.cursor).orders).toEqual({ ms: Date.UTC(2026, 10, 22, 8, 0, 0), format: 'timestamp14', after: null });

    sap.reset();
    sap.on('GET', 'productionOrder', 'A_ProductionOrder_2', () => ({ status: 200, body: fixture('empty-collection.json') }));
    const offset = JSON.stringify({ v: 1, orders: { ms: Date.UTC(2026, 10, 22, 8, 0, 0), format: 'datetimeoffset', after: null }, refreshed: { orderSweep: NOW }, sweepAfter: null });
    await only().read({ cursor: offset, links: links(), now: NOW, plantExists: true });
    expect(sap.decoded()[0]?.query.$filter).toBe("ProductionPlant eq '1710' and LastChangeDateTime ge datetimeoffset'2026-11-22T07:55:00Z'");
  });

  it('stops at the page budget with `more` and continues exactly after the last order read', async () => {
    routeOrders();
    const first = changes(await connector({ host: undefined, services: { productionOrder: sap.root('productionOrder') }, maxPagesPerRead: 2 })
      .read({ cursor: null, links: links(), now: NOW, plantExists: true }));
    expect(sap.decoded()).toHaveLength(2);
    expect(first.more).toBe(true);
    expect(first.records.filter((r) => r.type.startsWith('work_order')).map((r) => r.data.id)).toEqual(['1000100', '1000101', '1000102']);
    expect(JSON.parse(first.cursor).orders).toEqual({ ms: Date.UTC(2026, 10, 21, 12, 0, 0), format: 'timestamp14', after: ["'20261121120000'", "'1000102'"] });

    sap.reset();
    routeOrders();
    const second = changes(await only().read({ cursor: first.cursor, links: links(), now: NOW, plantExists: true }));
    expect(sap.decoded().map((d) => d.query.$filter)).toEqual([
      "ProductionPlant eq '1710' and ((LastChangeDateTime gt '20261121120000') or (LastChangeDateTime eq '20261121120000' and ManufacturingOrder gt '1000102'))",
    ]);
    expect(second.records.map((r) => [r.type, r.data.id])).toEqual([['work_order.cancelled', '1000103']]);
    expect(second.more).toBe(false);
    expect(JSON.parse(second.cursor).orders).toEqual({ ms: Date.UTC(2026, 10, 22, 8, 0, 0), format: 'timestamp14', after: null });
  });

  it('cancels linked orders SAP no longer has', async () => {
    sap.on('GET', 'productionOrder', 'A_ProductionOrder_2', (_r, d) => (d.query.$select === 'ManufacturingOrder'
      ? { status: 200, body: { d: { results: [{ __metadata: { type: 'API_PRODUCTION_ORDER_2_SRV.A_ProductionOrder_2Type' }, ManufacturingOrder: '1000100' }] } } }
      : { status: 200, body: fixture('empty-collection.json') }));
    const cursor = JSON.stringify({ v: 1, orders: { ms: Date.UTC(2026, 10, 22, 8, 0, 0), format: 'timestamp14', after: null }, refreshed: {}, sweepAfter: null });
    const outcome = changes(await only().read({ cursor, links: links([{ kind: 'work_order', key: '1000555' }, { kind: 'work_order', key: '1000100' }]), now: NOW, plantExists: true }));
    expect(sap.decoded()[1]?.query).toEqual({ $filter: "ManufacturingOrder eq '1000100' or ManufacturingOrder eq '1000555'", $select: 'ManufacturingOrder', $top: '2' });
    expect(outcome.records).toEqual([{ type: 'work_order.cancelled', data: { id: '1000555', reason: 'no longer in SAP' }, changedAt: NOW }]);
    expect(JSON.parse(outcome.cursor).refreshed).toEqual({ orderSweep: NOW });
  });

  it('is unavailable, with SAP\'s Retry-After and message, when a call fails', async () => {
    sap.on('GET', 'productionOrder', 'A_ProductionOrder_2', () => ({ status: 503, headers: { 'retry-after': '30' }, body: sapError('/IWFND/CM_BEC/026', 'SAP system is being maintained') }));
    expect(await only().read({ cursor: null, links: links(), now: NOW, plantExists: true })).toEqual({
      kind: 'unavailable', reason: 'HTTP 503: SAP system is being maintained', retryAfterMs: 30_000,
    });
    sap.reset();
    sap.on('GET', 'productionOrder', 'A_ProductionOrder_2', () => ({ status: 400, body: sapError('/IWBEP/CM_MGW_RT/022', "Property 'OrderIsClosed' is not filterable") }));
    expect(await only().read({ cursor: null, links: links(), now: NOW, plantExists: true })).toEqual({
      kind: 'unavailable', reason: "Property 'OrderIsClosed' is not filterable", retryAfterMs: null,
    });
  });
});
