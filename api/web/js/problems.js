// Shortages and holds: which items are missing, which orders they block, and when supply
// is expected (the engine's earliest cover, and the open receipts of that item); then every
// other problem of the plan (pins released, fixed work against its routing, bad data), in words.

import { esc, formatInstant } from './format.js';

/** What a problem other than a shortage, a hold or lateness says, in words (null: shown elsewhere); `at` prints an instant. */
export function describeProblem(p, at = (iso) => iso) {
  const op = p.operation === undefined ? p.workOrder : `${p.workOrder}/${p.operation}`;
  switch (p.type) {
    case 'shortage': case 'hold': case 'late': return null;
    case 'pin-conflict': return { subject: op, text: `Pin: ${p.message}` };
    case 'precedence-violated-by-fixed': return { subject: op, text: `Started or frozen before ${p.workOrder}/${p.after} can end: the routing is broken here` };
    case 'lot-expires': return { subject: op, text: `Its lot ${p.lot} expires (${at(p.expiresAt)}) before it can start` };
    case 'beyond-horizon': return { subject: op, text: `Does not fit on ${p.workCenter} within the horizon` };
    case 'missing-operation-time': return { subject: op, text: p.message };
    case 'invalid-data': return { subject: p.entity ?? p.path, text: `Invalid data at ${p.path}: ${p.message}` };
    case 'unknown-reference': return { subject: p.key, text: `Unknown ${p.kind} at ${p.path}` };
    default: return { subject: p.workOrder ?? '—', text: p.message ?? p.type };
  }
}

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

  const others = problems.map((p) => ({ p, said: describeProblem(p, (iso) => formatInstant(iso, timeZone)) })).filter((x) => x.said !== null);
  const otherRows = others.map(({ p, said }) => `<tr data-testid="problem-row" data-type="${esc(p.type)}">
      <td class="nowrap">${esc(said.subject)}</td><td>${esc(said.text)}</td>
    </tr>`).join('');

  const holdRows = holds.map((h) => `<tr data-testid="hold-row">
      <td>${esc(h.hold)}</td><td>${esc(h.workOrder)}</td><td>${esc(h.reason ?? '—')}</td>
    </tr>`).join('');

  root.innerHTML = `
    <h3>Shortages</h3>
    ${shortages.length ? `<table class="grid"><thead><tr><th scope="col">Item</th><th scope="col" class="num">Missing</th><th scope="col">Blocked orders</th><th scope="col" title="When the missing quantity would be there if this order got the material before the orders that have it">Covered if first</th><th scope="col">Expected receipts</th></tr></thead><tbody>${shortageRows}</tbody></table>` : '<p class="empty">No shortages.</p>'}
    <h3>Holds</h3>
    ${holds.length ? `<table class="grid"><thead><tr><th scope="col">Hold</th><th scope="col">Order</th><th scope="col">Reason</th></tr></thead><tbody>${holdRows}</tbody></table>` : '<p class="empty">No orders held.</p>'}
    <h3>Other problems</h3>
    ${others.length ? `<table class="grid"><thead><tr><th scope="col">Where</th><th scope="col">Problem</th></tr></thead><tbody>${otherRows}</tbody></table>` : '<p class="empty">None.</p>'}`;
  return { shortages: shortages.length, holds: holds.length, others: others.length };
}
