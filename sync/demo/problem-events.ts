/**
 * A plant problem as the events its systems would send: master data and orders from the ERP,
 * lots from the WMS, holds from the QMS, shop-floor progress from the MES. Loading a plant this
 * way (the demo, tests, a migration from a file) goes through the one ingestion path.
 */
import type { PlantProblem } from '../../scheduler/problem.ts';
import type { EventEnvelope, Source } from '../ports.ts';
import { operationTimeKey } from '../store/operation-times.ts';

export function problemToEvents(problem: PlantProblem, occurredAt: string, idPrefix = 'load'): EventEnvelope[] {
  const plant = problem.plant.id;
  const events: EventEnvelope[] = [];
  const add = (source: Source, type: string, key: string, data: object): void => {
    events.push({ id: `${idPrefix}:${type}:${key}`, source, type, plant, occurredAt, version: 1, data: data as Record<string, unknown> });
  };
  add('erp', 'plant.upserted', plant, problem.plant);
  for (const calendar of problem.calendars) add('erp', 'calendar.upserted', calendar.id, calendar);
  for (const item of problem.items ?? []) add('erp', 'item.upserted', item.id, item);
  for (const wc of problem.workCenters) add('erp', 'work_center.upserted', wc.id, wc);
  for (const time of problem.operationTimes ?? []) add('erp', 'operation_time.upserted', operationTimeKey(time), time);
  for (const order of problem.workOrders) {
    const operations = order.operations.map(({ status: _status, progress: _progress, pin: _pin, ...op }) =>
      (op.standard !== undefined && op.modes.length === 0 ? (({ modes: _modes, ...rest }) => rest)(op) : op));
    add('erp', 'work_order.upserted', order.id, { ...order, operations });
  }
  for (const receipt of problem.receipts ?? []) add('erp', 'receipt.upserted', receipt.id, receipt);
  for (const lot of problem.lots ?? []) add('wms', 'lot.upserted', lot.id, lot);
  for (const hold of problem.holds ?? []) add('qms', 'hold.placed', hold.id, hold);
  for (const order of problem.workOrders) {
    for (const op of order.operations) {
      const key = `${order.id}/${op.id}`;
      const workCenter = op.progress?.workCenter ?? op.modes[0]!.workCenter;
      const unit = op.progress?.unit ?? 1;
      if (op.status === 'started') {
        add('mes', 'operation.started', key, {
          workOrder: order.id, operation: op.id, workCenter, unit, ...(op.progress?.startedAt !== undefined && { startedAt: op.progress.startedAt }),
        });
        if (op.progress?.quantityDone !== undefined) {
          add('mes', 'operation.progressed', key, { workOrder: order.id, operation: op.id, quantityGood: op.progress.quantityDone });
        }
      } else if (op.status === 'completed') {
        add('mes', 'operation.completed', key, { workOrder: order.id, operation: op.id, workCenter, unit, quantityGood: order.quantity });
      }
    }
  }
  return events;
}

/**
 * Moves every instant of a problem by whole weeks so that a fixed example lands around `now`
 * with its weekdays (and so its shifts) where they were.
 */
export function shiftProblemToWeekOf(problem: PlantProblem, nowMs: number): PlantProblem {
  if (problem.now === undefined) return problem;
  const week = 7 * 24 * 60 * 60 * 1000;
  const weeks = Math.floor((nowMs - Date.parse(problem.now)) / week);
  const deltaMs = weeks * week;
  return shiftInstants(problem, deltaMs) as PlantProblem;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function shiftInstants(value: unknown, deltaMs: number): unknown {
  if (typeof value === 'string') {
    if (INSTANT.test(value)) return new Date(Date.parse(value) + deltaMs).toISOString();
    if (LOCAL_DATE.test(value)) return new Date(Date.parse(`${value}T12:00:00Z`) + deltaMs).toISOString().slice(0, 10);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => shiftInstants(v, deltaMs));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftInstants(v, deltaMs)]));
  }
  return value;
}
