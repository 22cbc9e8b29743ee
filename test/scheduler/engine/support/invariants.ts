/**
 * Checks a SolveResult against its PlantProblem from the outside: every rule the schedule
 * must keep, recomputed from the problem (working time from the calendar spec, material from
 * lots, receipts and planned order ends). Returns the violations as readable lines; [] is good.
 * Assumes a UTC plant whose calendars `workingMinutesUtc` understands.
 */
import type { OperationSpec, PlantProblem, WorkOrderSpec } from '../../../../scheduler/problem.ts';
import type { Problem, ScheduledOperation, SolveResult } from '../../../../scheduler/result.ts';
import { workingMinutesUtc, type WorkingMinutes } from './working-minutes.ts';

const MINUTE_MS = 60_000;

interface Placed {
  readonly op: ScheduledOperation;
  /** Minutes from now; for a started operation, where its remaining work resumes. */
  readonly start: number;
  readonly end: number;
}

export function checkInvariants(problem: PlantProblem, result: SolveResult, nowMs: number): string[] {
  const violations: string[] = [];
  const fail = (message: string): void => {
    violations.push(message);
  };
  const minute = (iso: string): number => Math.round((Date.parse(iso) - nowMs) / MINUTE_MS);
  const horizon = Math.round((problem.plant.horizonDays ?? 365) * 1440);

  const working = new Map<string, WorkingMinutes>();
  const workingOf = (workCenter: string, unit: number): WorkingMinutes => {
    const key = `${workCenter}#${unit}`;
    let wm = working.get(key);
    if (!wm) {
      const wc = problem.workCenters.find((w) => w.id === workCenter)!;
      const calendar = problem.calendars.find((c) => c.id === wc.calendar)!;
      wm = workingMinutesUtc(calendar, wc.downtimes ?? [], unit, nowMs, horizon);
      working.set(key, wm);
    }
    return wm;
  };

  const active = problem.workOrders.filter((o) => o.status !== 'cancelled' && o.status !== 'closed');
  const orderSpec = new Map(active.map((o) => [o.id, o]));
  const heldOrders = new Map<string, string[]>();
  for (const h of problem.holds ?? []) {
    if (h.target.kind === 'work_order') heldOrders.set(h.target.id, [...(heldOrders.get(h.target.id) ?? []), h.id]);
  }
  const heldLots = new Set((problem.holds ?? []).filter((h) => h.target.kind === 'lot').map((h) => h.target.id));
  const heldItems = new Set((problem.holds ?? []).filter((h) => h.target.kind === 'item').map((h) => h.target.id));
  const problemsOf = (order: string): Problem[] =>
    result.problems.filter((p) => ('workOrder' in p && p.workOrder === order) || ('entity' in p && p.entity === order));
  const hasProblem = (type: Problem['type'], order: string, operation?: string): boolean =>
    problemsOf(order).some((p) => p.type === type && (operation === undefined || ('operation' in p && p.operation === operation)));

  // Operations: known, on an allowed machine, work in working time, the right duration.
  const placed = new Map<string, Placed>();
  for (const op of result.operations) {
    const key = `${op.workOrder}/${op.operation}`;
    if (placed.has(key)) fail(`${key} placed twice`);
    const order = orderSpec.get(op.workOrder);
    const spec = order?.operations.find((o) => o.id === op.operation);
    if (!order || !spec) {
      fail(`${key} is not an open operation of the problem`);
      continue;
    }
    const mode = spec.modes.find((m) => m.workCenter === op.workCenter);
    const wc = problem.workCenters.find((w) => w.id === op.workCenter);
    if (!mode || !wc || op.unit < 1 || op.unit > wc.units) {
      fail(`${key} on ${op.workCenter}#${op.unit}, not one of its machines`);
      continue;
    }
    const started = spec.status === 'started';
    const wm = workingOf(op.workCenter, op.unit);
    // A started operation shows the MES's start; where it resumes follows from its end and work.
    const end = minute(op.end);
    const start = started ? wm.startOf(end, op.workMinutes) : minute(op.start);
    placed.set(key, { op, start, end });
    const quantity = started ? Math.max(0, order.quantity - (spec.progress?.quantityDone ?? 0)) : order.quantity;
    const expected = Math.ceil((started ? 0 : (mode.setupMinutes ?? 0)) + quantity * mode.runMinutesPerUnit);
    if (op.workMinutes !== expected) fail(`${key} workMinutes ${op.workMinutes}, expected setup + quantity × rate = ${expected}`);
    if (start < 0) fail(`${key} starts before now (${start})`);
    if (end > horizon) fail(`${key} ends past the horizon`);
    const work = wm.between(start, end);
    if (work !== op.workMinutes) fail(`${key} [${start}, ${end}) on ${op.workCenter}#${op.unit} holds ${work} working minutes, not ${op.workMinutes}`);
    if (op.workMinutes > 0 && (!wm.flags[start] || !wm.flags[end - 1])) fail(`${key} [${start}, ${end}) does not start and end in working time`);
    if (spec.nonInterruptible && op.fixedBy === 'planned' && work !== end - start) fail(`${key} is non-interruptible but [${start}, ${end}) pauses`);
  }

  // Capacity: one operation at a time per unit.
  const byUnit = new Map<string, Placed[]>();
  for (const p of placed.values()) {
    if (p.end <= p.start) continue;
    const key = `${p.op.workCenter}#${p.op.unit}`;
    byUnit.set(key, [...(byUnit.get(key) ?? []), p]);
  }
  for (const [unit, list] of byUnit) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1]!;
      const b = list[i]!;
      if (b.start < a.end) {
        fail(`${unit}: ${a.op.workOrder}/${a.op.operation} [${a.start}, ${a.end}) overlaps ${b.op.workOrder}/${b.op.operation} [${b.start}, ${b.end})`);
      }
    }
  }

  // Orders: one answer each; scheduled with every open operation, unscheduled with a problem, or completed.
  const answers = new Map(result.orders.map((o) => [o.workOrder, o]));
  if (answers.size !== result.orders.length) fail('an order is answered twice');
  active.forEach((order) => {
    const answer = answers.get(order.id);
    if (!answer) return fail(`${order.id} has no answer`);
    const open = openOperations(order);
    const ops = open.map((op) => placed.get(`${order.id}/${op.id}`));
    const completed = order.status === 'completed' || open.length === 0;
    if (completed) {
      if (answer.status !== 'completed') fail(`${order.id} is completed but answered ${answer.status}`);
      return;
    }
    const holds = heldOrders.get(order.id);
    if (holds) {
      if (answer.status !== 'unscheduled') fail(`${order.id} is held but ${answer.status}`);
      if (!answer.reasons.some((r) => r.kind === 'hold' && holds.includes(r.hold))) fail(`${order.id} is held but its reasons name no hold`);
      if (!holds.every((h) => hasProblem('hold', order.id) && result.problems.some((p) => p.type === 'hold' && p.hold === h))) fail(`${order.id} hold not reported`);
    }
    if (answer.status === 'scheduled') {
      if (ops.some((p) => p === undefined)) return fail(`${order.id} is scheduled but not every open operation is placed`);
      const starts = ops.map((p) => p!.start);
      const ends = ops.map((p) => p!.end);
      if (answer.plannedEnd === null || minute(answer.plannedEnd) !== Math.max(...ends)) fail(`${order.id} plannedEnd is not its last operation's end`);
      if (answer.plannedStart === null || minute(answer.plannedStart) !== Math.min(...starts)) fail(`${order.id} plannedStart is not its first operation's start`);
      if (answer.latenessMinutes !== Math.max(...ends) - minute(order.due)) fail(`${order.id} lateness is not plannedEnd - due`);
      checkRouting(order, open, ops as Placed[], minute, hasProblem, fail);
    } else if (answer.status === 'unscheduled') {
      if (problemsOf(order.id).length === 0 && !result.problems.some((p) => 'path' in p && p.path.startsWith(`workOrders[${problem.workOrders.indexOf(order)}]`))) {
        fail(`${order.id} is unscheduled with no problem`);
      }
      for (const p of ops) if (p && p.op.fixedBy !== 'started') fail(`${order.id} is unscheduled but ${p.op.operation} is placed`);
    } else {
      fail(`${order.id} has open operations but is answered completed`);
    }
  });

  // Shop-floor state: started work stays on its machine; pins and frozen slots hold when they can.
  const frozen = problem.plant.frozenWindowMinutes ?? 0;
  active.forEach((order) => {
    if (order.status === 'completed') return;
    for (const op of openOperations(order)) {
      const key = `${order.id}/${op.id}`;
      const p = placed.get(key);
      if (op.status === 'started') {
        const where = op.progress?.workCenter ?? op.modes[0]!.workCenter;
        const unit = op.progress?.unit ?? 1;
        if (answers.get(order.id)?.status === 'scheduled' && !p) fail(`${key} is started but not placed`);
        if (p && (p.op.workCenter !== where || p.op.unit !== unit || p.op.fixedBy !== 'started')) {
          fail(`${key} started on ${where}#${unit} but placed on ${p.op.workCenter}#${p.op.unit} (${p.op.fixedBy})`);
        }
        continue;
      }
      if (!p) continue;
      const conflict = hasProblem('pin-conflict', order.id, op.id);
      if (op.pin) {
        const at = workingOf(op.pin.workCenter, op.pin.unit ?? 1).next(Math.max(0, minute(op.pin.start)));
        const kept = p.op.fixedBy === 'pinned' && p.op.workCenter === op.pin.workCenter && p.op.unit === (op.pin.unit ?? 1) && p.start === at;
        if (!kept && (!conflict || p.op.fixedBy !== 'planned')) {
          fail(`${key} pinned to ${op.pin.workCenter}#${op.pin.unit ?? 1} at ${at} but placed ${p.op.workCenter}#${p.op.unit} at ${p.start} (${p.op.fixedBy})`);
        }
        continue;
      }
      const prev = (problem.previous ?? []).find((a) => a.workOrder === order.id && a.operation === op.id);
      if (prev && frozen > 0 && minute(prev.start) >= 0 && minute(prev.start) < frozen) {
        const at = workingOf(prev.workCenter, prev.unit).next(minute(prev.start));
        const kept = p.op.fixedBy === 'frozen' && p.op.workCenter === prev.workCenter && p.op.unit === prev.unit && p.start === at;
        if (!kept && (!conflict || p.op.fixedBy !== 'planned')) {
          fail(`${key} frozen at ${prev.workCenter}#${prev.unit} ${at} but placed ${p.op.workCenter}#${p.op.unit} at ${p.start} (${p.op.fixedBy})`);
        }
      } else if (p.op.fixedBy === 'frozen' || p.op.fixedBy === 'pinned') {
        fail(`${key} claims ${p.op.fixedBy} without a pin or a frozen previous slot`);
      }
    }
  });

  violations.push(...materialViolations(problem, result, placed, heldLots, heldItems, minute));
  return violations;
}

