// The Gantt chart: one row per work-center unit, one bar per operation, drawn on a canvas.
// Only the visible window is drawn: rows are cut by scroll position and each row's bars are
// found by binary search (a unit runs one operation at a time, so starts and ends are both sorted).

import { CalendarShading, downtimesOf } from './shading.js';
import { drawGrid, drawHeader, drawLabels } from './gantt-axis.js';
import { attachInput } from './gantt-input.js';
import { BAR_H, COLORS, DAY, HEADER_H, HOUR, LABEL_W, MAX_VIEW_DAYS, MIN_MS_PER_PX, ROW_H, firstEndingAfter, latenessColor, orderPalette } from './gantt-style.js';

const FIT_WHOLE_PLAN_MS = 31 * DAY;

export class Gantt {
  /**
   * @param {{ canvas: HTMLCanvasElement, tooltip: HTMLElement, onSelect: (bar) => void, onDraw: (stats) => void }} parts
   */
  constructor({ canvas, tooltip, onSelect, onDraw }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.tooltip = tooltip;
    this.onSelect = onSelect;
    this.onDraw = onDraw;
    this.timeZone = 'UTC';
    this.workCenters = [];
    this.shadings = new Map();
    this.midnights = new Map();
    this.rows = [];
    this.ops = [];
    this.orders = new Map();
    this.now = Date.now();
    this.colorMode = 'order';
    this.viewStart = Date.now() - 2 * HOUR;
    this.msPerPx = 60_000;
    this.scrollRow = 0;
    this.selected = null; // operation index
    this.highlightOrder = null;
    this.lastDrawMs = 0;
    this.drawnBars = 0;
    this.textWidths = new Map();
    this.pending = false;
    this.width = 0;
    this.height = 0;
    attachInput(this);
  }

  // ——— data ———

  /** Work centers (for rows, calendars, downtimes) from a PlantView; optional. */
  setPlant(plantView) {
    const problem = plantView?.problem;
    this.timeZone = plantView?.timeZone ?? problem?.plant?.timeZone ?? 'UTC';
    this.workCenters = problem?.workCenters ?? [];
    const calendars = new Map((problem?.calendars ?? []).map((c) => [c.id, new CalendarShading(c, this.timeZone)]));
    this.shadings = new Map(this.workCenters.map((w) => [w.id, calendars.get(w.calendar) ?? null]));
    this.rebuildRows();
  }

  /** Operations and orders to show (the current version, or a what-if preview). */
  setSchedule({ operations, orders, now }) {
    this.ops = operations;
    this.orders = new Map(orders.map((o) => [o.workOrder, o]));
    this.now = now ? Date.parse(now) : Date.now();
    this.selected = null;
    this.rebuildRows();
  }

  rebuildRows() {
    const rows = [];
    const byKey = new Map();
    const addRow = (wcId, unit, wc) => {
      const row = { key: `${wcId}#${unit}`, workCenter: wcId, unit, name: wc?.name ?? wcId, units: wc?.units ?? 1, downtimes: wc ? downtimesOf(wc, unit) : [], bars: [] };
      rows.push(row);
      byKey.set(row.key, row);
      return row;
    };
    for (const wc of this.workCenters) for (let u = 1; u <= wc.units; u++) addRow(wc.id, u, wc);
    this.ops.forEach((op, i) => {
      const key = `${op.workCenter}#${op.unit}`;
      // A work center the plant state does not list still gets a row: never drop an operation.
      const row = byKey.get(key) ?? addRow(op.workCenter, op.unit, null);
      row.bars.push(i);
    });
    rows.sort((a, b) => this.workCenterRank(a.workCenter) - this.workCenterRank(b.workCenter) || a.workCenter.localeCompare(b.workCenter) || a.unit - b.unit);
    for (const row of rows) {
      row.bars.sort((a, b) => Date.parse(this.ops[a].start) - Date.parse(this.ops[b].start));
      row.starts = Float64Array.from(row.bars, (i) => Date.parse(this.ops[i].start));
      row.ends = Float64Array.from(row.bars, (i) => Date.parse(this.ops[i].end));
      // Ends are sorted for a unit that runs one thing at a time; keep the search valid even if not.
      for (let k = 1; k < row.ends.length; k++) if (row.ends[k] < row.ends[k - 1]) row.ends[k] = row.ends[k - 1];
    }
    this.rows = rows;
    this.order = Array.from(this.ops.keys()).sort((a, b) => Date.parse(this.ops[a].start) - Date.parse(this.ops[b].start));
    this.recolor();
  }

