// Mouse, wheel and keyboard for the Gantt: zoom, pan, scroll rows, hover tooltip, click select.

import { formatInstant } from './format.js';
import { HEADER_H, LABEL_W } from './gantt-style.js';

export function attachInput(g) {
  const canvas = g.canvas;
  canvas.addEventListener('wheel', (e) => {
    const rect = canvas.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      g.zoom(Math.exp(-e.deltaY * 0.0025), Math.max(0, e.clientX - rect.left - LABEL_W));
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      e.preventDefault();
      g.pan(e.shiftKey ? e.deltaY : e.deltaX);
    } else if (g.rows.length > g.visibleRows()) {
      e.preventDefault();
      g.scrollRows(Math.sign(e.deltaY));
    }
  }, { passive: false });

  let drag = null;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, start: g.viewStart, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    const rect = canvas.getBoundingClientRect();
    if (drag) {
      const dx = e.clientX - drag.x;
      if (Math.abs(dx) > 4) drag.moved = true;
      if (drag.moved) {
        g.viewStart = drag.start - dx * g.msPerPx;
        g.hideTooltip();
        g.requestDraw();
        return;
      }
    }
    hover(g, e.clientX - rect.left, e.clientY - rect.top);
  });
  canvas.addEventListener('pointerup', (e) => {
    const rect = canvas.getBoundingClientRect();
    const wasDrag = drag?.moved;
    drag = null;
    if (wasDrag) return;
    const i = g.hit(e.clientX - rect.left, e.clientY - rect.top);
    if (i !== null) g.select(i);
  });
  canvas.addEventListener('pointerleave', () => g.hideTooltip());

  canvas.addEventListener('keydown', (e) => {
    const page = g.chartWidth() / 6;
    const handled = {
      ArrowLeft: () => g.pan(-page),
      ArrowRight: () => g.pan(page),
      ArrowUp: () => g.scrollRows(-1),
      ArrowDown: () => g.scrollRows(1),
      PageUp: () => g.scrollRows(-g.visibleRows()),
      PageDown: () => g.scrollRows(g.visibleRows()),
      '+': () => g.zoom(1.5),
      '=': () => g.zoom(1.5),
      '-': () => g.zoom(1 / 1.5),
      _: () => g.zoom(1 / 1.5),
      Home: () => g.fit(),
      ']': () => g.step(1),
      '[': () => g.step(-1),
      n: () => g.step(1),
      p: () => g.step(-1),
      Escape: () => { g.selected = null; g.highlightOrder = null; g.requestDraw(); },
    }[e.key];
    if (handled && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      handled();
    }
  });

  new ResizeObserver(() => {
    g.resize();
    g.draw();
  }).observe(canvas);
  g.resize();
}

export function hover(g, px, py) {
  const i = g.hit(px, py);
  g.canvas.style.cursor = i === null ? 'grab' : 'pointer';
  if (i === null) return g.hideTooltip();
  g.tooltip.replaceChildren(...tooltipContent(g, i));
  g.tooltip.hidden = false;
  const tipW = g.tooltip.offsetWidth;
  const tipH = g.tooltip.offsetHeight;
  const left = px + 14 + tipW > g.width ? px - tipW - 10 : px + 14;
  // Above the pointer when below it would run past the chart's bottom (the last rows).
  const top = py + 16 + tipH > g.height ? py - tipH - 10 : py + 16;
  g.tooltip.style.left = `${Math.max(0, left)}px`;
  g.tooltip.style.top = `${Math.max(0, top)}px`;
}

export function tooltipContent(g, i) {
  const op = g.ops[i];
  const order = g.orders.get(op.workOrder);
  const line = (label, value) => {
    const div = document.createElement('div');
    const b = document.createElement('span');
    b.className = 'tip-label';
    b.textContent = label;
    div.append(b, ` ${value}`);
    return div;
  };
  const title = document.createElement('strong');
  title.textContent = `${op.workOrder} · op ${op.operation}`;
  const when = (iso) => formatInstant(iso, g.timeZone);
  return [
    title,
    line('Work center', `${op.workCenter} · unit ${op.unit}`),
    line('Start', when(op.start)),
    line('End', when(op.end)),
    line('Quantity', op.quantity),
    line('Material', op.materialReadyAt ? `ready ${when(op.materialReadyAt)}` : '—'),
    ...(order ? [line('Due', when(order.due))] : []),
  ];
}