function openOperations(order: WorkOrderSpec): OperationSpec[] {
  return order.operations.filter((op) => op.status !== 'completed');
}

/** Routing order, minimum waits and the release date, unless fixed work broke them (and says so). */
function checkRouting(
  order: WorkOrderSpec, open: readonly OperationSpec[], ops: readonly Placed[], minute: (iso: string) => number,
  hasProblem: (type: Problem['type'], order: string, operation?: string) => boolean, fail: (m: string) => void,
): void {
  const release = order.release === undefined ? 0 : Math.max(0, minute(order.release));
  ops.forEach((p, k) => {
    const planned = p.op.fixedBy === 'planned';
    if (planned && p.start < release) fail(`${order.id}/${p.op.operation} starts at ${p.start}, before the release ${release}`);
    if (k === 0) return;
    const before = ops[k - 1]!;
    const ready = before.end + Math.ceil(open[k - 1]!.minWaitAfterMinutes ?? 0);
    // Reality (started, frozen) may contradict the routing, and says so; a pin never does.
    const excused = (p.op.fixedBy === 'started' || p.op.fixedBy === 'frozen') && hasProblem('precedence-violated-by-fixed', order.id, p.op.operation);
    if (p.start < ready && !excused) {
      fail(`${order.id}/${p.op.operation} starts at ${p.start}, before ${before.op.operation} ends + wait (${ready}) [${before.op.fixedBy} → ${p.op.fixedBy}]`);
    }
  });
}

