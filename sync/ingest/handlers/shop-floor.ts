/**
 * MES reports: operation starts, progress and completions (one object per work order and
 * operation), and breakdowns. Quantities are cumulative, so a re-sent report changes nothing.
 * What a report may not claim is in `shop-floor-rules.ts`.
 */
import type { PlantNeeds } from '../batch/needs.ts';
import type { PlantView } from '../batch/view.ts';
import type { ProgressRecord } from '../../store/operation-progress.ts';
import type { RoutingStep } from '../../store/work-orders.ts';
import type { Rejection } from '../validate.ts';
import { invalidData, unknownReference, type EventHandler } from './handler.ts';
import { requireNotBefore, requireNotCompleted, requireOpenOrder, requirePlausibleQuantity } from './shop-floor-rules.ts';

interface OperationRef {
  readonly workOrder: string;
  readonly operation: string;
  readonly workCenter?: string;
}

const operationObject = (d: OperationRef) => ({ kind: 'operation', key: JSON.stringify([d.workOrder, d.operation]) });

/** Routing, stored progress and the named machine (the stored machine's units come with the progress). */
function operationNeeds(d: OperationRef, needs: PlantNeeds): void {
  needs.routing(d.workOrder);
  needs.progress(d.workOrder);
  if (d.workCenter !== undefined) needs.workCenter(d.workCenter);
}

function findStep(view: PlantView, workOrder: string, operation: string): RoutingStep | Rejection {
  const routing = view.routing(workOrder);
  if (routing === null) return unknownReference('work order', workOrder, 'data.workOrder');
  return routing.find((s) => s.id === operation) ?? unknownReference('operation', operation, 'data.operation');
}

const isStep = (found: RoutingStep | Rejection): found is RoutingStep => !('code' in found);

/** The machine the MES names must be one the operation can run on, and the unit must exist. */
function checkPlace(view: PlantView, step: RoutingStep, workCenter: string, unit: number | undefined): Rejection | null {
  const units = view.workCenterUnits(workCenter);
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
  needs: operationNeeds,
  plan({ view, plant, event }, d) {
    const step = findStep(view, d.workOrder, d.operation);
    if (!isStep(step)) return step;
    const place = checkPlace(view, step, d.workCenter, d.unit);
    if (place) return place;
    const found = view.progress(d.workOrder, d.operation);
    const refused = requireOpenOrder(view, d.workOrder) ?? requireNotCompleted(found, 'start');
    if (refused) return refused;
    const stored = found ?? emptyProgress(d.workOrder, d.operation);
    return [{
      kind: 'progress',
      plant,
      record: {
        ...stored,
        status: 'started',
        workCenter: d.workCenter,
        unit: d.unit ?? null,
        startedAt: d.startedAt ?? event.occurredAt,
        completedAt: null,
      },
    }];
  },
};

export const operationProgressed: EventHandler<'operation.progressed'> = {
  object: operationObject,
  needs: operationNeeds,
  plan({ view, plant, event }, d) {
    const step = findStep(view, d.workOrder, d.operation);
    if (!isStep(step)) return step;
    const stored = view.progress(d.workOrder, d.operation);
    const refused = requireOpenOrder(view, d.workOrder) ?? requireNotCompleted(stored, 'progress')
      ?? requirePlausibleQuantity(view, d.workOrder, d.quantityGood, d.quantityScrap ?? stored?.quantityScrap ?? 0, { good: true, scrap: d.quantityScrap !== undefined });
    if (refused) return refused;
    const workCenter = d.workCenter ?? stored?.workCenter ?? null;
    if (workCenter === null) {
      return { code: 'operation-not-started', field: 'data.workCenter', reason: 'no start was reported for this operation: give workCenter' };
    }
    const place = checkPlace(view, step, workCenter, d.unit ?? stored?.unit ?? undefined);
    if (place) return place;
    const base = stored ?? emptyProgress(d.workOrder, d.operation);
    return [{
      kind: 'progress',
      plant,
      record: {
        ...base,
        workCenter,
        unit: d.unit ?? base.unit,
        startedAt: base.startedAt ?? event.occurredAt,
        quantityGood: d.quantityGood,
        quantityScrap: d.quantityScrap ?? base.quantityScrap,
      },
    }];
  },
};

export const operationCompleted: EventHandler<'operation.completed'> = {
  object: operationObject,
  needs: operationNeeds,
  plan({ view, plant, event }, d) {
    const step = findStep(view, d.workOrder, d.operation);
    if (!isStep(step)) return step;
    if (d.workCenter !== undefined) {
      const place = checkPlace(view, step, d.workCenter, d.unit);
      if (place) return place;
    }
    const base = view.progress(d.workOrder, d.operation) ?? emptyProgress(d.workOrder, d.operation);
    const completedAt = d.completedAt ?? event.occurredAt;
    const good = d.quantityGood ?? base.quantityGood;
    const scrap = d.quantityScrap ?? base.quantityScrap;
    const refused = requireOpenOrder(view, d.workOrder)
      ?? requirePlausibleQuantity(view, d.workOrder, good, scrap, { good: d.quantityGood !== undefined, scrap: d.quantityScrap !== undefined })
      ?? requireNotBefore(base.startedAt, completedAt, d.completedAt !== undefined ? 'data.completedAt' : 'occurredAt', 'completion');
    if (refused) return refused;
    return [{
      kind: 'progress',
      plant,
      record: {
        ...base,
        status: 'completed',
        workCenter: d.workCenter ?? base.workCenter,
        unit: d.unit ?? base.unit,
        completedAt,
        quantityGood: good,
        quantityScrap: scrap,
      },
    }];
  },
};

export const downtimeStarted: EventHandler<'downtime.started'> = {
  object: (d) => ({ kind: 'downtime', key: d.id }),
  needs: (d, needs) => needs.workCenter(d.workCenter),
  plan({ view, plant, event }, d) {
    const units = view.workCenterUnits(d.workCenter);
    if (units === null) return unknownReference('work center', d.workCenter, 'data.workCenter');
    if (d.unit !== undefined && d.unit > units) return invalidData('data.unit', `work center "${d.workCenter}" has ${units} unit(s)`);
    const start = d.start ?? event.occurredAt;
    if (Date.parse(d.expectedEnd) <= Date.parse(start)) return invalidData('data.expectedEnd', 'expectedEnd must be after the start');
    return [{
      kind: 'downtime',
      plant,
      downtime: {
        id: d.id,
        workCenter: d.workCenter,
        ...(d.unit !== undefined && { unit: d.unit }),
        start,
        end: d.expectedEnd,
        ...(d.reason !== undefined && { reason: d.reason }),
      },
    }];
  },
};

export const downtimeEnded: EventHandler<'downtime.ended'> = {
  object: (d) => ({ kind: 'downtime', key: d.id }),
  needs: (d, needs) => needs.key('downtimes', d.id),
  plan({ view, plant, event }, d) {
    if (!view.has('downtimes', d.id)) return unknownReference('downtime', d.id, 'data.id');
    const end = d.end ?? event.occurredAt;
    const refused = requireNotBefore(view.downtimeStart(d.id), end, d.end !== undefined ? 'data.end' : 'occurredAt', 'downtime end');
    if (refused) return refused;
    return [{ kind: 'downtime-end', plant, id: d.id, end }];
  },
};
