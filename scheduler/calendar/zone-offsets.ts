/**
 * A time zone's UTC offsets over a span of instants, as a short list of constant-offset
 * segments. Building it costs one `tzOffset` probe per week plus a binary search per DST
 * transition (a few dozen Intl calls for a year); every local→instant conversion after that is
 * arithmetic, with no Date or TZDate objects.
 */
import { tzOffset } from '@date-fns/tz';
import { MS_PER_DAY, MS_PER_MINUTE } from './local-time.ts';

/**
 * Probe spacing. Two transitions closer than this would be missed; real zones keep their
 * transitions weeks apart (the shortest, Morocco's Ramadan suspension, is about a month).
 */
const PROBE_STEP_MS = 7 * MS_PER_DAY;

interface Segment {
  /** First instant (UTC ms) with this offset; -Infinity for the first segment. */
  readonly start: number;
  /** UTC offset in ms (local wall = instant + offset). */
  readonly offset: number;
}

export class ZoneOffsets {
  private constructor(private readonly segments: readonly Segment[]) {}

  /**
   * Offsets of `timeZone` for instants in [fromMs, toMs]; outside that span the first and last
   * offsets are assumed. Throws RangeError for a zone Intl does not know.
   */
  static scan(timeZone: string, fromMs: number, toMs: number): ZoneOffsets {
    assertKnownTimeZone(timeZone);
    const probe = new Date(0);
    const offsetAt = (ms: number): number => {
      probe.setTime(ms);
      return Math.round(tzOffset(timeZone, probe) * MS_PER_MINUTE);
    };
    let a = Math.floor(fromMs / MS_PER_MINUTE) * MS_PER_MINUTE;
    let offsetA = offsetAt(a);
    const segments: Segment[] = [{ start: -Infinity, offset: offsetA }];
    while (a < toMs) {
      const b = Math.min(a + PROBE_STEP_MS, Math.ceil(toMs / MS_PER_MINUTE) * MS_PER_MINUTE);
      const offsetB = offsetAt(b);
      // Several transitions in one step are found one after the other.
      while (offsetA !== offsetB) {
        // First whole minute in (a, b] whose offset differs from offsetA.
        let lo = a;
        let hi = b;
        while (hi - lo > MS_PER_MINUTE) {
          const mid = lo + Math.floor((hi - lo) / 2 / MS_PER_MINUTE) * MS_PER_MINUTE;
          if (offsetAt(mid) === offsetA) lo = mid;
          else hi = mid;
        }
        offsetA = offsetAt(hi);
        segments.push({ start: hi, offset: offsetA });
        a = hi;
      }
      a = b;
    }
    return new ZoneOffsets(segments);
  }

  /** UTC offset in ms at an instant. */
  offsetAt(instantMs: number): number {
    let i = this.segments.length - 1;
    while (i > 0 && this.segments[i]!.start > instantMs) i--;
    return this.segments[i]!.offset;
  }

  /** Largest offset in the scanned span (bounds how far a wall time runs ahead of UTC). */
  get maxOffset(): number {
    return Math.max(...this.segments.map((s) => s.offset));
  }

  /**
   * The instant of a local wall time, given as ms since 1970-01-01T00:00 on the wall clock.
   * A repeated wall time (fall-back) is its first occurrence; a wall time that does not exist
   * (spring-forward gap) is the first valid instant after it, i.e. the transition itself.
   */
  wallToInstant(wallMs: number): number {
    const segments = this.segments;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const candidate = wallMs - segment.offset;
      // Before this segment although not valid in the previous one: inside the gap.
      if (candidate < segment.start) return segment.start;
      const next = segments[i + 1];
      if (next === undefined || candidate < next.start) return candidate;
    }
    return wallMs - segments[segments.length - 1]!.offset; // unreachable: the last segment is open-ended
  }
}

/** Throws RangeError when the zone is not one Intl (the runtime's IANA database) knows. */
export function assertKnownTimeZone(timeZone: string): void {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') throw new RangeError(`Invalid time zone: ${String(timeZone)}`);
  new Intl.DateTimeFormat('en-US', { timeZone });
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    assertKnownTimeZone(timeZone);
    return true;
  } catch {
    return false;
  }
}
