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

/** "Mon 23": a day in a week's header. */
export function formatWeekdayDay(t, timeZone) {
  return formatter(timeZone, { weekday: 'short', day: '2-digit' }).format(t);
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

/**
 * An operation as the engine names it in reasons ("WO-1003/30"): "operation 30" within the
 * order being explained, "WO-1004 operation 30" for another order's.
 */
export function operationName(ref, ownOrder) {
  const slash = String(ref).lastIndexOf('/');
  if (slash < 0) return `operation ${ref}`;
  const order = ref.slice(0, slash);
  const op = ref.slice(slash + 1);
  return order === ownOrder ? `operation ${op}` : `${order} operation ${op}`;
}

/**
 * One link of a reason chain as a sentence a planner can act on. `ownOrder` is the order the
 * chain explains: its own operations are named by number only.
 */
export function reasonText(link, timeZone, ownOrder) {
  const at = (iso) => formatInstant(iso, timeZone);
  const op = (ref) => operationName(ref, ownOrder);
  const subject = () => {
    const name = op(link.operation);
    return name.charAt(0).toUpperCase() + name.slice(1);
  };
  switch (link.kind) {
    case 'release':
      return `${subject()} cannot start before the order's release (${at(link.at)})`;
    case 'now':
      return `${subject()} starts as soon as possible (${at(link.at)})`;
    case 'predecessor':
      return `${subject()} waits for ${op(link.after)} to finish (${at(link.at)})`;
    case 'material':
      return `${subject()} waits for material ${link.item} from ${link.source} (${at(link.at)})${link.stockTakenBy?.length ? `; the stock before went to ${link.stockTakenBy.join(', ')}` : ''}`;
    case 'capacity':
      return `${subject()} waits for capacity on ${link.workCenter} unit ${link.unit}, behind ${op(link.behind)} (${at(link.at)})`;
    case 'calendar':
      return `${subject()} waits for working time on ${link.workCenter} (${at(link.at)})`;
    case 'fixed':
      return `${subject()} is fixed (${link.by}) at ${at(link.at)}`;
    case 'hold':
      return `Order is on hold ${link.hold}`;
    case 'shortage':
      return `Short of ${link.item}: ${link.missing} missing`;
    case 'horizon':
      return `${subject()} does not fit on ${link.workCenter} within the planning horizon`;
    default:
      return JSON.stringify(link);
  }
}

/**
 * The link that says most about why an order ends late: the one that held its operation back
 * longest (a material two weeks away beats an hour behind another order), else the first
 * (latest) one that is not just "the previous operation finished".
 */
export function keyReason(reasons) {
  let longest = null;
  for (const r of reasons) if ((r.waitMinutes ?? 0) > (longest?.waitMinutes ?? 0)) longest = r;
  return longest ?? reasons.find((r) => r.kind !== 'predecessor') ?? reasons[0] ?? null;
}

/** A schedule version's solve status in words. */
export function statusText(status) {
  switch (status) {
    case 'optimal-or-feasible':
      return 'all on time';
    case 'feasible-late':
      return 'some orders late';
    case 'partial':
      return 'some orders unscheduled';
    default:
      return String(status ?? '');
  }
}

/** Escapes text for innerHTML templates. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
