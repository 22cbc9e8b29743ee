/**
 * Plant problem → engine model: ISO instants become minutes from `now`, calendars become
 * working time per machine, ids become indexes. Bad data is reported (with its path) and the
 * entity it concerns is left out; nothing here throws on user input.
 */
import { expandCalendar, validateCalendar } from './calendar/expand.ts';
import { WorkingTime, type Interval } from './calendar/working-time.ts';
import type {
  DemandModel, FixedPlacement, ModeModel, Model, OperationModel, OrderModel, ResourceModel, SupplyModel, WorkCenterModel,
} from './model.ts';
import { toMinute } from './model.ts';
import type { OperationSpec, PlantProblem, WorkOrderSpec } from './problem.ts';
import type { Problem } from './result.ts';
import { resolveStandardTimes } from './standard-times.ts';
import { Findings } from './validate.ts';

export const DEFAULT_HORIZON_DAYS = 365;

export interface Compiled {
  readonly model: Model;
  readonly problems: readonly Problem[];
  /** Orders left out of the model because their data is unusable (reported in problems). */
  readonly rejectedOrders: ReadonlySet<string>;
}

export type CompileOutcome = { readonly ok: true; readonly compiled: Compiled } | { readonly ok: false; readonly problems: readonly Problem[] };

export function compileProblem(problem: PlantProblem, nowMs: number): CompileOutcome {
  const findings = new Findings();
  if (!hasProblemShape(problem)) {
    findings.check(false, '', 'a problem needs plant, calendars, workCenters and workOrders');
    return { ok: false, problems: findings.list };
  }
  const plant = problem.plant;
  const horizonDays = plant.horizonDays ?? DEFAULT_HORIZON_DAYS;
  findings.check(typeof plant.timeZone === 'string' && isKnownZone(plant.timeZone), 'plant.timeZone', 'must be an IANA time zone');
  findings.check(Number.isFinite(horizonDays) && horizonDays > 0, 'plant.horizonDays', 'must be a positive number');
  if (findings.list.length > 0) return { ok: false, problems: findings.list };

  const problems: Problem[] = [];
  const unknown = (path: string, kind: string, key: string): void => {
    problems.push({ type: 'unknown-reference', path, kind, key });
  };
  const base = { nowMs };
  const horizon = Math.round(horizonDays * 1440);

  // Calendars → working time.
  findings.uniqueIds(problem.calendars, 'calendars');
  const calendarTime = new Map<string, WorkingTime>();
  problem.calendars.forEach((calendar, i) => {
    const issues = validateCalendar(calendar, plant.timeZone);
    for (const issue of issues) findings.check(false, `calendars[${i}]${issue.path ? `.${issue.path}` : ''}`, issue.message, calendar.id);
    if (issues.length === 0) calendarTime.set(calendar.id, new WorkingTime(expandCalendar(calendar, plant.timeZone, nowMs, horizon)));
  });

  // Work centers → one resource per unit, working time less downtime.
  findings.uniqueIds(problem.workCenters, 'workCenters');
  const resources: ResourceModel[] = [];
  const workCenters: WorkCenterModel[] = [];
  const workCenterIndex = new Map<string, number>();
  problem.workCenters.forEach((wc, i) => {
    const path = `workCenters[${i}]`;
    const unitsOk = findings.check(Number.isInteger(wc.units) && wc.units >= 1, `${path}.units`, 'must be an integer ≥ 1', wc.id);
    const working = calendarTime.get(wc.calendar);
    if (!working) {
      if (!problem.calendars.some((c) => c.id === wc.calendar)) unknown(`${path}.calendar`, 'calendar', wc.calendar);
      return;
    }
    if (!unitsOk || workCenterIndex.has(wc.id)) return;
    const downtimes = (wc.downtimes ?? []).filter((d, j) =>
      findings.instant(d.start, `${path}.downtimes[${j}].start`, wc.id) && findings.instant(d.end, `${path}.downtimes[${j}].end`, wc.id));
    const index = workCenters.length;
    const unitResources: number[] = [];
    for (let unit = 1; unit <= wc.units; unit++) {
      const removed: Interval[] = downtimes
        .filter((d) => d.unit === undefined || d.unit === unit)
        .map((d) => [toMinute(base, d.start), toMinute(base, d.end)] as const);
      unitResources.push(resources.length);
      resources.push({ workCenter: index, unit, working: working.without(removed) });
    }
    workCenterIndex.set(wc.id, index);
    workCenters.push({ id: wc.id, resources: unitResources });
  });

  const items = new Set((problem.items ?? []).map((item) => item.id));
  const itemKnown = (item: string): boolean => items.size === 0 || items.has(item);

  // Holds.
  const holds = problem.holds ?? [];
  const heldLots = new Set<string>();
  const heldItems = new Set<string>();
  const orderHolds = new Map<string, string[]>();
  holds.forEach((hold) => {
    if (hold.target.kind === 'lot') heldLots.add(hold.target.id);
    else if (hold.target.kind === 'item') heldItems.add(hold.target.id);
    else orderHolds.set(hold.target.id, [...(orderHolds.get(hold.target.id) ?? []), hold.id]);
  });

  // Orders and operations (standard times resolved to modes first).
  const standards = resolveStandardTimes(problem);
  problems.push(...standards.problems);
  findings.uniqueIds(problem.workOrders, 'workOrders');
  const orders: OrderModel[] = [];
  const operations: OperationModel[] = [];
  const demands: DemandModel[] = [];
  const rejectedOrders = new Set<string>(standards.rejected);
  const previousByKey = new Map((problem.previous ?? []).map((p) => [`${p.workOrder}\u0000${p.operation}`, p]));
  const previous = new Map<number, { resource: number; start: number }>();
  const frozenUntil = plant.frozenWindowMinutes ?? 0;
  const seenOrders = new Set<string>();

  standards.workOrders.forEach((order, i) => {
    const path = `workOrders[${i}]`;
    if (order.status === 'cancelled' || order.status === 'closed' || seenOrders.has(order.id) || standards.rejected.has(order.id)) return;
    seenOrders.add(order.id);
    const before = findings.list.length + problems.length;
    checkOrder(order, path, findings);
    if (!itemKnown(order.item)) unknown(`${path}.item`, 'item', order.item);
    order.operations?.forEach((op, k) => op.modes?.forEach((mode, m) => {
      if (!workCenterIndex.has(mode.workCenter)) unknown(`${path}.operations[${k}].modes[${m}].workCenter`, 'work center', mode.workCenter);
    }));
    order.materials?.forEach((req, k) => {
      if (!itemKnown(req.item)) unknown(`${path}.materials[${k}].item`, 'item', req.item);
      if (req.operation !== undefined && !order.operations.some((op) => op.id === req.operation)) unknown(`${path}.materials[${k}].operation`, 'operation', req.operation);
    });
    if (findings.list.length + problems.length > before) {
      rejectedOrders.add(order.id);
      return;
    }

    const orderIndex = orders.length;
    const completed = order.status === 'completed' || order.operations.every((op) => op.status === 'completed');
    const opIndexes: number[] = [];
    order.operations.forEach((op, k) => {
      if (completed || op.status === 'completed') return;
      const opPath = `${path}.operations[${k}]`;
      const quantity = remainingQuantity(order, op);
      const modes = op.modes.map((mode): ModeModel => {
        const setup = op.status === 'started' ? 0 : (mode.setupMinutes ?? 0);
        return { workCenter: workCenterIndex.get(mode.workCenter)!, setup, duration: Math.ceil(setup + quantity * mode.runMinutesPerUnit) };
      });
      const index = operations.length;
      const fixed = fixedPlacement(op, opPath, order.id, workCenters, workCenterIndex, base, findings, problems);
      const prev = previousByKey.get(`${order.id}\u0000${op.id}`);
      let frozen: FixedPlacement | null = null;
      if (prev) {
        const resource = resourceOf(workCenters, workCenterIndex, prev.workCenter, prev.unit);
        const start = toMinute(base, prev.start);
        if (resource !== null) {
          previous.set(index, { resource, start });
          if (!fixed && frozenUntil > 0 && start >= 0 && start < frozenUntil && modes.some((m) => m.workCenter === resources[resource]!.workCenter)) {
            frozen = { resource, start, by: 'frozen' };
          }
        }
      }
      const consumed = (order.materials ?? []).filter((req) => (req.operation ?? order.operations[0]!.id) === op.id);
      const demandIndexes = op.status === 'started' ? [] : consumed.map((req) => {
        demands.push({ order: orderIndex, operation: index, item: req.item, quantity: req.quantity });
        return demands.length - 1;
      });
      operations.push({
        id: op.id, order: orderIndex, seq: k, modes, quantity,
        waitAfter: Math.ceil(op.minWaitAfterMinutes ?? 0),
        nonInterruptible: op.nonInterruptible === true,
        fixed: fixed ?? frozen,
        demands: demandIndexes,
      });
      opIndexes.push(index);
    });
    orders.push({
      id: order.id, item: order.item, quantity: order.quantity,
      due: toMinute(base, order.due),
      release: order.release === undefined ? 0 : Math.max(0, toMinute(base, order.release)),
      weight: order.priority ?? 1,
      operations: opIndexes,
      heldBy: orderHolds.get(order.id) ?? [],
      completed,
    });
  });

  const supplies = collectSupplies(problem, base, orders, operations, heldLots, heldItems, findings);
  const model: Model = {
    nowMs, horizon, objective: plant.objective ?? 'weighted-tardiness',
    resources, workCenters, orders, operations, demands, supplies, previous,
  };
  return { ok: true, compiled: { model, problems: [...findings.list, ...problems], rejectedOrders } };
}

