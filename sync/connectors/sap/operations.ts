/**
 * The operations of a production order as takt sees them: the `to_ProductionOrderOperation`
 * entries that are operations (not suboperations, which SAP schedules inside their operation),
 * in routing order. takt's operation id is SAP's operation number (`0010`); operations of a
 * parallel or alternative sequence (`ManufacturingOrderSequence` other than 0) are prefixed with
 * it (`1/0010`), because their numbers may repeat those of the standard sequence.
 */
import { quote, results, text, type Entity } from './odata-values.ts';

export function isSubOperation(operation: Entity): boolean {
  return text(operation, 'ManufacturingOrderSubOperation').trim() !== '';
}

export function taktOperationId(operation: Entity): string {
  const sequence = text(operation, 'ManufacturingOrderSequence').trim();
  const number = text(operation, 'ManufacturingOrderOperation');
  return sequence === '' || sequence === '0' || sequence === '000000' ? number : `${sequence}/${number}`;
}

export function orderOperations(order: Entity): readonly Entity[] {
  return results(order.to_ProductionOrderOperation)
    .filter((op) => !isSubOperation(op))
    .toSorted((a, b) => {
      const bySequence = Number(text(a, 'ManufacturingOrderSequence') || 0) - Number(text(b, 'ManufacturingOrderSequence') || 0);
      return bySequence !== 0 ? bySequence : text(a, 'ManufacturingOrderOperation').localeCompare(text(b, 'ManufacturingOrderOperation'));
    });
}

/** The keys A_ProductionOrderOperation_2 is addressed by. */
export interface OperationKey {
  readonly orderInternalId: string;
  readonly operationInternalId: string;
}

export function operationKey(operation: Entity): OperationKey {
  return { orderInternalId: text(operation, 'OrderInternalBillOfOperations'), operationInternalId: text(operation, 'OrderIntBillOfOperationsItem') };
}

export function operationPath(key: OperationKey): string {
  return `A_ProductionOrderOperation_2(OrderInternalBillOfOperations=${encodeURIComponent(quote(key.orderInternalId))},`
    + `OrderIntBillOfOperationsItem=${encodeURIComponent(quote(key.operationInternalId))})`;
}

export function orderPath(order: string): string {
  return `A_ProductionOrder_2(${encodeURIComponent(quote(order))})`;
}
