// A proposed version (plants whose policy is "approve"): what it changes against the published
// one, KPIs before and after, and the planner's decision. Nothing reaches the ERP or the MES
// until it is approved.

import { esc, formatInstant } from './format.js';
import { describeChanges, kpiDeltas } from './whatif.js';

const SHOWN_CHANGES = 12;

export function renderProposal(root, { proposal, timeZone }) {
  if (!proposal) {
    root.hidden = true;
    root.innerHTML = '';
    return;
  }
  const { proposal: version, published, changes } = proposal;
  const kpis = kpiDeltas(published?.kpis ?? null, version.kpis).map((k) => `<tr class="tone-${k.tone}">
      <th scope="row">${esc(k.label)}</th><td class="num">${esc(k.before)}</td><td class="num">${esc(k.after)}</td><td class="num">${esc(k.delta)}</td></tr>`).join('');
  const lines = describeChanges(changes, timeZone);
  const moved = lines.slice(0, SHOWN_CHANGES).map((c) => `<li class="tone-${c.tone}"><strong>${esc(c.workOrder)}</strong> ${esc(c.text)}</li>`).join('');
  root.hidden = false;
  root.innerHTML = `
    <div class="toolbar">
      <h2 id="proposal-title">Version <span data-testid="proposal-version">${version.version}</span> proposed</h2>
      <span class="muted small">planned ${esc(formatInstant(version.createdAt, timeZone))} · ${esc(version.reason)} · the ERP and the MES still have version ${published?.version ?? '—'}</span>
      <div class="group">
        <button type="button" class="primary" data-decide="approve" data-testid="proposal-approve">Approve and publish</button>
        <button type="button" data-decide="discard" data-testid="proposal-discard">Discard</button>
      </div>
    </div>
    <div class="columns two">
      <table class="grid kpi-table" data-testid="proposal-kpis">
        <thead><tr><th scope="col">KPI</th><th scope="col" class="num">Published</th><th scope="col" class="num">Proposed</th><th scope="col" class="num">Δ</th></tr></thead>
        <tbody>${kpis}</tbody>
      </table>
      <div>
        <p class="small muted" data-testid="proposal-changes-note">${changes.length} order${changes.length === 1 ? '' : 's'} change${changes.length === 1 ? 's' : ''}${lines.length > SHOWN_CHANGES ? `; the ${SHOWN_CHANGES} biggest moves:` : ':'}</p>
        <ul class="plain changes" data-testid="proposal-changes">${moved || '<li class="muted">No order moves.</li>'}</ul>
      </div>
    </div>`;
}