function checkOrder(order: WorkOrderSpec, path: string, findings: Findings): void {
  findings.quantity(order.quantity, `${path}.quantity`, order.id);
  findings.instant(order.due, `${path}.due`, order.id);
  if (order.release !== undefined) findings.instant(order.release, `${path}.release`, order.id);
  if (order.priority !== undefined) findings.check(Number.isFinite(order.priority) && order.priority > 0, `${path}.priority`, 'must be a number > 0', order.id);
  if (!findings.check(Array.isArray(order.operations) && order.operations.length > 0, `${path}.operations`, 'must list at least one operation', order.id)) return;
  const ids = new Set<string>();
  order.operations.forEach((op, k) => {
    const opPath = `${path}.operations[${k}]`;
    findings.check(!ids.has(op.id), `${opPath}.id`, `duplicate operation id "${op.id}"`, order.id);
    ids.add(op.id);
    if (!findings.check(Array.isArray(op.modes) && op.modes.length > 0, `${opPath}.modes`, 'must list at least one work center', order.id)) return;
    op.modes.forEach((mode, m) => {
      findings.quantity(mode.runMinutesPerUnit, `${opPath}.modes[${m}].runMinutesPerUnit`, order.id);
      if (mode.setupMinutes !== undefined) findings.quantity(mode.setupMinutes, `${opPath}.modes[${m}].setupMinutes`, order.id);
    });
    if (op.minWaitAfterMinutes !== undefined) findings.quantity(op.minWaitAfterMinutes, `${opPath}.minWaitAfterMinutes`, order.id);
    if (op.pin) findings.instant(op.pin.start, `${opPath}.pin.start`, order.id);
    if (op.progress?.startedAt !== undefined) findings.instant(op.progress.startedAt, `${opPath}.progress.startedAt`, order.id);
    if (op.progress?.quantityDone !== undefined) findings.quantity(op.progress.quantityDone, `${opPath}.progress.quantityDone`, order.id);
  });
  (order.materials ?? []).forEach((req, k) => findings.quantity(req.quantity, `${path}.materials[${k}].quantity`, order.id));
}

