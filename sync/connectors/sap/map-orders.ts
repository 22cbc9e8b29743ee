/**
 * A_ProductionOrder_2 (with `to_ProductionOrderOperation` and `to_ProductionOrderComponent`
 * expanded) → `work_order.upserted` or `work_order.cancelled`, and final confirmations of its
 * operations → `operation.completed` (source `mes`). Pure: the order, the unit table and the
 * order's previous link in, records out.
 *
 * - quantity: `TotalQuantity` in `ProductionUnit`, converted to the material's base unit when
 *   API_PRODUCT_SRV gave the conversion (the order API itself gives no factor).
 * - due: the basic end (`MfgOrderPlannedEndDate` + `MfgOrderPlannedEndTime`), plant-local. An end
 *   time of 00:00:00 is SAP's "no time" and means the end of that day.
 * - operations: setup (plus teardown, which also occupies the machine) and processing durations
 *   in their units → minutes; processing is SAP's duration for the whole operation quantity, so
 *   per unit it is divided by the order quantity takt multiplies it with again.
 * - materials: what components still need (`RequiredQuantity − WithdrawnQuantity`, base unit),
 *   at the operation they are assigned to; phantom and bulk components are not planned.
 */
import type { ErpLink, ErpRecord } from '../connector.ts';
import type { ResolvedSapConfig } from './config.ts';
import { heldOf, localOf, type SapHeld } from './held.ts';
import { decimal, edmCalendarDate, edmTimeSeconds, flag, parseStamp, results, text, type Entity } from './odata-values.ts';
import { operationKey, orderOperations, taktOperationId, type OperationKey } from './operations.ts';
import { orderState } from './order-status.ts';
import { fromWallClock, isoOf } from '../wall-clock.ts';
import { toBaseUnit, toMinutes, type UnitTable } from './units.ts';

export interface SapOrderRef {
  readonly order: string;
  readonly operations: Readonly<Record<string, OperationKey>>;
}

export interface SapOrderMemo {
  /** The due date as SAP's planner set it, while takt writes the basic dates itself. */
  readonly due?: string;
  /** How the durations were found: `durations` (setup/processing fields) or `window` (the scheduled window, older releases). */
  readonly durations: 'durations' | 'window';
}

export interface MappedOrder {
  readonly records: readonly ErpRecord[];
  /** Materials the order names, with the base unit where known. */
  readonly materials: ReadonlyMap<string, string | null>;
}

type OrderConfig = Pick<ResolvedSapConfig,
  'timeZone' | 'orderDates' | 'operationDates' | 'writeWorkCenter' | 'importance' | 'priorityByImportance' | 'readConfirmations'>;

/** A plant-local date and time field pair → ISO instant; `endOfDay`: 00:00:00 means 24:00. */
export function instantOf(entity: Entity, dateField: string, timeField: string, timeZone: string, endOfDay: boolean): string | null {
  const date = edmCalendarDate(entity[dateField]);
  if (date === null) return null;
  const seconds = edmTimeSeconds(entity[timeField]) ?? 0;
  return isoOf(fromWallClock(date, endOfDay && seconds === 0 ? 86400 : seconds, timeZone));
}

function dueOf(order: Entity, link: ErpLink | undefined, config: OrderConfig): { due: string | null; memoDue: string | undefined } {
  const basic = instantOf(order, 'MfgOrderPlannedEndDate', 'MfgOrderPlannedEndTime', config.timeZone, true)
    ?? instantOf(order, 'MfgOrderScheduledEndDate', 'MfgOrderScheduledEndTime', config.timeZone, true);
  if (config.orderDates !== 'basic') return { due: basic, memoDue: undefined };
  // takt writes the basic dates itself: a basic end equal to what takt last wrote is its own
  // plan coming back, not a new due date. Keep the due SAP's planner set until they change it.
  const previous = link?.held as SapHeld | null | undefined;
  const memo = link?.memo as SapOrderMemo | null | undefined;
  const echoed = previous?.end != null && previous.end === localOf(order, 'MfgOrderPlannedEndDate', 'MfgOrderPlannedEndTime');
  const due = echoed && memo?.due !== undefined ? memo.due : basic;
  return { due, memoDue: due ?? undefined };
}

function minutes(entity: Entity, value: string, unit: string): number | null {
  if (!(value in entity)) return null;
  const amount = decimal(entity, value) ?? 0;
  return amount === 0 ? 0 : toMinutes(amount, text(entity, unit));
}

function windowMinutes(op: Entity, timeZone: string): number {
  const start = instantOf(op, 'OpErlstSchedldExecStrtDte', 'OpErlstSchedldExecStrtTme', timeZone, false);
  const end = instantOf(op, 'OpErlstSchedldExecEndDte', 'OpErlstSchedldExecEndTme', timeZone, false);
  return start === null || end === null ? 0 : Math.max(0, (Date.parse(end) - Date.parse(start)) / 60_000);
}

