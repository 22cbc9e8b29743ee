// Geometry, colours and lookups shared by the Gantt's drawing and input code.

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const LABEL_W = 168;
export const HEADER_H = 46;
export const ROW_H = 30;
export const BAR_H = 20;
export const MIN_MS_PER_PX = 10_000; // ~6 minutes per 36 px: closest zoom
export const MAX_VIEW_DAYS = 240;
export const HOUR_STEPS = [1, 2, 3, 4, 6, 12];

export const COLORS = {
  background: '#ffffff',
  nonWorking: '#eceff3',
  rowLine: '#e3e6eb',
  groupLine: '#b9c0ca',
  dayLine: '#c5ccd6',
  hourLine: '#f0f2f5',
  header: '#f7f8fa',
  text: '#1f2933',
  muted: '#5f6b7a',
  now: '#2563eb',
  downtime: '#c2410c',
  selected: '#111827',
  onTime: '#3f9d5a',
  slightlyLate: '#d99a1e',
  late: '#c93c37',
  unknown: '#8a94a3',
};

const GOLDEN_RATIO_CONJUGATE = 0.6180339887;
const LIGHTNESS = [70, 56, 82];

/**
 * One colour per order, light enough for dark text: hues spread by the golden ratio over the
 * 300° that leave out the reds (they mean "late" in the other colour mode), in three
 * lightnesses, so that 50 orders side by side stay told apart. By sorted id, so an order keeps
 * its colour while the others stay.
 */
export function orderPalette(ids) {
  const sorted = [...new Set(ids)].sort();
  return new Map(sorted.map((id, i) => [id, `hsl(${(30 + 300 * ((i * GOLDEN_RATIO_CONJUGATE) % 1)).toFixed(1)} 55% ${LIGHTNESS[i % LIGHTNESS.length]}%)`]));
}

export function latenessColor(order) {
  if (!order || order.latenessMinutes === null || order.latenessMinutes === undefined) return COLORS.unknown;
  if (order.latenessMinutes <= 0) return COLORS.onTime;
  if (order.latenessMinutes <= 8 * 60) return COLORS.slightlyLate;
  return COLORS.late;
}

/** Index of the first bar in `row` whose end is after t. */
export function firstEndingAfter(row, t) {
  let lo = 0;
  let hi = row.ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (row.ends[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