  workCenterRank(id) {
    const i = this.workCenters.findIndex((w) => w.id === id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  }

  setColorMode(mode) {
    this.colorMode = mode;
    this.recolor();
  }

  recolor() {
    const palette = this.colorMode === 'lateness' ? null : orderPalette(this.ops.map((op) => op.workOrder));
    this.colors = this.ops.map((op) => (palette === null ? latenessColor(this.orders.get(op.workOrder)) : palette.get(op.workOrder)));
    this.requestDraw();
  }

  barCount() {
    return this.ops.length;
  }

  /** Time range of all bars (or around now when empty). */
  extent() {
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of this.rows) {
      if (!row.starts.length) continue;
      lo = Math.min(lo, row.starts[0]);
      hi = Math.max(hi, row.ends[row.ends.length - 1]);
    }
    return Number.isFinite(lo) ? [Math.min(lo, this.now), hi] : [this.now, this.now + 7 * DAY];
  }

  // ——— view ———

  chartWidth() {
    return Math.max(50, this.width - LABEL_W);
  }

  visibleRows() {
    return Math.max(1, Math.floor((this.height - HEADER_H) / ROW_H));
  }

  viewEnd() {
    return this.viewStart + this.chartWidth() * this.msPerPx;
  }

  setView(start, end) {
    this.msPerPx = this.clampScale((end - start) / this.chartWidth());
    this.viewStart = start;
    this.requestDraw();
  }

  clampScale(msPerPx) {
    return Math.min(Math.max(msPerPx, MIN_MS_PER_PX), (MAX_VIEW_DAYS * DAY) / this.chartWidth());
  }

  /**
   * Shows from a little before now to the last planned end; a plan longer than a month shows
   * its first two weeks (a planner acts on the near term; zoom out for the rest).
   */
  fit() {
    const [, hi] = this.extent();
    const start = this.now - 2 * HOUR;
    const end = Math.max(hi + 4 * HOUR, start + DAY);
    this.setView(start, end - start <= FIT_WHOLE_PLAN_MS ? end : start + 14 * DAY);
  }

  zoom(factor, anchorX = this.chartWidth() / 2) {
    const anchorT = this.viewStart + anchorX * this.msPerPx;
    this.msPerPx = this.clampScale(this.msPerPx / factor);
    this.viewStart = anchorT - anchorX * this.msPerPx;
    this.requestDraw();
  }

  pan(px) {
    this.viewStart += px * this.msPerPx;
    this.requestDraw();
  }

  scrollRows(n) {
    const max = Math.max(0, this.rows.length - this.visibleRows());
    this.scrollRow = Math.min(max, Math.max(0, this.scrollRow + n));
    this.requestDraw();
  }

  /** Brings an operation into view (centred when off-screen) and marks it selected. */
  select(index, { notify = true } = {}) {
    this.selected = index;
    const op = this.ops[index];
    if (op) {
      const s = Date.parse(op.start);
      const e = Date.parse(op.end);
      if (e < this.viewStart || s > this.viewEnd()) this.viewStart = s - (this.viewEnd() - this.viewStart) / 3;
      const r = this.rows.findIndex((row) => row.workCenter === op.workCenter && row.unit === op.unit);
      if (r >= 0 && (r < this.scrollRow || r >= this.scrollRow + this.visibleRows())) this.scrollRows(r - this.scrollRow - 1);
      if (notify) this.onSelect?.(this.barInfo(index));
    }
    this.requestDraw();
  }

  /** Outlines every bar of an order and shows its first operation. */
  showOrder(workOrder) {
    this.highlightOrder = workOrder;
    const first = this.order.find((i) => this.ops[i].workOrder === workOrder);
    if (first !== undefined) this.select(first, { notify: false });
    else this.requestDraw();
  }

  barInfo(index) {
    const op = this.ops[index];
    return op ? { index, operation: op, order: this.orders.get(op.workOrder) ?? null } : null;
  }

  // ——— drawing ———

