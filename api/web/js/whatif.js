// What-if: collect overrides (downtime, priority, receipt date), ask the server for the
// schedule it would make, and show the difference before anything is committed.

import { esc, formatInstant, formatMinutes, formatPercent } from './format.js';
import { isoToLocalInput, localInputToIso } from './zone.js';

/** KPI rows: how to read each, and which direction is better. */
const KPI_ROWS = [
  { key: 'onTimeRate', label: 'On-time rate', format: formatPercent, better: 'up', delta: (d) => `${d > 0 ? '+' : d < 0 ? '−' : ''}${Math.abs(d * 100).toFixed(1)} pt` },
  { key: 'lateOrders', label: 'Late orders', format: String, better: 'down' },
  { key: 'scheduledOrders', label: 'Scheduled orders', format: String, better: 'up' },
  { key: 'totalWeightedTardinessMinutes', label: 'Weighted tardiness', format: (v) => formatMinutes(v), better: 'down', delta: (d) => formatMinutes(d, { signed: true }) },
  { key: 'makespanMinutes', label: 'Makespan', format: (v) => formatMinutes(v), better: 'down', delta: (d) => formatMinutes(d, { signed: true }) },
  { key: 'totalSetupMinutes', label: 'Setup time', format: (v) => formatMinutes(v), better: 'down', delta: (d) => formatMinutes(d, { signed: true }) },
  { key: 'operationsMoved', label: 'Operations moved', format: String, better: 'none' },
];

/** [{label, before, after, delta, tone}] comparing two KPI sets. */
export function kpiDeltas(before, after) {
  return KPI_ROWS.map((row) => {
    const b = before?.[row.key] ?? null;
    const a = after[row.key];
    const d = b === null ? null : a - b;
    const tone = d === null || Math.abs(d) < 1e-9 || row.better === 'none' ? 'same' : (d > 0) === (row.better === 'up') ? 'better' : 'worse';
    const delta = d === null ? '—' : Math.abs(d) < 1e-9 ? '±0' : row.delta ? row.delta(d) : `${d > 0 ? '+' : '−'}${Math.abs(d)}`;
    return { key: row.key, label: row.label, before: b === null ? '—' : row.format(b), after: row.format(a), delta, tone };
  });
}

/** One readable line per changed order, biggest moves first. */
export function describeChanges(changes, timeZone) {
  const at = (iso) => formatInstant(iso, timeZone);
  return changes
    .map((c) => {
      const b = c.before;
      const a = c.after;
      let text;
      let shift = 0;
      let tone = 'same';
      if (!a || a.plannedEnd === null) {
        text = `becomes unscheduled (was ending ${at(b?.plannedEnd ?? null)})`;
        shift = Number.MAX_SAFE_INTEGER;
        tone = 'worse';
      } else if (!b || b.plannedEnd === null) {
        text = `gets scheduled, ending ${at(a.plannedEnd)}`;
        shift = Number.MAX_SAFE_INTEGER - 1;
        tone = 'better';
      } else {
        const minutes = (Date.parse(a.plannedEnd) - Date.parse(b.plannedEnd)) / 60_000;
        shift = Math.abs(minutes);
        tone = minutes > 0 ? 'worse' : minutes < 0 ? 'better' : 'same';
        text = minutes === 0
          ? `end unchanged (${at(a.plannedEnd)})`
          : `ends ${at(a.plannedEnd)} (${formatMinutes(minutes, { signed: true })}, was ${at(b.plannedEnd)})`;
      }
      const rank = b && a && b.dispatchPriority !== a.dispatchPriority ? `; rank ${b.dispatchPriority ?? '—'} → ${a.dispatchPriority ?? '—'}` : '';
      return { workOrder: c.workOrder, text: text + rank, shift, tone };
    })
    .sort((x, y) => y.shift - x.shift);
}

/**
 * Wires the what-if form. `context()` returns { plant, plantView, schedule, timeZone };
 * `run(request)` returns the api result; `onPreview(view|null)` shows a what-if on the chart;
 * `onCommit(request)` reschedules for real.
 */
