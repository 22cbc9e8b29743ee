// Shortages and holds: which items are missing, which orders they block, and when supply
// is expected (the engine's earliest cover, and the open receipts of that item).

import { esc, formatInstant } from './format.js';

/** Shortage problems grouped by item. */
export function shortagesByItem(problems) {
  const byItem = new Map();
  for (const p of problems) {
    if (p.type !== 'shortage') continue;
    const entry = byItem.get(p.item) ?? { item: p.item, missing: 0, orders: [], earliestCoverAt: null };
    entry.missing += p.missingQuantity;
    if (!entry.orders.includes(p.workOrder)) entry.orders.push(p.workOrder);
    if (p.earliestCoverAt && (!entry.earliestCoverAt || p.earliestCoverAt < entry.earliestCoverAt)) entry.earliestCoverAt = p.earliestCoverAt;
    byItem.set(p.item, entry);
  }
  return [...byItem.values()];
}

export function renderProblems(root, { problems, plant, timeZone }) {
  const receipts = plant?.problem?.receipts ?? [];
  const itemName = new Map((plant?.problem?.items ?? []).map((i) => [i.id, i.name ?? '']));
  const shortages = shortagesByItem(problems);
  const holds = problems.filter((p) => p.type === 'hold');
  const at = (iso) => esc(formatInstant(iso, timeZone));

  const shortageRows = shortages.map((s) => {
    const supply = receipts
      .filter((r) => r.item === s.item)
      .sort((a, b) => a.expectedAt.localeCompare(b.expectedAt))
      .map((r) => `${esc(r.id)}: ${r.quantity} · ${at(r.expectedAt)}`)
      .join('<br>');
    return `<tr data-testid="shortage-row">
      <td><strong class="nowrap">${esc(s.item)}</strong>${itemName.get(s.item) ? `<br><span class="small muted">${esc(itemName.get(s.item))}</span>` : ''}</td>
      <td class="num">${s.missing}</td>
      <td>${s.orders.map(esc).join(', ')}</td>
      <td>${s.earliestCoverAt ? at(s.earliestCoverAt) : '<span class="pill pill-bad">not within horizon</span>'}</td>
      <td>${supply || '—'}</td>
    </tr>`;
  }).join('');

  const holdRows = holds.map((h) => `<tr data-testid="hold-row">
      <td>${esc(h.hold)}</td><td>${esc(h.workOrder)}</td><td>${esc(h.reason ?? '—')}</td>
    </tr>`).join('');

  root.innerHTML = `
    <h3>Shortages</h3>
    ${shortages.length ? `<table class="grid"><thead><tr><th scope="col">Item</th><th scope="col" class="num">Missing</th><th scope="col">Blocked orders</th><th scope="col" title="When the missing quantity would be there if this order got the material before the orders that have it">Covered if first</th><th scope="col">Expected receipts</th></tr></thead><tbody>${shortageRows}</tbody></table>` : '<p class="empty">No shortages.</p>'}
    <h3>Holds</h3>
    ${holds.length ? `<table class="grid"><thead><tr><th scope="col">Hold</th><th scope="col">Order</th><th scope="col">Reason</th></tr></thead><tbody>${holdRows}</tbody></table>` : '<p class="empty">No orders held.</p>'}`;
  return { shortages: shortages.length, holds: holds.length };
}
