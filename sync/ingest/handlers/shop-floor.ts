/**
 * MES reports: operation starts, progress and completions (one object per work order and
 * operation), and breakdowns. Quantities are cumulative, so a re-sent report changes nothing.
 */
import type { Db } from '../../store/database.ts';
import { endDowntime, startDowntime } from '../../store/downtimes.ts';
import { getProgress, saveProgress, type ProgressRecord } from '../../store/operation-progress.ts';
import { getWorkCenterUnits } from '../../store/work-centers.ts';
import { getRouting, type RoutingStep } from '../../store/work-orders.ts';
import type { Rejection } from '../validate.ts';
import { invalidData, unknownReference, type EventHandler } from './handler.ts';

const operationObject = (d: { readonly workOrder: string; readonly operation: string }) =>
  ({ kind: 'operation', key: JSON.stringify([d.workOrder, d.operation]) });

type Found<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rejection: Rejection };

async function findStep(db: Db, plant: string, workOrder: string, operation: string): Promise<Found<RoutingStep>> {
  const routing = await getRouting(db, plant, workOrder);
  if (routing === null) return { ok: false, rejection: unknownReference('work order', workOrder, 'data.workOrder') };
  const step = routing.find((s) => s.id === operation);
  if (step === undefined) return { ok: false, rejection: unknownReference('operation', operation, 'data.operation') };
  return { ok: true, value: step };
}

/** The machine the MES names must be one the operation can run on, and the unit must exist. */
async function checkPlace(db: Db, plant: string, step: RoutingStep, workCenter: string, unit: number | undefined): Promise<Rejection | null> {
  const units = await getWorkCenterUnits(db, plant, workCenter);
  if (units === null) return unknownReference('work center', workCenter, 'data.workCenter');
  if (!step.workCenters.includes(workCenter)) {
    return invalidData('data.workCenter', `operation "${step.id}" does not run on work center "${workCenter}"`);
  }
  if (unit !== undefined && unit > units) return invalidData('data.unit', `work center "${workCenter}" has ${units} unit(s)`);
  return null;
}

function emptyProgress(workOrder: string, operation: string): ProgressRecord {
  return {
    workOrder, operation, status: 'started', workCenter: null, unit: null,
    startedAt: null, completedAt: null, quantityGood: 0, quantityScrap: 0,
  };
}

export const operationStarted: EventHandler<'operation.started'> = {
  object: operationObject,
  async apply({ db, plant, event }, d) {
    const step = await findStep(db, plant, d.workOrder, d.operation);
    if (!step.ok) return step.rejection;
    const place = await checkPlace(db, plant, step.value, d.workCenter, d.unit);
    if (place) return place;
    const stored = (await getProgress(db, plant, d)) ?? emptyProgress(d.workOrder, d.operation);
    await saveProgress(db, plant, {
      ...stored,
      status: 'started',
      workCenter: d.workCenter,
      unit: d.unit ?? null,
      startedAt: d.startedAt ?? event.occurredAt,
      completedAt: null,
    });
    return null;
  },
};

export const operationProgressed: EventHandler<'operation.progressed'> = {
  object: operationObject,
  async apply({ db, plant, event }, d) {
    const step = await findStep(db, plant, d.workOrder, d.operation);
    if (!step.ok) return step.rejection;
    const stored = await getProgress(db, plant, d);
    const workCenter = d.workCenter ?? stored?.workCenter ?? null;
    if (workCenter === null) {
      return { code: 'operation-not-started', field: 'data.workCenter', reason: 'no start was reported for this operation: give workCenter' };
    }
    const place = await checkPlace(db, plant, step.value, workCenter, d.unit ?? stored?.unit ?? undefined);
    if (place) return place;
    const base = stored ?? emptyProgress(d.workOrder, d.operation);
    await saveProgress(db, plant, {
      ...base,
      workCenter,
      unit: d.unit ?? base.unit,
      startedAt: base.startedAt ?? event.occurredAt,
      quantityGood: d.quantityGood,
      quantityScrap: d.quantityScrap ?? base.quantityScrap,
    });
    return null;
  },
};

export const operationCompleted: EventHandler<'operation.completed'> = {
  object: operationObject,
  async apply({ db, plant, event }, d) {
    const step = await findStep(db, plant, d.workOrder, d.operation);
    if (!step.ok) return step.rejection;
    if (d.workCenter !== undefined) {
      const place = await checkPlace(db, plant, step.value, d.workCenter, d.unit);
      if (place) return place;
    }
    const base = (await getProgress(db, plant, d)) ?? emptyProgress(d.workOrder, d.operation);
    await saveProgress(db, plant, {
      ...base,
      status: 'completed',
      workCenter: d.workCenter ?? base.workCenter,
      unit: d.unit ?? base.unit,
      completedAt: d.completedAt ?? event.occurredAt,
      quantityGood: d.quantityGood ?? base.quantityGood,
      quantityScrap: d.quantityScrap ?? base.quantityScrap,
    });
    return null;
  },
};

export const downtimeStarted: EventHandler<'downtime.started'> = {
  object: (d) => ({ kind: 'downtime', key: d.id }),
  async apply({ db, plant, event }, d) {
    const units = await getWorkCenterUnits(db, plant, d.workCenter);
    if (units === null) return unknownReference('work center', d.workCenter, 'data.workCenter');
    if (d.unit !== undefined && d.unit > units) return invalidData('data.unit', `work center "${d.workCenter}" has ${units} unit(s)`);
    const start = d.start ?? event.occurredAt;
    if (Date.parse(d.expectedEnd) <= Date.parse(start)) return invalidData('data.expectedEnd', 'expectedEnd must be after the start');
    await startDowntime(db, plant, {
      id: d.id,
      workCenter: d.workCenter,
      ...(d.unit !== undefined && { unit: d.unit }),
      start,
      end: d.expectedEnd,
      ...(d.reason !== undefined && { reason: d.reason }),
    });
    return null;
  },
};

export const downtimeEnded: EventHandler<'downtime.ended'> = {
  object: (d) => ({ kind: 'downtime', key: d.id }),
  async apply({ db, plant, event }, d) {
    const found = await endDowntime(db, plant, d.id, d.end ?? event.occurredAt);
    return found ? null : unknownReference('downtime', d.id, 'data.id');
  },
};
