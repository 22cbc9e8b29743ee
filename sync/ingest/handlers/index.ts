import type { HandlerRegistry } from './handler.ts';
import { calendarUpserted, itemUpserted, operationTimeUpserted, plantUpserted, workCenterUpserted } from './master-data.ts';
import { holdPlaced, holdReleased } from './quality.ts';
import { downtimeEnded, downtimeStarted, operationCompleted, operationProgressed, operationStarted } from './shop-floor.ts';
import { lotUpserted, receiptArrived, receiptCancelled, receiptUpserted } from './supply.ts';
import { workOrderCancelled, workOrderUpserted } from './work-orders.ts';

export const handlers: HandlerRegistry = {
  'plant.upserted': plantUpserted,
  'calendar.upserted': calendarUpserted,
  'work_center.upserted': workCenterUpserted,
  'item.upserted': itemUpserted,
  'operation_time.upserted': operationTimeUpserted,
  'work_order.upserted': workOrderUpserted,
  'work_order.cancelled': workOrderCancelled,
  'receipt.upserted': receiptUpserted,
  'receipt.cancelled': receiptCancelled,
  'lot.upserted': lotUpserted,
  'receipt.arrived': receiptArrived,
  'hold.placed': holdPlaced,
  'hold.released': holdReleased,
  'operation.started': operationStarted,
  'operation.progressed': operationProgressed,
  'operation.completed': operationCompleted,
  'downtime.started': downtimeStarted,
  'downtime.ended': downtimeEnded,
};
