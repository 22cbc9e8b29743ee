// Wires the board together: key handling, loading a plant, the panels, and the actions.

import { adoptKeyFromUrl, api, storeKey, storedKey } from './api.js';
import { renderDetails } from './details.js';
import { esc, formatInstant, formatMinutes, formatPercent, statusText } from './format.js';
import { Gantt } from './gantt.js';
import { renderHealth } from './health.js';
import { renderProposal } from './proposal.js';
import { renderOrders } from './orders.js';
import { renderProblems } from './problems.js';
import { createWhatIf } from './whatif.js';

const HOUR = 3_600_000;
const HEALTH_EVERY_MS = 20_000;
const PLANT_STORAGE = 'takt.plant';

const $ = (id) => document.getElementById(id);

const state = {
  plant: null,
  schedule: null,
  plantView: null,
  timeZone: 'UTC',
  filter: 'all',
  /** Text the order list is narrowed to: a part of an order's id or of its item. */
  search: '',
  selectedOrder: null,
  previewing: false,
  previewView: null,
  drawStats: null,
  /** The proposed version awaiting approval (approve policy), or null. */
  proposal: null,
};

const gantt = new Gantt({
  canvas: $('gantt-canvas'),
  tooltip: $('tooltip'),
  onSelect: (bar) => selectOrder(bar.operation.workOrder, bar.operation),
  onDraw: (stats) => {
    state.drawStats = stats;
    $('draw-status').textContent = `${stats.bars.toLocaleString('en')} bars · ${stats.drawn.toLocaleString('en')} drawn in ${stats.ms.toFixed(1)} ms · rows ${stats.rows ? stats.firstRow + 1 : 0}–${Math.min(stats.lastRow, stats.rows)} of ${stats.rows}`;
  },
});

/** What the test (and curious planners in the console) can ask the board. */
window.taktBoard = {
  barCount: () => gantt.barCount(),
  get lastDrawMs() { return gantt.lastDrawMs; },
  get drawnBars() { return gantt.drawnBars; },
  get version() { return state.schedule?.version ?? null; },
  ready: false,
  gantt,
};

// ——— notices and errors ———

let noticeTimer = null;
function notify(message, tone = 'info') {
  const el = $('notice');
  el.textContent = message;
  el.className = `notice notice-${tone}`;
  el.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { el.hidden = true; }, tone === 'error' ? 12_000 : 6_000);
}

/** Asks for the key when the server says we have none; true when the call should be retried. */
async function handleAuth(result) {
  if (result.ok || result.status !== 401) return false;
  return askKey('The server did not accept the API key.');
}

/** One dialog at a time: parallel calls that all got a 401 wait for the same answer. */
let keyPrompt = null;
function askKey(message = '') {
  if (keyPrompt) return keyPrompt;
  const dialog = $('key-dialog');
  $('key-message').textContent = message;
  $('key-input').value = '';
  keyPrompt = new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      keyPrompt = null;
      const key = $('key-input').value.trim();
      if (dialog.returnValue === 'save' && key) {
        storeKey(key);
        resolve(true);
      } else resolve(false);
    }, { once: true });
    dialog.showModal();
  });
  return keyPrompt;
}

async function call(fn) {
  let result = await fn();
  if (await handleAuth(result)) result = await fn();
  return result;
}

// ——— loading ———

async function loadPlants() {
  const result = await call(api.plants);
  const plants = result.ok ? result.value.plants ?? result.value : [];
  const select = $('plant');
  select.innerHTML = plants.map((p) => `<option value="${esc(p)}">${esc(p)}</option>`).join('');
  const wanted = new URL(location.href).searchParams.get('plant') ?? localStorage.getItem(PLANT_STORAGE);
  state.plant = plants.includes(wanted) ? wanted : plants[0] ?? null;
  if (state.plant) select.value = state.plant;
  if (!result.ok) notify(`Could not list plants: ${result.message}`, 'error');
}

