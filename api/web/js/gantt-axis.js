// The Gantt's time axis and row labels: local days and hours in the plant zone, tiered by zoom.

import { formatDate, formatDay, formatHour, formatMonth, formatWeekdayDay } from './format.js';
import { instantOf, localParts } from './zone.js';
import { COLORS, DAY, HEADER_H, HOUR, HOUR_STEPS, LABEL_W, MAX_VIEW_DAYS, ROW_H } from './gantt-style.js';

/** Local midnights (and the day's date fields) covering [from, to). */
export function days(g, from, to) {
  const out = [];
  const p = localParts(from, g.timeZone);
  for (let i = 0; ; i++) {
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day + i));
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    // Local midnights are asked for on every frame; zone lookups are the slow part.
    const key = `${g.timeZone}|${y}-${m}-${day}`;
    let start = g.midnights.get(key);
    if (start === undefined) {
      start = instantOf(y, m, day, 0, g.timeZone);
      g.midnights.set(key, start);
    }
    if (start >= to) break;
    out.push({ start, y, m, day, weekday: d.getUTCDay() });
    if (i > MAX_VIEW_DAYS + 2) break;
  }
  return out;
}

export function hourStep(g) {
  const hourPx = HOUR / g.msPerPx;
  return HOUR_STEPS.find((h) => h * hourPx >= 44) ?? null;
}

export function drawGrid(g, ctx, from, to, x) {
  const step = hourStep(g);
  const dayPx = DAY / g.msPerPx;
  for (const d of days(g, from, to)) {
    if (step) {
      ctx.strokeStyle = COLORS.hourLine;
      ctx.beginPath();
      for (let h = step; h < 24; h += step) {
        const hx = Math.round(x(instantOf(d.y, d.m, d.day, h * 60, g.timeZone))) + 0.5;
        ctx.moveTo(hx, HEADER_H);
        ctx.lineTo(hx, g.height);
      }
      ctx.stroke();
    }
    if (dayPx >= 8 || (d.weekday === 1 && dayPx * 7 >= 24) || d.day === 1) {
      const dx = Math.round(x(d.start)) + 0.5;
      ctx.strokeStyle = d.weekday === 1 ? COLORS.groupLine : COLORS.dayLine;
      ctx.beginPath();
      ctx.moveTo(dx, HEADER_H);
      ctx.lineTo(dx, g.height);
      ctx.stroke();
    }
  }
}

/**
 * Header tiers by zoom: days over hours; weeks over days; months over weeks. Each tier's
 * labels are only drawn where they fit.
 */