  requestDraw() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  resize() {
    const dpr = window.devicePixelRatio || 1;
    const rect = this.canvas.getBoundingClientRect();
    this.width = Math.round(rect.width);
    this.height = Math.round(rect.height);
    this.canvas.width = Math.round(this.width * dpr);
    this.canvas.height = Math.round(this.height * dpr);
    this.dpr = dpr;
  }

  /** Height the canvas needs for every row, so the page can size it. */
  preferredHeight() {
    return HEADER_H + Math.max(1, this.rows.length) * ROW_H + 1;
  }

  draw() {
    const t0 = performance.now();
    const ctx = this.ctx;
    const { width, height } = this;
    if (!width || !height) return;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = COLORS.background;
    ctx.fillRect(0, 0, width, height);

    const from = this.viewStart;
    const to = this.viewEnd();
    const x = (t) => LABEL_W + (t - from) / this.msPerPx;
    // The canvas may have grown (or rows gone) since the last scroll: no blank rows at the bottom.
    this.scrollRow = Math.min(this.scrollRow, Math.max(0, this.rows.length - this.visibleRows()));
    const firstRow = this.scrollRow;
    const lastRow = Math.min(this.rows.length, firstRow + this.visibleRows() + 1);

    ctx.save();
    ctx.beginPath();
    ctx.rect(LABEL_W, HEADER_H, width - LABEL_W, height - HEADER_H);
    ctx.clip();

    // Non-working time, once per calendar, then painted on each of its rows.
    const nonWorking = new Map();
    for (let r = firstRow; r < lastRow; r++) {
      const row = this.rows[r];
      const y = HEADER_H + (r - firstRow) * ROW_H;
      const shading = this.shadings.get(row.workCenter);
      if (shading) {
        let intervals = nonWorking.get(shading);
        if (!intervals) {
          intervals = shading.nonWorking(from, to);
          nonWorking.set(shading, intervals);
        }
        ctx.fillStyle = COLORS.nonWorking;
        for (const [s, e] of intervals) ctx.fillRect(x(s), y, (e - s) / this.msPerPx, ROW_H);
      }
    }

    drawGrid(this, ctx, from, to, x);

    // Downtimes: hatched, on the units they stop.
    for (let r = firstRow; r < lastRow; r++) {
      const row = this.rows[r];
      const y = HEADER_H + (r - firstRow) * ROW_H;
      for (const d of row.downtimes) {
        if (d.end <= from || d.start >= to) continue;
        const x0 = x(Math.max(d.start, from));
        const w = (Math.min(d.end, to) - Math.max(d.start, from)) / this.msPerPx;
        ctx.fillStyle = 'rgba(194, 65, 12, 0.12)';
        ctx.fillRect(x0, y + 1, w, ROW_H - 2);
        ctx.strokeStyle = 'rgba(194, 65, 12, 0.55)';
        ctx.lineWidth = 1;
        ctx.beginPath();
        for (let hx = x0 - ROW_H; hx < x0 + w; hx += 7) {
          ctx.moveTo(Math.max(hx, x0), y + ROW_H - 1 - (Math.max(hx, x0) - hx));
          ctx.lineTo(Math.min(hx + ROW_H, x0 + w), y + 1 + (hx + ROW_H - Math.min(hx + ROW_H, x0 + w)));
        }
        ctx.stroke();
      }
    }

    // Row separators, heavier between work centers.
    for (let r = firstRow; r < lastRow; r++) {
      const row = this.rows[r];
      const next = this.rows[r + 1];
      const y = HEADER_H + (r - firstRow + 1) * ROW_H - 0.5;
      ctx.strokeStyle = next && next.workCenter === row.workCenter ? COLORS.rowLine : COLORS.groupLine;
      ctx.beginPath();
      ctx.moveTo(LABEL_W, y);
      ctx.lineTo(width, y);
      ctx.stroke();
    }

    // Bars.
    let drawn = 0;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const selectedOp = this.selected === null ? null : this.ops[this.selected];
    for (let r = firstRow; r < lastRow; r++) {
      const row = this.rows[r];
      const y = HEADER_H + (r - firstRow) * ROW_H + (ROW_H - BAR_H) / 2;
      for (let k = firstEndingAfter(row, from); k < row.bars.length && row.starts[k] < to; k++) {
        const i = row.bars[k];
        const op = this.ops[i];
        const bx = x(row.starts[k]);
        const bw = Math.max(1, (Date.parse(op.end) - row.starts[k]) / this.msPerPx);
        ctx.fillStyle = this.colors[i];
        // A hairline gap keeps back-to-back operations of one colour apart.
        ctx.fillRect(bx, y, bw > 4 ? bw - 1 : bw, BAR_H);
        drawn++;
        if (op.fixedBy !== 'planned' && bw > 6) {
          ctx.fillStyle = 'rgba(17, 24, 39, 0.55)';
          ctx.fillRect(bx, y, 3, BAR_H);
        }
        const emphasised = i === this.selected || op.workOrder === this.highlightOrder || (selectedOp && op.workOrder === selectedOp.workOrder);
        if (emphasised) {
          ctx.strokeStyle = COLORS.selected;
          ctx.lineWidth = i === this.selected ? 2.5 : 1.5;
          ctx.strokeRect(bx + 0.75, y + 0.75, bw - 1.5, BAR_H - 1.5);
          ctx.lineWidth = 1;
        }
        if (bw > 44) {
          // The order id only where it fits whole: a cut "WO-10" reads as another order.
          const long = `${op.workOrder} · ${op.operation}`;
          const room = Math.min(bx + bw, width) - Math.max(bx, LABEL_W); // the part in view
          const label = this.textWidth(ctx, long) + 10 <= room ? long : this.textWidth(ctx, op.workOrder) + 10 <= room ? op.workOrder : null;
          if (label === null) continue;
          ctx.save();
          ctx.beginPath();
          ctx.rect(bx + 4, y, bw - 8, BAR_H);
          ctx.clip();
          ctx.fillStyle = this.colorMode === 'lateness' ? '#ffffff' : COLORS.text;
          ctx.fillText(label, Math.max(bx, LABEL_W) + 5, y + BAR_H / 2 + 0.5);
          ctx.restore();
        }
      }
    }

    // Now.
    if (this.now >= from && this.now <= to) {
      ctx.strokeStyle = COLORS.now;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x(this.now), HEADER_H);
      ctx.lineTo(x(this.now), height);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
    ctx.restore();

    drawHeader(this, ctx, from, to, x);
    drawLabels(this, ctx, firstRow, lastRow);

    this.drawnBars = drawn;
    this.lastDrawMs = performance.now() - t0;
    this.onDraw?.({ bars: this.ops.length, drawn, ms: this.lastDrawMs, rows: this.rows.length, firstRow, lastRow });
  }

