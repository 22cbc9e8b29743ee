// Readable text for instants (in the plant zone), durations, KPIs and reason chains.

const formatters = new Map();

function formatter(timeZone, options) {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
}

/** "Mon 23 Nov 14:30" in the plant zone; "—" for null. */
export function formatInstant(iso, timeZone) {
  if (iso === null || iso === undefined) return '—';
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  return formatter(timeZone, { weekday: 'short', day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
}

export function formatDay(t, timeZone) {
  return formatter(timeZone, { weekday: 'short', day: '2-digit', month: 'short' }).format(t);
}

export function formatDate(t, timeZone) {
  return formatter(timeZone, { day: 'numeric', month: 'short' }).format(t);
}

export function formatMonth(t, timeZone) {
  return formatter(timeZone, { month: 'short', year: 'numeric' }).format(t);
}

export function formatHour(t, timeZone) {
  return formatter(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
}

/** 95 → "1 h 35 min", 3000 → "2 d 2 h"; signed when asked. */
export function formatMinutes(minutes, { signed = false } = {}) {
  if (minutes === null || minutes === undefined) return '—';
  const sign = minutes < 0 ? '−' : signed && minutes > 0 ? '+' : '';
  let m = Math.round(Math.abs(minutes));
  const d = Math.floor(m / 1440);
  m -= d * 1440;
  const h = Math.floor(m / 60);
  m -= h * 60;
  const parts = d ? [`${d} d`, h ? `${h} h` : ''] : h ? [`${h} h`, m ? `${m} min` : ''] : [`${m} min`];
  return sign + parts.filter(Boolean).join(' ');
}

export function formatPercent(rate) {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`;
}

/** One link of a reason chain as a sentence a planner can act on. */
export function reasonText(link, timeZone) {
  const at = (iso) => formatInstant(iso, timeZone);
  switch (link.kind) {
    case 'release':
      return `Operation ${link.operation} cannot start before the order's release (${at(link.at)})`;
    case 'now':
      return `Operation ${link.operation} starts as soon as possible (${at(link.at)})`;
    case 'predecessor':
      return `Operation ${link.operation} waits for operation ${link.after} to finish (${at(link.at)})`;
    case 'material':
      return `Operation ${link.operation} waits for material ${link.item} from ${link.source} (${at(link.at)})`;
    case 'capacity':
      return `Operation ${link.operation} waits for capacity on ${link.workCenter} unit ${link.unit}, behind ${link.behind} (${at(link.at)})`;
    case 'calendar':
      return `Operation ${link.operation} waits for working time on ${link.workCenter} (${at(link.at)})`;
    case 'fixed':
      return `Operation ${link.operation} is fixed (${link.by}) at ${at(link.at)}`;
    case 'hold':
      return `Order is on hold ${link.hold}`;
    case 'shortage':
      return `Short of ${link.item}: ${link.missing} missing`;
    default:
      return JSON.stringify(link);
  }
}

/** Escapes text for innerHTML templates. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
