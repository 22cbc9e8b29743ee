/**
 * What-if overrides applied to a copy of the plant problem. Every reference is checked: an
 * override naming something the plant does not have is a failure with the offending field.
 */
import type { HoldSpec, PlantProblem, WorkOrderSpec } from '../../scheduler/problem.ts';
import { failure } from '../failure.ts';
import type { Result, WhatIfRequest } from '../ports.ts';


export function applyOverrides(problem: PlantProblem, request: WhatIfRequest): Result<PlantProblem> {
  const orders = new Map(problem.workOrders.map((o) => [o.id, o] as [string, WorkOrderSpec]));
  const changed = new Map<string, WorkOrderSpec>();
  const orderOf = (id: string): WorkOrderSpec => changed.get(id) ?? orders.get(id)!;

  let workCenters = problem.workCenters;
  for (const [i, d] of (request.downtimes ?? []).entries()) {
    const field = `body.downtimes[${i}]`;
    const wc = workCenters.find((w) => w.id === d.workCenter);
    if (!wc) return failure('work_center_not_found', `unknown work center "${d.workCenter}"`, `${field}.workCenter`);
    if (d.unit !== undefined && d.unit > wc.units) return failure('unprocessable', `work center "${wc.id}" has ${wc.units} unit(s)`, `${field}.unit`);
    if (Date.parse(d.end) <= Date.parse(d.start)) return failure('unprocessable', 'must be after start', `${field}.end`);
    const downtime = { id: `what-if-${i}`, start: d.start, end: d.end, reason: 'what-if', ...(d.unit !== undefined && { unit: d.unit }) };
    workCenters = workCenters.map((w) => (w.id === wc.id ? { ...w, downtimes: [...(w.downtimes ?? []), downtime] } : w));
  }
  for (const [i, p] of (request.priorities ?? []).entries()) {
    if (!orders.has(p.workOrder)) return failure('work_order_not_found', `unknown work order "${p.workOrder}"`, `body.priorities[${i}].workOrder`);
    changed.set(p.workOrder, { ...orderOf(p.workOrder), priority: p.priority });
  }
  for (const [i, q] of (request.quantities ?? []).entries()) {
    if (!orders.has(q.workOrder)) return failure('work_order_not_found', `unknown work order "${q.workOrder}"`, `body.quantities[${i}].workOrder`);
    changed.set(q.workOrder, { ...orderOf(q.workOrder), quantity: q.quantity });
  }
  let receipts = problem.receipts ?? [];
  for (const [i, r] of (request.receiptDates ?? []).entries()) {
    if (!receipts.some((x) => x.id === r.receipt)) return failure('receipt_not_found', `unknown receipt "${r.receipt}"`, `body.receiptDates[${i}].receipt`);
    receipts = receipts.map((x) => (x.id === r.receipt ? { ...x, expectedAt: r.expectedAt } : x));
  }
  let holds: readonly HoldSpec[] = problem.holds ?? [];
  for (const [i, id] of (request.releaseHolds ?? []).entries()) {
    if (!holds.some((h) => h.id === id)) return failure('hold_not_found', `no active hold "${id}"`, `body.releaseHolds[${i}]`);
    holds = holds.filter((h) => h.id !== id);
  }
  holds = [...holds, ...(request.holds ?? []).map((h) => ({ id: h.id, target: h.target, reason: 'what-if' }))];

  return {
    ok: true,
    value: {
      ...problem,
      workCenters,
      workOrders: problem.workOrders.map((o) => changed.get(o.id) ?? o),
      receipts,
      holds,
    },
  };
}