export function drawHeader(g, ctx, from, to, x) {
  const { width } = g;
  ctx.fillStyle = COLORS.header;
  ctx.fillRect(0, 0, width, HEADER_H);
  ctx.strokeStyle = COLORS.groupLine;
  ctx.beginPath();
  ctx.moveTo(0, HEADER_H - 0.5);
  ctx.lineTo(width, HEADER_H - 0.5);
  ctx.moveTo(LABEL_W, HEADER_H / 2 - 0.5);
  ctx.lineTo(width, HEADER_H / 2 - 0.5);
  ctx.stroke();
  ctx.save();
  ctx.beginPath();
  ctx.rect(LABEL_W, 0, width - LABEL_W, HEADER_H);
  ctx.clip();
  ctx.textBaseline = 'middle';
  const dayPx = DAY / g.msPerPx;
  const step = hourStep(g);
  const localDays = days(g, from, to);
  const top = HEADER_H / 4;
  const bottom = (3 * HEADER_H) / 4;
  const tick = (t, y0, y1) => {
    const tx = Math.round(x(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(tx, y0);
    ctx.lineTo(tx, y1);
    ctx.stroke();
  };
  // Labels stick to the left edge while their period is in view, until the next period's
  // label pushes them out: a period cut by the edge keeps a readable name, and none overlap.
  const tops = [];
  const bottoms = [];
  const topLabel = (text, t) => tops.push([text, t]);
  const label = (text, t) => bottoms.push([text, t]);
  ctx.strokeStyle = COLORS.dayLine;
  if (step && dayPx >= 70) {
    for (const d of localDays) {
      tick(d.start, 0, HEADER_H);
      topLabel(formatDay(d.start, g.timeZone), d.start);
      for (let h = step; h < 24; h += step) {
        const t = instantOf(d.y, d.m, d.day, h * 60, g.timeZone);
        tick(t, HEADER_H / 2, HEADER_H);
      }
      for (let h = 0; h < 24; h += step) {
        const t = instantOf(d.y, d.m, d.day, h * 60, g.timeZone);
        label(formatHour(t, g.timeZone), t);
      }
    }
  } else if (dayPx * 7 >= 80) {
    for (const d of localDays) {
      if (d.weekday === 1) {
        tick(d.start, 0, HEADER_H);
        topLabel(`Week of ${formatDate(d.start, g.timeZone)}`, d.start);
      } else tick(d.start, HEADER_H / 2, HEADER_H);
      if (dayPx >= 90) label(formatDay(d.start, g.timeZone), d.start);
      else if (dayPx >= 46) label(formatWeekdayDay(d.start, g.timeZone), d.start);
      else if (dayPx >= 18) label(String(d.day), d.start);
    }
    // The week in view before its Monday still gets a name.
    const first = localDays[0];
    if (first && first.weekday !== 1) tops.unshift([`Week of ${formatDate(first.start + 12 * HOUR - ((first.weekday + 6) % 7) * DAY, g.timeZone)}`, first.start]);
  } else {
    for (const d of localDays) {
      if (d.day === 1) {
        tick(d.start, 0, HEADER_H);
        topLabel(formatMonth(d.start, g.timeZone), d.start);
      }
      if (d.weekday === 1) {
        tick(d.start, HEADER_H / 2, HEADER_H);
        if (dayPx * 7 >= 24) label(String(d.day), d.start);
      }
    }
    // The month in view before its first day still gets a name.
    const first = localDays[0];
    if (first && first.day !== 1) tops.unshift([formatMonth(first.start, g.timeZone), first.start]);
  }
  const sticky = (labels, y) => labels.forEach(([text, t], i) => {
    let lx = Math.max(x(t), LABEL_W) + 5;
    const next = labels[i + 1];
    if (next) lx = Math.min(lx, x(next[1]) - ctx.measureText(text).width - 10);
    ctx.fillText(text, lx, y);
  });
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.fillStyle = COLORS.text;
  sticky(tops, top);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = COLORS.muted;
  sticky(bottoms, bottom);
  ctx.restore();
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.fillStyle = COLORS.muted;
  ctx.fillText('Work center', 12, top);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText(g.timeZone, 12, bottom);
}

export function drawLabels(g, ctx, firstRow, lastRow) {
  ctx.fillStyle = COLORS.header;
  ctx.fillRect(0, HEADER_H, LABEL_W, g.height - HEADER_H);
  ctx.textBaseline = 'middle';
  for (let r = firstRow; r < lastRow; r++) {
    const row = g.rows[r];
    const y = HEADER_H + (r - firstRow) * ROW_H;
    const prev = g.rows[r - 1];
    const firstOfGroup = r === firstRow || !prev || prev.workCenter !== row.workCenter;
    if (firstOfGroup) {
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.fillStyle = COLORS.text;
      ctx.fillText(row.workCenter, 12, y + ROW_H / 2);
      const w = ctx.measureText(row.workCenter).width;
      if (row.name !== row.workCenter) {
        ctx.font = '11px system-ui, sans-serif';
        ctx.fillStyle = COLORS.muted;
        ctx.fillText(fitText(ctx, row.name, LABEL_W - w - 52), 12 + w + 7, y + ROW_H / 2);
      }
    }
    if (row.units > 1) {
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = COLORS.muted;
      ctx.textAlign = 'right';
      ctx.fillText(`unit ${row.unit}`, LABEL_W - 8, y + ROW_H / 2);
      ctx.textAlign = 'left';
    }
    const next = g.rows[r + 1];
    ctx.strokeStyle = next && next.workCenter === row.workCenter ? COLORS.rowLine : COLORS.groupLine;
    ctx.beginPath();
    ctx.moveTo(0, y + ROW_H - 0.5);
    ctx.lineTo(LABEL_W, y + ROW_H - 0.5);
    ctx.stroke();
  }
  ctx.strokeStyle = COLORS.groupLine;
  ctx.beginPath();
  ctx.moveTo(LABEL_W - 0.5, 0);
  ctx.lineTo(LABEL_W - 0.5, g.height);
  ctx.stroke();
}

/** The text cut with an ellipsis to fit `max` pixels (squeezed glyphs are harder to read). */
function fitText(ctx, text, max) {
  if (ctx.measureText(text).width <= max) return text;
  let n = text.length;
  while (n > 1 && ctx.measureText(`${text.slice(0, n)}…`).width > max) n--;
  return `${text.slice(0, n).trimEnd()}…`;
}
