// Plant-local wall-clock time with nothing but Intl: offsets of an IANA zone at an instant,
// and the instant of a local date + time (DST gaps resolve forward, overlaps take the first).

const partsFormatters = new Map();

function partsFormatter(timeZone) {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

const QUARTER_HOUR = 900_000;
const offsetCaches = new Map();

/** Zone offset in ms at instant t straight from Intl (slow: a formatToParts call). */
function offsetFromIntl(t, timeZone) {
  const out = {};
  for (const p of partsFormatter(timeZone).formatToParts(t)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(out.year, out.month - 1, out.day, out.hour % 24, out.minute, out.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/**
 * Zone offset in ms at instant t (local = UTC + offset), memoised per quarter hour: every
 * zone in use changes its offset on a quarter-hour boundary, so one lookup serves the bucket.
 */
export function offsetAt(t, timeZone) {
  let cache = offsetCaches.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCaches.set(timeZone, cache);
  }
  const bucket = Math.floor(t / QUARTER_HOUR);
  let offset = cache.get(bucket);
  if (offset === undefined) {
    offset = offsetFromIntl(bucket * QUARTER_HOUR, timeZone);
    cache.set(bucket, offset);
  }
  return offset;
}

/** Local calendar fields of instant `t` (ms) in `timeZone`. */
export function localParts(t, timeZone) {
  const local = new Date(t + offsetAt(t, timeZone));
  return {
    year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(),
    hour: local.getUTCHours(), minute: local.getUTCMinutes(), second: local.getUTCSeconds(),
  };
}

/** Instant (ms) of local wall time y-m-d + minutes in `timeZone`; minutes may pass 24h (next day). */
export function instantOf(year, month, day, minutes, timeZone) {
  const wall = Date.UTC(year, month - 1, day) + minutes * 60_000;
  // The offsets a day either side bracket any transition; try both.
  const early = wall - offsetAt(wall - 86_400_000, timeZone);
  const late = wall - offsetAt(wall + 86_400_000, timeZone);
  const valid = [early, late].filter((c) => c + offsetAt(c, timeZone) === wall);
  // Overlap (fall back): both valid, take the first. Gap (spring forward): none, move forward.
  return valid.length ? Math.min(...valid) : Math.max(early, late);
}

/** 'YYYY-MM-DDTHH:mm' (a datetime-local value) in the plant zone → ISO instant; null when unreadable. */
export function localInputToIso(value, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? '');
  if (!m) return null;
  const t = instantOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]) * 60 + Number(m[5]), timeZone);
  return new Date(t).toISOString();
}

/** ISO instant → datetime-local value in the plant zone. */
export function isoToLocalInput(iso, timeZone) {
  const p = localParts(Date.parse(iso), timeZone);
  const two = (n) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}