async function loadPlant({ keepView = false } = {}) {
  if (!state.plant) return;
  const plant = state.plant;
  const [schedule, plantView] = await Promise.all([call(() => api.schedule(plant)), call(() => api.plantState(plant))]);
  if (plant !== state.plant) return; // the planner switched plants meanwhile
  state.plantView = plantView.ok ? plantView.value : null;
  state.timeZone = state.plantView?.timeZone ?? 'UTC';
  gantt.setPlant(state.plantView);
  if (!schedule.ok) {
    state.schedule = null;
    const empty = { operations: [], orders: [], problems: [], now: new Date().toISOString() };
    showSchedule(empty);
    notify(schedule.status === 404 ? `No schedule for ${plant} yet — press “Reschedule now”.` : `Could not load the schedule: ${schedule.message}`, schedule.status === 404 ? 'info' : 'error');
  } else {
    state.schedule = schedule.value;
    showSchedule(state.schedule);
  }
  if (!keepView) gantt.fit();
  whatIf.refreshChoices();
  await loadProposal();
  window.taktBoard.ready = true;
}

/** The proposed version awaiting approval, if the plant has one (its policy is "approve"). */
async function loadProposal() {
  const plant = state.plant;
  const result = await api.proposal(plant);
  if (plant !== state.plant) return;
  state.proposal = result.ok ? result.value ?? null : null;
  renderProposal($('proposal'), { proposal: state.proposal, timeZone: state.timeZone });
}

async function decide(decision) {
  const version = state.proposal?.proposal.version;
  if (version === undefined) return;
  for (const b of document.querySelectorAll('[data-decide]')) b.disabled = true;
  const result = await call(() => api.decide(state.plant, version, decision));
  if (!result.ok) {
    notify(`${decision === 'approve' ? 'Approval' : 'Discard'} refused: ${result.message}`, 'error');
  } else {
    notify(decision === 'approve'
      ? `Version ${version} published: ${result.value.writebacks} write-back${result.value.writebacks === 1 ? '' : 's'} to the ERP.`
      : `Version ${version} discarded.`, 'good');
  }
  await loadPlant({ keepView: true });
  loadHealth();
}

function showSchedule(schedule) {
  state.previewing = false;
  $('preview-banner').hidden = true;
  gantt.setSchedule(schedule);
  sizeChart();
  renderHeader();
  renderOrderList();
  renderProblems($('problems'), { problems: schedule.problems, plant: state.plantView, timeZone: state.timeZone });
  renderDetails($('details'), { order: null, operations: [], timeZone: state.timeZone });
  state.selectedOrder = null;
}

function renderHeader() {
  const s = state.schedule;
  $('version').textContent = s ? String(s.version) : '—';
  // Short, so the header stays on one line; the rest is in the tooltip (and the KPIs).
  $('version-meta').textContent = s ? `computed ${formatInstant(s.createdAt, state.timeZone)}` : '';
  $('version-meta').title = s ? `${statusText(s.status)} · reason: ${s.reason}` : '';
  const k = s?.kpis;
  $('kpis').innerHTML = k
    ? [
        ['On time', formatPercent(k.onTimeRate), k.onTimeRate < 0.9 ? 'warn' : ''],
        ['Late', `${k.lateOrders} / ${k.scheduledOrders}`, k.lateOrders ? 'bad' : ''],
        ['Unscheduled', String(k.orders - k.scheduledOrders), k.orders > k.scheduledOrders ? 'bad' : ''],
        ['Makespan', formatMinutes(k.makespanMinutes), ''],
        ['Moved', String(k.operationsMoved), ''],
      ].map(([label, value, tone]) => `<li class="kpi ${tone}"><span class="kpi-value">${esc(value)}</span><span class="kpi-label">${esc(label)}</span></li>`).join('')
    : '';
}

function renderOrderList() {
  const source = (state.previewing ? state.previewView : state.schedule) ?? { orders: [], problems: [] };
  renderOrders(
    {
      tbody: $('orders-body'),
      note: $('orders-note'),
      counts: Object.fromEntries([...document.querySelectorAll('[data-count]')].map((el) => [el.dataset.count, el])),
    },
    {
      orders: source.orders, problems: source.problems, timeZone: state.timeZone, filter: state.filter, selected: state.selectedOrder,
      search: state.search, items: new Map((state.plantView?.problem?.workOrders ?? []).map((o) => [o.id, o.item])),
    },
  );
}

async function loadHealth() {
  const [status, letters] = await Promise.all([api.syncStatus(), api.deadLetters()]);
  const root = $('health');
  if (!status.ok) {
    root.innerHTML = status.status === 401 || status.status === 403
      ? '<p class="empty">Sync health needs a key with the <code>admin</code> scope.</p>'
      : `<p class="message">Could not load sync health: ${esc(status.message)}</p>`;
    return;
  }
  const deadLetters = letters.ok ? (Array.isArray(letters.value) ? letters.value : letters.value.deadLetters ?? []) : [];
  renderHealth(root, { status: status.value, deadLetters, timeZone: state.timeZone });
}