export function createWhatIf(el, { context, run, onPreview, onCommit }) {
  const pending = [];
  let lastView = null;
  let lastRequest = null;

  function showKind() {
    const kind = el.kind.value;
    for (const fs of el.form.querySelectorAll('[data-kind]')) fs.hidden = fs.dataset.kind !== kind;
  }

  /** Fills the selects and sensible default times from the current plant and schedule. */
  function refreshChoices() {
    const { plantView, schedule, timeZone } = context();
    const problem = plantView?.problem;
    const fill = (select, values) => {
      const keep = select.value;
      select.innerHTML = values.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join('');
      if (values.some(([v]) => v === keep)) select.value = keep;
    };
    const wcs = problem?.workCenters?.map((w) => [w.id, w.name ? `${w.id} — ${w.name}` : w.id])
      ?? [...new Set((schedule?.operations ?? []).map((o) => o.workCenter))].map((w) => [w, w]);
    fill(el.workCenter, wcs);
    fill(el.workOrder, (schedule?.orders ?? []).map((o) => [o.workOrder, o.workOrder]));
    fill(el.receipt, (problem?.receipts ?? []).map((r) => [r.id, `${r.id} — ${r.quantity} ${r.item}`]));
    if (!el.downStart.value && schedule) {
      const start = Math.ceil(Date.parse(schedule.now) / 3_600_000) * 3_600_000 + 3_600_000;
      el.downStart.value = isoToLocalInput(new Date(start).toISOString(), timeZone);
      el.downEnd.value = isoToLocalInput(new Date(start + 4 * 3_600_000).toISOString(), timeZone);
    }
    syncReceiptDate();
  }

  function syncReceiptDate() {
    const { plantView, timeZone } = context();
    const receipt = plantView?.problem?.receipts?.find((r) => r.id === el.receipt.value);
    if (receipt) el.receiptDate.value = isoToLocalInput(receipt.expectedAt, timeZone);
  }

  /** The override described by the form, or an error message. */
  function readForm() {
    const { timeZone } = context();
    const kind = el.kind.value;
    if (kind === 'downtime') {
      const start = localInputToIso(el.downStart.value, timeZone);
      const end = localInputToIso(el.downEnd.value, timeZone);
      if (!el.workCenter.value) return { error: 'Choose a work center.' };
      if (!start || !end) return { error: 'Enter the downtime start and end.' };
      if (end <= start) return { error: 'The downtime must end after it starts.' };
      return { kind, value: { workCenter: el.workCenter.value, start, end }, label: `Downtime on ${el.workCenter.value}: ${formatInstant(start, timeZone)} → ${formatInstant(end, timeZone)}` };
    }
    if (kind === 'priority') {
      const priority = Number(el.priority.value);
      if (!el.workOrder.value) return { error: 'Choose a work order.' };
      if (!Number.isFinite(priority) || priority < 0) return { error: 'Priority must be a number ≥ 0.' };
      return { kind, value: { workOrder: el.workOrder.value, priority }, label: `Priority of ${el.workOrder.value} → ${priority}` };
    }
    const expectedAt = localInputToIso(el.receiptDate.value, timeZone);
    if (!el.receipt.value) return { error: 'This plant has no open receipts.' };
    if (!expectedAt) return { error: 'Enter the new receipt date.' };
    return { kind, value: { receipt: el.receipt.value, expectedAt }, label: `Receipt ${el.receipt.value} expected ${formatInstant(expectedAt, timeZone)}` };
  }

  function renderPending() {
    el.pending.innerHTML = pending.map((p, i) => `<li>${esc(p.label)} <button type="button" class="small" data-remove="${i}" aria-label="Remove: ${esc(p.label)}">Remove</button></li>`).join('');
    el.pendingEmpty.hidden = pending.length > 0;
  }

  function add() {
    const o = readForm();
    el.message.textContent = o.error ?? '';
    if (o.error) return false;
    pending.push(o);
    renderPending();
    return true;
  }

  function request() {
    const body = { reason: 'what-if from the board' };
    const group = (kind, field) => {
      const values = pending.filter((p) => p.kind === kind).map((p) => p.value);
      if (values.length) body[field] = values;
    };
    group('downtime', 'downtimes');
    group('priority', 'priorities');
    group('receipt', 'receiptDates');
    return body;
  }

  async function runWhatIf() {
    if (!pending.length && !add()) return;
    lastRequest = request();
    el.run.disabled = true;
    el.message.textContent = 'Computing what-if…';
    const result = await run(lastRequest);
    el.run.disabled = false;
    if (!result.ok) {
      el.message.textContent = `What-if failed: ${result.message}${result.field ? ` (${result.field})` : ''}`;
      return;
    }
    el.message.textContent = '';
    lastView = result.value;
    renderDiff();
  }

  function renderDiff() {
    const { schedule, timeZone } = context();
    const view = lastView;
    const rows = kpiDeltas(view.baseKpis ?? schedule?.kpis ?? null, view.kpis);
    const changes = describeChanges(view.changes, timeZone);
    const shown = changes.slice(0, 60);
    el.diff.hidden = false;
    el.kpis.innerHTML = rows.map((r) => `<tr data-testid="kpi-delta" data-kpi="${r.key}" class="tone-${r.tone}"><th scope="row">${esc(r.label)}</th><td class="num">${esc(r.before)}</td><td class="num">${esc(r.after)}</td><td class="num delta">${esc(r.delta)}</td></tr>`).join('');
    el.changes.innerHTML = shown.length
      ? shown.map((c) => `<li data-testid="change-row" class="tone-${c.tone}"><strong>${esc(c.workOrder)}</strong> ${esc(c.text)}</li>`).join('')
      : '<li class="empty">No order changes its plan.</li>';
    el.changesNote.textContent = `${changes.length} order${changes.length === 1 ? '' : 's'} change${changes.length === 1 ? 's' : ''}${changes.length > shown.length ? ` (showing ${shown.length})` : ''}.`;
    el.preview.setAttribute('aria-pressed', 'false');
    el.preview.textContent = 'Preview on chart';
  }

  /** Hides the diff (and any preview of it); the pending changes stay for another run. */
  function closeDiff() {
    lastView = null;
    el.diff.hidden = true;
    onPreview(null);
  }

  /** Drops the what-if: its pending changes and its diff. */
  function discard() {
    pending.length = 0;
    lastRequest = null;
    renderPending();
    closeDiff();
  }

  el.kind.addEventListener('change', showKind);
  el.receipt.addEventListener('change', syncReceiptDate);
  el.add.addEventListener('click', add);
  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    runWhatIf();
  });
  el.pending.addEventListener('click', (e) => {
    const i = e.target.closest('[data-remove]')?.dataset.remove;
    if (i === undefined) return;
    pending.splice(Number(i), 1);
    renderPending();
  });
  el.preview.addEventListener('click', () => {
    const on = el.preview.getAttribute('aria-pressed') !== 'true';
    el.preview.setAttribute('aria-pressed', String(on));
    el.preview.textContent = on ? 'Back to current plan' : 'Preview on chart';
    onPreview(on ? lastView : null);
  });
  el.discard.addEventListener('click', discard);
  el.commit.addEventListener('click', async () => {
    const ok = await onCommit(lastRequest);
    if (ok) discard();
  });
  showKind();
  renderPending();
  return { refreshChoices, discard, closeDiff };
}