function remainingQuantity(order: WorkOrderSpec, op: OperationSpec): number {
  if (op.status !== 'started') return order.quantity;
  return Math.max(0, order.quantity - (op.progress?.quantityDone ?? 0));
}

function resourceOf(workCenters: readonly WorkCenterModel[], index: ReadonlyMap<string, number>, workCenter: string, unit: number | undefined): number | null {
  const wc = index.get(workCenter);
  if (wc === undefined) return null;
  return workCenters[wc]!.resources[(unit ?? 1) - 1] ?? null;
}

/** Started work stays where it runs; a pin puts an operation on a machine at a time. */
function fixedPlacement(
  op: OperationSpec, path: string, orderId: string, workCenters: readonly WorkCenterModel[], index: ReadonlyMap<string, number>,
  base: { nowMs: number }, findings: Findings, problems: Problem[],
): FixedPlacement | null {
  if (op.status === 'started') {
    const where = op.progress?.workCenter ?? op.modes[0]!.workCenter;
    const resource = resourceOf(workCenters, index, where, op.progress?.unit);
    if (resource === null || !op.modes.some((m) => m.workCenter === where)) {
      findings.check(false, `${path}.progress.workCenter`, `started on "${where}", which is not one of the operation's work centers or units`, orderId);
      return null;
    }
    const reported = op.progress?.startedAt;
    return reported === undefined ? { resource, start: 0, by: 'started' } : { resource, start: 0, by: 'started', reportedStartIso: reported };
  }
  if (op.pin) {
    const resource = resourceOf(workCenters, index, op.pin.workCenter, op.pin.unit);
    if (resource === null || !op.modes.some((m) => m.workCenter === op.pin!.workCenter)) {
      problems.push({ type: 'pin-conflict', workOrder: orderId, operation: op.id, message: `pinned to "${op.pin.workCenter}" unit ${op.pin.unit ?? 1}, which the operation cannot use; scheduled freely` });
      return null;
    }
    const start = toMinute(base, op.pin.start);
    if (start < 0) problems.push({ type: 'pin-conflict', workOrder: orderId, operation: op.id, message: `pinned to start ${op.pin.start}, before now; kept at now` });
    return { resource, start: Math.max(0, start), by: 'pinned' };
  }
  return null;
}