/**
 * Per item, supply (available unheld unexpired lots at now, receipts at their expected time,
 * scheduled orders' output at their planned end) must cover every consumption at its
 * operation's start; lots are drawn earliest-expiry first, which finds a cover when one exists.
 */
function materialViolations(
  problem: PlantProblem, result: SolveResult, placed: ReadonlyMap<string, Placed>,
  heldLots: ReadonlySet<string>, heldItems: ReadonlySet<string>, minute: (iso: string) => number,
): string[] {
  interface Supply { readonly id: string; readonly at: number; readonly expires: number; left: number }
  const supplies = new Map<string, Supply[]>();
  const add = (item: string, supply: Supply): void => {
    if (heldItems.has(item)) return;
    supplies.set(item, [...(supplies.get(item) ?? []), supply]);
  };
  for (const lot of problem.lots ?? []) {
    const expires = lot.expiresAt === undefined ? Infinity : minute(lot.expiresAt);
    if (lot.status === 'available' && !heldLots.has(lot.id) && expires > 0) add(lot.item, { id: lot.id, at: 0, expires, left: lot.quantity });
  }
  for (const r of problem.receipts ?? []) add(r.item, { id: r.id, at: Math.max(0, minute(r.expectedAt)), expires: Infinity, left: r.quantity });
  const answers = new Map(result.orders.map((o) => [o.workOrder, o]));
  const consumptions: { item: string; at: number; quantity: number; who: string }[] = [];
  for (const order of problem.workOrders) {
    const answer = answers.get(order.id);
    if (answer?.status !== 'scheduled' || order.status === 'cancelled' || order.status === 'closed') continue;
    add(order.item, { id: order.id, at: minute(answer.plannedEnd!), expires: Infinity, left: order.quantity });
    for (const req of order.materials ?? []) {
      const consumer = placed.get(`${order.id}/${req.operation ?? order.operations[0]!.id}`);
      if (!consumer || consumer.op.fixedBy === 'started') continue;
      // A pinned or frozen slot ahead of its material is kept and reported; nothing to check.
      const reported = result.problems.some((p) => p.type === 'pin-conflict' && p.workOrder === order.id && p.operation === consumer.op.operation);
      if (consumer.op.fixedBy !== 'planned' && reported) continue;
      consumptions.push({ item: req.item, at: consumer.start, quantity: req.quantity, who: `${order.id}/${consumer.op.operation}` });
    }
  }
  const violations: string[] = [];
  consumptions.sort((a, b) => a.at - b.at);
  for (const c of consumptions) {
    const usable = (supplies.get(c.item) ?? []).filter((s) => s.at <= c.at && s.expires > c.at && s.left > 0).sort((a, b) => a.expires - b.expires);
    let need = c.quantity;
    for (const s of usable) {
      const take = Math.min(need, s.left);
      s.left -= take;
      need -= take;
      if (need <= 0) break;
    }
    if (need > 1e-9) violations.push(`${c.who} consumes ${c.quantity} ${c.item} at ${c.at} but only ${c.quantity - need} is there`);
  }
  return violations;
}
