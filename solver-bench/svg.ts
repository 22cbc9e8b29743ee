/** Hand-written SVG charts for RESULTS.md: no plotting dependency, stable text output. */

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fixed = (n: number): string => (Math.round(n * 10) / 10).toString();
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd'];

export interface Bar {
  readonly label: string;
  /** null draws a cross: no valid answer. */
  readonly value: number | null;
}

/** Vertical bars (e.g. gap in % per instance), labels rotated under the axis. */
export function barChart(bars: readonly Bar[], title: string, yLabel: string): string {
  const width = Math.max(480, 60 + bars.length * 16);
  const height = 320;
  const left = 50;
  const top = 30;
  const plotH = 200;
  const slot = (width - left - 10) / Math.max(1, bars.length);
  const max = Math.max(1e-9, ...bars.map((b) => b.value ?? 0));
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="10">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${escape(title)}</text>`,
    `<text x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle">${escape(yLabel)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${fixed(y(v))}" y2="${fixed(y(v))}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 4}" y="${fixed(y(v) + 3)}" text-anchor="end">${fixed(v)}</text>`);
  }
  bars.forEach((bar, i) => {
    const x = left + i * slot;
    if (bar.value === null) {
      parts.push(`<text x="${fixed(x + slot / 2)}" y="${top + plotH - 2}" text-anchor="middle" fill="#d62728">×</text>`);
    } else {
      parts.push(`<rect x="${fixed(x + 1)}" y="${fixed(y(bar.value))}" width="${fixed(Math.max(1, slot - 2))}" height="${fixed(top + plotH - y(bar.value))}" fill="${COLORS[0]}"><title>${escape(`${bar.label}: ${fixed(bar.value)}`)}</title></rect>`);
    }
    const lx = x + slot / 2;
    const ly = top + plotH + 8;
    parts.push(`<text x="${fixed(lx)}" y="${ly}" transform="rotate(60 ${fixed(lx)} ${ly})">${escape(bar.label)}</text>`);
  });
  parts.push(`<line x1="${left}" x2="${width - 10}" y1="${top + plotH}" y2="${top + plotH}" stroke="black"/>`, '</svg>');
  return parts.join('\n') + '\n';
}

export interface Series {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** Log-log line chart (e.g. time against plant size), decade grid lines. */
export function logLogChart(series: readonly Series[], title: string, xLabel: string, yLabel: string): string {
  const width = 520;
  const height = 340;
  const left = 60;
  const top = 30;
  const plotW = 330;
  const plotH = 250;
  const all = series.flatMap((s) => s.points).filter((p) => p.x > 0 && p.y > 0);
  const decade = (v: number, up: boolean): number => (up ? Math.ceil(Math.log10(v)) : Math.floor(Math.log10(v)));
  const x0 = all.length ? decade(Math.min(...all.map((p) => p.x)), false) : 0;
  const x1 = all.length ? Math.max(x0 + 1, decade(Math.max(...all.map((p) => p.x)), true)) : 1;
  const y0 = all.length ? decade(Math.min(...all.map((p) => p.y)), false) : 0;
  const y1 = all.length ? Math.max(y0 + 1, decade(Math.max(...all.map((p) => p.y)), true)) : 1;
  const sx = (v: number): number => left + ((Math.log10(v) - x0) / (x1 - x0)) * plotW;
  const sy = (v: number): number => top + plotH - ((Math.log10(v) - y0) / (y1 - y0)) * plotH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="10">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left + plotW / 2}" y="16" text-anchor="middle" font-size="13">${escape(title)}</text>`,
    `<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escape(xLabel)}</text>`,
    `<text x="14" y="${top + plotH / 2}" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">${escape(yLabel)}</text>`,
  ];
  for (let d = x0; d <= x1; d++) {
    const x = fixed(sx(10 ** d));
    parts.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + plotH}" stroke="#ddd"/>`, `<text x="${x}" y="${top + plotH + 14}" text-anchor="middle">1e${d}</text>`);
  }
  for (let d = y0; d <= y1; d++) {
    const y = fixed(sy(10 ** d));
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`, `<text x="${left - 4}" y="${y}" text-anchor="end">1e${d}</text>`);
  }
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = s.points.filter((p) => p.x > 0 && p.y > 0);
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${fixed(sx(p.x))},${fixed(sy(p.y))}`).join(' ')}"/>`);
    for (const p of pts) parts.push(`<circle cx="${fixed(sx(p.x))}" cy="${fixed(sy(p.y))}" r="3" fill="${color}"><title>${escape(`${s.name}: ${p.x} → ${fixed(p.y)}`)}</title></circle>`);
    parts.push(`<rect x="${left + plotW + 12}" y="${top + i * 16}" width="10" height="10" fill="${color}"/>`, `<text x="${left + plotW + 26}" y="${top + i * 16 + 9}">${escape(s.name)}</text>`);
  });
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="black"/>`, '</svg>');
  return parts.join('\n') + '\n';
}