/** Lots that are available and not held, receipts, and the output of open orders. */
function collectSupplies(
  problem: PlantProblem, base: { nowMs: number }, orders: readonly OrderModel[], operations: readonly OperationModel[],
  heldLots: ReadonlySet<string>, heldItems: ReadonlySet<string>, findings: Findings,
): SupplyModel[] {
  const supplies: SupplyModel[] = [];
  (problem.lots ?? []).forEach((lot, i) => {
    if (!findings.quantity(lot.quantity, `lots[${i}].quantity`, lot.id)) return;
    if (lot.expiresAt !== undefined && !findings.instant(lot.expiresAt, `lots[${i}].expiresAt`, lot.id)) return;
    if (lot.status !== 'available' || heldLots.has(lot.id) || heldItems.has(lot.item)) return;
    const expiresAt = lot.expiresAt === undefined ? null : toMinute(base, lot.expiresAt);
    if (expiresAt !== null && expiresAt <= 0) return;
    supplies.push({ id: lot.id, kind: 'lot', item: lot.item, quantity: lot.quantity, availableAt: 0, expiresAt, producer: null });
  });
  (problem.receipts ?? []).forEach((receipt, i) => {
    if (!findings.quantity(receipt.quantity, `receipts[${i}].quantity`, receipt.id)) return;
    if (!findings.instant(receipt.expectedAt, `receipts[${i}].expectedAt`, receipt.id)) return;
    if (heldItems.has(receipt.item)) return;
    supplies.push({ id: receipt.id, kind: 'receipt', item: receipt.item, quantity: receipt.quantity, availableAt: Math.max(0, toMinute(base, receipt.expectedAt)), expiresAt: null, producer: null });
  });
  orders.forEach((order, index) => {
    if (order.completed || order.heldBy.length > 0 || heldItems.has(order.item)) return;
    const work = order.operations.reduce((sum, op) => sum + Math.min(...operations[op]!.modes.map((m) => m.duration)), 0);
    supplies.push({ id: order.id, kind: 'order', item: order.item, quantity: order.quantity, availableAt: order.release + work, expiresAt: null, producer: index });
  });
  return supplies;
}

/** Checked on `unknown` so that Array.isArray does not widen the typed lists to any[]. */
function hasProblemShape(value: unknown): boolean {
  const p = value as Record<string, unknown> | null;
  return typeof p === 'object' && p !== null && typeof p.plant === 'object' && p.plant !== null
    && Array.isArray(p.calendars) && Array.isArray(p.workCenters) && Array.isArray(p.workOrders);
}

function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
