// Sync health: lag per source, queue depth, outbox backlog, dead letters with replay.

import { esc, formatInstant, formatMinutes } from './format.js';

const LAG_WARN_SECONDS = 300;

function lagCell(seconds) {
  if (seconds === null || seconds === undefined) return '<span class="muted">no events yet</span>';
  const text = seconds < 60 ? `${Math.round(seconds)} s` : formatMinutes(seconds / 60);
  return seconds > LAG_WARN_SECONDS ? `<span class="pill pill-warn">${esc(text)}</span>` : esc(text);
}

export function renderHealth(root, { status, deadLetters, timeZone }) {
  const at = (iso) => esc(formatInstant(iso, timeZone));
  const sources = status.sources.map((s) => `<tr data-testid="source-row">
      <td>${esc(s.source.toUpperCase())}</td><td>${esc(s.plant ?? 'all')}</td>
      <td>${at(s.lastEventAt)}</td><td class="num">${lagCell(s.lagSeconds)}</td></tr>`).join('');
  const queues = status.queues.map((q) => `<tr>
      <td>${esc(q.name)}</td><td class="num">${q.waiting}</td><td class="num">${q.active}</td>
      <td class="num">${q.failed ? `<span class="pill pill-bad">${q.failed}</span>` : 0}</td></tr>`).join('');
  const letters = deadLetters.map((d) => `<li data-testid="dead-letter" class="dead-letter">
      <div><strong>${esc(d.kind)}</strong> ${esc(d.key)} <span class="muted">· ${esc(d.plant ?? '')} · ${d.attempts} attempt${d.attempts === 1 ? '' : 's'} · ${at(d.createdAt)}</span></div>
      <div class="error-text">${esc(d.error)}</div>
      <button type="button" class="small" data-replay="${esc(d.id)}" data-testid="replay" aria-label="Replay ${esc(d.kind)} ${esc(d.key)}">Replay</button>
    </li>`).join('');

  const circuits = (status.connections ?? []).map((c) => `<tr data-testid="connection-row">
      <td>${esc(c.connection)}</td>
      <td>${c.state === 'closed' ? 'answering' : `<span class="pill pill-bad">${c.state === 'open' ? 'not answering' : 'probing'}</span>`}</td>
      <td>${c.failingSince ? at(c.failingSince) : '—'}</td>
      <td>${c.nextProbeAt && c.state !== 'closed' ? at(c.nextProbeAt) : '—'}</td>
      <td class="error-text">${esc(c.lastError ?? '')}</td></tr>`).join('');
  const age = status.outboxBacklogAgeSeconds;
  // Without an ERP, write-backs are kept, never sent: a backlog is expected, not a fault.
  const kept = status.writebacksConfigured === false;
  const backlogLabel = kept
    ? 'write-backs kept: no ERP configured (set TAKT_ERP or ERP_WRITEBACK_URL)'
    : `outbox backlog${age ? `, oldest <span data-testid="backlog-age">${esc(age < 60 ? `${age} s` : formatMinutes(age / 60))}</span>` : ''}`;
  root.innerHTML = `
    <div class="stats">
      <div class="stat"><span class="stat-value" data-testid="outbox-backlog">${status.outboxBacklog}</span><span class="stat-label" data-testid="backlog-label">${backlogLabel}</span></div>
      <div class="stat"><span class="stat-value ${status.deadLetters ? 'bad' : ''}" data-testid="dead-letter-count">${status.deadLetters}</span><span class="stat-label">dead letters</span></div>
      <div class="stat"><span class="stat-value">${status.plants.filter((p) => p.dirty).length}</span><span class="stat-label">plants waiting to reschedule</span></div>
    </div>
    <h3>Sources</h3>
    <table class="grid"><thead><tr><th scope="col">Source</th><th scope="col">Plant</th><th scope="col">Last event</th><th scope="col" class="num">Lag</th></tr></thead><tbody>${sources || '<tr><td colspan="4" class="empty">No sources yet.</td></tr>'}</tbody></table>
    ${circuits ? `<h3>ERP connections</h3>
    <table class="grid"><thead><tr><th scope="col">Connection</th><th scope="col">State</th><th scope="col">Failing since</th><th scope="col">Next probe</th><th scope="col">Last error</th></tr></thead><tbody>${circuits}</tbody></table>` : ''}
    <h3>Queues</h3>
    <table class="grid"><thead><tr><th scope="col">Queue</th><th scope="col" class="num">Waiting</th><th scope="col" class="num">Active</th><th scope="col" class="num">Failed</th></tr></thead><tbody>${queues || '<tr><td colspan="4" class="empty">No queues.</td></tr>'}</tbody></table>
    <h3>Dead letters</h3>
    ${letters ? `<ul class="plain">${letters}</ul>` : `<p class="empty">${kept ? 'None.' : 'None — every write-back was delivered.'}</p>`}`;
}