  /** Label widths at the bar font, measured once per text. */
  textWidth(ctx, text) {
    let w = this.textWidths.get(text);
    if (w === undefined) {
      w = ctx.measureText(text).width;
      this.textWidths.set(text, w);
    }
    return w;
  }

  // ——— interaction ———

  /** The operation under canvas point (px, py), or null. */
  hit(px, py) {
    if (px < LABEL_W || py < HEADER_H) return null;
    const r = this.scrollRow + Math.floor((py - HEADER_H) / ROW_H);
    const row = this.rows[r];
    if (!row) return null;
    const yIn = (py - HEADER_H) % ROW_H;
    if (yIn < (ROW_H - BAR_H) / 2 - 2 || yIn > (ROW_H + BAR_H) / 2 + 2) return null;
    const t = this.viewStart + (px - LABEL_W) * this.msPerPx;
    const slack = 2 * this.msPerPx; // thin bars stay clickable
    for (let k = firstEndingAfter(row, t - slack); k < row.bars.length && row.starts[k] <= t + slack; k++) {
      return row.bars[k];
    }
    return null;
  }

  /** Keyboard selection: the next/previous operation by start time. */
  step(direction) {
    if (!this.order.length) return;
    let pos = this.selected === null ? -1 : this.order.indexOf(this.selected);
    if (pos < 0) {
      // Start from the first bar in view.
      pos = this.order.findIndex((i) => Date.parse(this.ops[i].end) > this.viewStart) - (direction > 0 ? 1 : 0);
    }
    const next = Math.min(this.order.length - 1, Math.max(0, pos + direction));
    this.select(this.order[next]);
  }

  hideTooltip() {
    this.tooltip.hidden = true;
  }
}
