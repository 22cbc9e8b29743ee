// The details pane for a clicked bar or order: the operation, its order's dates and the reasons.

import { esc, formatInstant, formatMinutes, reasonText } from './format.js';

function dl(pairs) {
  return `<dl class="facts">${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

/**
 * @param root the pane
 * @param selection { operation?: ScheduledOperation, order: ScheduledOrder|null, workOrderView?: WorkOrderView, operations: ScheduledOperation[] }
 */
export function renderDetails(root, { operation, order, workOrderView, operations, timeZone }) {
  const at = (iso) => esc(formatInstant(iso, timeZone));
  const parts = [];
  if (operation) {
    parts.push(`<h3>${esc(operation.workOrder)} · operation ${esc(operation.operation)}</h3>`);
    parts.push(dl([
      ['Work center', `${esc(operation.workCenter)} · unit ${operation.unit}`],
      ['Start', at(operation.start)],
      ['End', at(operation.end)],
      ['Work', esc(formatMinutes(operation.workMinutes))],
      ['Quantity', esc(operation.quantity)],
      ['Material ready', operation.materialReadyAt ? at(operation.materialReadyAt) : '—'],
      ['Placed by', esc(operation.fixedBy)],
    ]));
  }
  const id = order?.workOrder ?? workOrderView?.workOrder;
  if (id) {
    parts.push(`<h3>Order ${esc(id)}</h3>`);
    const facts = [];
    if (workOrderView) {
      facts.push(['Item', esc(workOrderView.item)], ['Quantity', esc(workOrderView.quantity)], ['ERP priority', esc(workOrderView.priority)], ['Status', esc(workOrderView.status)]);
    }
    if (order) {
      facts.push(
        ['Due', at(order.due)],
        ['Planned start', at(order.plannedStart)],
        ['Planned end', at(order.plannedEnd)],
        ['Lateness', order.latenessMinutes === null ? 'unscheduled' : order.latenessMinutes > 0 ? `<span class="pill pill-bad">${esc(formatMinutes(order.latenessMinutes))} late</span>` : `<span class="pill pill-good">on time</span>`],
        ['Dispatch rank', esc(order.dispatchPriority)],
      );
    }
    parts.push(dl(facts));
    const reasons = order?.reasons ?? workOrderView?.reasons ?? [];
    if (reasons.length) {
      parts.push(`<h4>Why it ends when it does</h4><ol class="chain">${reasons.map((r) => `<li>${esc(reasonText(r, timeZone, id))}</li>`).join('')}</ol>`);
    }
    const ops = operations.filter((o) => o.workOrder === id);
    if (ops.length) {
      parts.push(`<h4>Operations</h4><ol class="ops">${ops.map((o) => `<li><strong>${esc(o.operation)}</strong> ${esc(o.workCenter)}·${o.unit} — ${at(o.start)} → ${at(o.end)}</li>`).join('')}</ol>`);
    }
  }
  root.innerHTML = parts.length ? parts.join('') : '<p class="empty">Click a bar or an order to see its details.</p>';
}