function operationsOf(order: Entity, quantity: number, timeZone: string) {
  let fromWindow = false;
  const operations = orderOperations(order).filter((op) => !flag(op, 'OperationIsDeleted')).map((op) => {
    const setup = minutes(op, 'OpPlannedSetupDurn', 'OpPlannedSetupDurnUnit');
    const teardown = minutes(op, 'OpPlannedTeardownDurn', 'OpPlannedTeardownDurnUnit');
    let processing = minutes(op, 'OpPlannedProcessingDurn', 'OpPlannedProcessingDurnUnit');
    // Releases without the duration fields (or with a unit that is not a time): the window SAP
    // scheduled for the operation, which includes non-working time, is the best there is.
    if (processing === null) {
      fromWindow = true;
      processing = windowMinutes(op, timeZone);
    }
    const setupMinutes = (setup ?? 0) + (teardown ?? 0);
    const name = text(op, 'MfgOrderOperationText');
    return {
      id: taktOperationId(op),
      ...(name !== '' && { name }),
      modes: [{
        workCenter: text(op, 'WorkCenter'),
        ...(setupMinutes > 0 && { setupMinutes }),
        runMinutesPerUnit: quantity > 0 ? processing / quantity : 0,
      }],
    };
  });
  return { operations, fromWindow };
}

function componentsOf(order: Entity, operationIds: ReadonlySet<string>, materials: Map<string, string | null>) {
  return results(order.to_ProductionOrderComponent)
    .filter((c) => !flag(c, 'MaterialComponentIsPhantomItem') && !flag(c, 'IsBulkMaterialComponent') && text(c, 'Material') !== '')
    .map((c) => {
      const material = text(c, 'Material');
      if (text(c, 'BaseUnit') !== '') materials.set(material, text(c, 'BaseUnit'));
      else if (!materials.has(material)) materials.set(material, null);
      const operation = taktOperationId(c);
      const open = Math.max(0, (decimal(c, 'RequiredQuantity') ?? 0) - (decimal(c, 'WithdrawnQuantity') ?? 0));
      return { item: material, quantity: open, ...(operationIds.has(operation) && { operation }) };
    });
}

function completions(order: Entity, changedAt: number, config: OrderConfig): ErpRecord[] {
  if (!config.readConfirmations) return [];
  return orderOperations(order).filter((op) => flag(op, 'OperationIsConfirmed')).map((op) => {
    const completedAt = instantOf(op, 'OpActualExecutionEndDate', 'OpActualExecutionEndTime', config.timeZone, false);
    return {
      type: 'operation.completed',
      source: 'mes',
      data: {
        workOrder: text(order, 'ManufacturingOrder'),
        operation: taktOperationId(op),
        workCenter: text(op, 'WorkCenter'),
        quantityGood: decimal(op, 'OpTotalConfirmedYieldQty') ?? 0,
        ...(completedAt !== null && { completedAt }),
      },
      changedAt,
    } satisfies ErpRecord;
  });
}

export function mapOrder(order: Entity, units: UnitTable, link: ErpLink | undefined, config: OrderConfig, now: number): MappedOrder {
  const id = text(order, 'ManufacturingOrder');
  const stamp = text(order, 'LastChangeDateTime');
  const changedAt = parseStamp(stamp)?.ms ?? now;
  const state = orderState(order);
  const materials = new Map<string, string | null>();
  const operationRefs = Object.fromEntries(orderOperations(order).map((op) => [taktOperationId(op), operationKey(op)]));
  const ref: SapOrderRef = { order: id, operations: operationRefs };
  const held = heldOf(order, config);
  if (state.kind === 'cancelled') {
    return { records: [{ type: 'work_order.cancelled', data: { id, reason: state.reason }, ref, stamp, held, changedAt }], materials };
  }
  const material = text(order, 'Material');
  const quantity = toBaseUnit(decimal(order, 'TotalQuantity') ?? 0, text(order, 'ProductionUnit'), material, units);
  materials.set(material, quantity.converted ? quantity.unit : null);
  const { due, memoDue } = dueOf(order, link, config);
  const { operations, fromWindow } = operationsOf(order, quantity.quantity, config.timeZone);
  const components = componentsOf(order, new Set(operations.map((op) => op.id)), materials);
  const importance = text(order, 'ManufacturingOrderImportance');
  const priority = config.priorityByImportance?.[importance];
  const memo: SapOrderMemo = { ...(memoDue !== undefined && { due: memoDue }), durations: fromWindow ? 'window' : 'durations' };
  const record: ErpRecord = {
    type: 'work_order.upserted',
    data: {
      id,
      item: material,
      quantity: quantity.quantity,
      // An order without any end date cannot be planned; ingest rejects it with the field.
      due: due ?? '',
      ...(priority !== undefined && { priority }),
      status: state.status,
      operations,
      ...(components.length > 0 && { materials: components }),
    },
    ref, stamp, held, memo, changedAt,
  };
  return { records: [record, ...completions(order, changedAt, config)], materials };
}