// ——— selection ———

async function selectOrder(workOrder, operation) {
  state.selectedOrder = workOrder;
  const order = gantt.orders.get(workOrder) ?? null;
  const show = (workOrderView) => renderDetails($('details'), { operation, order, workOrderView, operations: gantt.ops, timeZone: state.timeZone });
  show(undefined);
  for (const row of document.querySelectorAll('#orders-body tr')) row.classList.toggle('is-selected', row.dataset.order === workOrder);
  if (state.previewing || !state.plant) return;
  const view = await api.workOrder(state.plant, workOrder);
  if (view.ok && state.selectedOrder === workOrder) show(view.value);
}

// ——— actions ———

async function reschedule(reason) {
  const button = $('reschedule');
  button.disabled = true;
  button.textContent = 'Rescheduling…';
  const before = state.schedule?.version ?? null;
  const result = await call(() => api.reschedule(state.plant, { reason }));
  button.disabled = false;
  button.textContent = 'Reschedule now';
  if (!result.ok) {
    notify(`Reschedule failed: ${result.message}`, 'error');
    return false;
  }
  if (result.value?.state === 'proposed') {
    await loadProposal();
    notify(`Version ${result.value.version} proposed: review it above, then approve or discard it.`, 'info');
    return true;
  }
  // The answer carries the new version; fetch the full schedule when it is only a summary.
  if (Array.isArray(result.value?.operations)) {
    state.schedule = result.value;
    showSchedule(state.schedule);
  } else {
    await loadPlant({ keepView: true });
  }
  // A diff against the old version would mislead now; the pending changes still apply.
  whatIf.closeDiff();
  const after = state.schedule?.version ?? '—';
  notify(`Rescheduled: version ${before ?? '—'} → ${after}.`, 'good');
  loadHealth();
  return true;
}

const whatIf = createWhatIf(
  {
    form: $('whatif-form'),
    kind: $('wi-kind'),
    workCenter: $('wi-wc'),
    downStart: $('wi-down-start'),
    downEnd: $('wi-down-end'),
    workOrder: $('wi-wo'),
    priority: $('wi-priority'),
    receipt: $('wi-receipt'),
    receiptDate: $('wi-receipt-date'),
    add: $('wi-add'),
    run: $('wi-run'),
    pending: $('wi-pending'),
    pendingEmpty: $('wi-pending-empty'),
    message: $('wi-message'),
    diff: $('wi-diff'),
    kpis: $('wi-kpis'),
    changes: $('wi-changes'),
    changesNote: $('wi-changes-note'),
    preview: $('wi-preview'),
    commit: $('wi-commit'),
    discard: $('wi-discard'),
  },
  {
    context: () => ({ plant: state.plant, plantView: state.plantView, schedule: state.schedule, timeZone: state.timeZone }),
    run: (request) => call(() => api.whatIf(state.plant, request)),
    onPreview: (view) => {
      if (!view) {
        if (state.previewing && state.schedule) {
          gantt.setSchedule(state.schedule);
          state.previewing = false;
          renderOrderList();
        }
        $('preview-banner').hidden = true;
        return;
      }
      state.previewing = true;
      state.previewView = view;
      gantt.setSchedule({ operations: view.operations, orders: view.orders, now: state.schedule?.now });
      $('preview-banner').hidden = false;
      renderOrderList();
    },
    onCommit: () => reschedule('what-if committed from the board'),
  },
);

// ——— wiring ———

