// The order list: dispatch rank, due date, planned end, lateness and, for late or
// unscheduled orders, the chain of binding constraints. Filters: late / short / held, and a
// search by a part of the order's id or of its item.

import { esc, formatInstant, formatMinutes, keyReason, reasonText } from './format.js';

const MAX_ROWS = 400; // a planner reads the top of the list; the count says how many more

/** Flags per order from the schedule's problems. */
export function orderFlags(orders, problems) {
  const short = new Set(problems.filter((p) => p.type === 'shortage').map((p) => p.workOrder));
  const held = new Set(problems.filter((p) => p.type === 'hold').map((p) => p.workOrder));
  return (order) => ({
    late: (order.latenessMinutes ?? 0) > 0,
    unscheduled: order.status === 'unscheduled',
    short: short.has(order.workOrder),
    held: held.has(order.workOrder),
  });
}

export const FILTERS = {
  all: () => true,
  late: (f) => f.late || f.unscheduled,
  short: (f) => f.short,
  held: (f) => f.held,
};

function latenessCell(order) {
  if (order.status === 'unscheduled') return '<span class="pill pill-bad">unscheduled</span>';
  if (order.latenessMinutes === null) return '—';
  if (order.latenessMinutes > 0) return `<span class="pill pill-bad">${esc(formatMinutes(order.latenessMinutes))} late</span>`;
  return `<span class="pill pill-good">${esc(formatMinutes(-order.latenessMinutes))} early</span>`;
}

/** The key reason in one line; the whole chain (last operation first) when opened. */
function reasonsCell(order, timeZone) {
  if (!order.reasons.length) return '';
  const text = (r) => esc(reasonText(r, timeZone, order.workOrder));
  const items = order.reasons.map((r) => `<li>${text(r)}</li>`).join('');
  return `<details class="reasons"><summary>${text(keyReason(order.reasons))}</summary><ol>${items}</ol></details>`;
}

/** Orders whose id or item contains the text (any case); everything when it is blank. */
export function searchMatcher(text, items) {
  const needle = text.trim().toLowerCase();
  if (needle === '') return () => true;
  return (order) => order.workOrder.toLowerCase().includes(needle) || String(items.get(order.workOrder) ?? '').toLowerCase().includes(needle);
}

/**
 * Renders the list into `table` (a <table> with thead already in place) and the filter counts.
 * @returns the number of rows shown
 */
export function renderOrders({ tbody, counts, note }, { orders, problems, timeZone, filter, selected, search = '', items = new Map() }) {
  const flagsOf = orderFlags(orders, problems);
  const withFlags = orders.map((o) => ({ order: o, flags: flagsOf(o) }));
  for (const [name, test] of Object.entries(FILTERS)) {
    const el = counts[name];
    if (el) el.textContent = String(withFlags.filter((x) => test(x.flags)).length);
  }
  const matches = searchMatcher(search, items);
  const shown = withFlags
    .filter((x) => FILTERS[filter](x.flags) && matches(x.order))
    .sort((a, b) => a.order.dispatchPriority - b.order.dispatchPriority);
  tbody.innerHTML = shown.slice(0, MAX_ROWS).map(({ order, flags }) => {
    const tags = [flags.short && '<span class="tag tag-short">short</span>', flags.held && '<span class="tag tag-held">held</span>'].filter(Boolean).join(' ');
    return `<tr data-testid="order-row" data-order="${esc(order.workOrder)}" class="${order.workOrder === selected ? 'is-selected' : ''}">
      <td class="num">${order.dispatchPriority}</td>
      <td><button type="button" class="link" data-action="pick-order" data-order="${esc(order.workOrder)}" aria-label="Show ${esc(order.workOrder)} on the chart">${esc(order.workOrder)}</button> ${tags}</td>
      <td>${esc(formatInstant(order.due, timeZone))}</td>
      <td>${esc(formatInstant(order.plannedEnd, timeZone))}</td>
      <td>${latenessCell(order)}</td>
      <td>${reasonsCell(order, timeZone)}</td>
    </tr>`;
  }).join('');
  note.textContent = shown.length > MAX_ROWS ? `Showing the first ${MAX_ROWS} of ${shown.length} orders by dispatch rank.` : `${shown.length} order${shown.length === 1 ? '' : 's'}.`;
  return Math.min(shown.length, MAX_ROWS);
}