function wire() {
  const chartWidth = () => gantt.chartWidth();
  $('zoom-in').addEventListener('click', () => gantt.zoom(1.5));
  $('zoom-out').addEventListener('click', () => gantt.zoom(1 / 1.5));
  $('zoom-fit').addEventListener('click', () => gantt.fit());
  // Day and Week show what comes next: from a little before now.
  $('zoom-day').addEventListener('click', () => gantt.setView(gantt.now - 4 * HOUR, gantt.now + 20 * HOUR));
  $('zoom-week').addEventListener('click', () => gantt.setView(gantt.now - 12 * HOUR, gantt.now + 7 * 24 * HOUR - 12 * HOUR));
  $('pan-left').addEventListener('click', () => gantt.pan(-chartWidth() / 3));
  $('pan-right').addEventListener('click', () => gantt.pan(chartWidth() / 3));
  $('pan-now').addEventListener('click', () => {
    const span = gantt.viewEnd() - gantt.viewStart;
    gantt.setView(gantt.now - span / 6, gantt.now - span / 6 + span);
  });
  for (const radio of document.querySelectorAll('input[name="color-mode"]')) {
    radio.addEventListener('change', () => {
      gantt.setColorMode(radio.value);
      renderLegend();
    });
  }
  $('order-filters').addEventListener('click', (e) => {
    const button = e.target.closest('[data-filter]');
    if (!button) return;
    state.filter = button.dataset.filter;
    for (const b of document.querySelectorAll('[data-filter]')) b.setAttribute('aria-pressed', String(b === button));
    renderOrderList();
  });
  $('order-search').addEventListener('input', (e) => {
    state.search = e.target.value;
    renderOrderList();
  });
  $('orders-body').addEventListener('click', (e) => {
    const button = e.target.closest('[data-action="pick-order"]');
    if (!button) return;
    gantt.showOrder(button.dataset.order);
    selectOrder(button.dataset.order, undefined);
  });
  $('reschedule').addEventListener('click', () => reschedule('requested from the board'));
  $('proposal').addEventListener('click', (e) => {
    const button = e.target.closest('[data-decide]');
    if (button) decide(button.dataset.decide);
  });
  $('refresh').addEventListener('click', () => { loadPlant({ keepView: true }); loadHealth(); });
  $('health-refresh').addEventListener('click', loadHealth);
  $('change-key').addEventListener('click', async () => {
    if (await askKey()) { await loadPlants(); await loadPlant(); loadHealth(); }
  });
  $('plant').addEventListener('change', (e) => {
    state.plant = e.target.value;
    localStorage.setItem(PLANT_STORAGE, state.plant);
    whatIf.discard();
    loadPlant();
  });
  $('health').addEventListener('click', async (e) => {
    const button = e.target.closest('[data-replay]');
    if (!button) return;
    button.disabled = true;
    const result = await call(() => api.replay(button.dataset.replay));
    notify(result.ok ? `Dead letter ${button.dataset.replay} queued again.` : `Replay failed: ${result.message}`, result.ok ? 'good' : 'error');
    loadHealth();
  });
  // +/- zoom from anywhere that is not a text field; the canvas itself handles arrows.
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement || e.target === $('gantt-canvas')) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '+' || e.key === '=') gantt.zoom(1.5);
    else if (e.key === '-') gantt.zoom(1 / 1.5);
  });
  window.addEventListener('resize', sizeChart);
  // A notice may cover the panel a planner wants to read: a click puts it away.
  $('notice').addEventListener('click', () => { $('notice').hidden = true; });
}

function renderLegend() {
  const mode = document.querySelector('input[name="color-mode"]:checked')?.value ?? 'order';
  const swatch = (cls, label) => `<li><span class="swatch ${cls}" aria-hidden="true"></span>${label}</li>`;
  $('legend').innerHTML = (mode === 'lateness'
    ? [swatch('on-time', 'on time'), swatch('slightly-late', 'late ≤ 8 h'), swatch('late', 'late > 8 h')]
    : [swatch('by-order', 'one colour per order')]
  ).concat([swatch('fixed', 'started, frozen or pinned (dark left edge)'), swatch('non-working', 'non-working'), swatch('downtime', 'downtime'), swatch('now', 'now')]).join('');
}

/** The chart is as tall as its rows, up to most of the window; beyond that it scrolls its rows. */
function sizeChart() {
  const wrap = $('gantt-wrap');
  const border = wrap.offsetHeight - wrap.clientHeight; // the canvas gets the height inside the border
  const wanted = gantt.preferredHeight() + border;
  const max = Math.max(260, Math.round(window.innerHeight * 0.62));
  wrap.style.height = `${Math.min(wanted, max)}px`;
}

async function boot() {
  wire();
  renderLegend();
  adoptKeyFromUrl(window.location, window.history);
  if (!storedKey()) await askKey();
  await loadPlants();
  if (state.plant) localStorage.setItem(PLANT_STORAGE, state.plant);
  await loadPlant();
  sizeChart();
  gantt.resize();
  gantt.fit();
  loadHealth();
  setInterval(loadHealth, HEALTH_EVERY_MS);
}

boot();
