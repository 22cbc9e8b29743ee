import { tzOffset } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZoneOffsets } from '../../../scheduler/calendar/zone-offsets.ts';

const FROM = Date.parse('2025-06-01T00:00:00Z');
const TO = Date.parse('2027-06-01T00:00:00Z');

describe('ZoneOffsets', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Pacific/Chatham', 'Asia/Kolkata', 'UTC'])(
    'matches tzOffset at every instant of the scanned span in %s',
    (zone) => {
      const zoneOffsets = ZoneOffsets.scan(zone, FROM, TO);
      fc.assert(
        fc.property(fc.integer({ min: FROM, max: TO }), (ms) => {
          expect(zoneOffsets.offsetAt(ms)).toBe(tzOffset(zone, new Date(ms)) * 60_000);
        }),
        { numRuns: 500 },
      );
    },
  );

  it('finds the exact minute of each transition', () => {
    const berlin = ZoneOffsets.scan('Europe/Berlin', FROM, TO);
    const spring = Date.parse('2026-03-29T01:00:00Z');
    expect(berlin.offsetAt(spring - 1)).toBe(3_600_000);
    expect(berlin.offsetAt(spring)).toBe(7_200_000);
    const fall = Date.parse('2026-10-25T01:00:00Z');
    expect(berlin.offsetAt(fall - 1)).toBe(7_200_000);
    expect(berlin.offsetAt(fall)).toBe(3_600_000);
  });

  it('wallToInstant: normal, repeated (first occurrence) and skipped (the jump) wall times', () => {
    const berlin = ZoneOffsets.scan('Europe/Berlin', FROM, TO);
    const wall = (iso: string) => Date.parse(`${iso}Z`); // wall clock read as if it were UTC
    expect(berlin.wallToInstant(wall('2026-01-05T06:00:00'))).toBe(Date.parse('2026-01-05T05:00:00Z'));
    expect(berlin.wallToInstant(wall('2026-07-05T06:00:00'))).toBe(Date.parse('2026-07-05T04:00:00Z'));
    expect(berlin.wallToInstant(wall('2026-03-29T02:00:00'))).toBe(Date.parse('2026-03-29T01:00:00Z'));
    expect(berlin.wallToInstant(wall('2026-03-29T02:59:00'))).toBe(Date.parse('2026-03-29T01:00:00Z'));
    expect(berlin.wallToInstant(wall('2026-03-29T03:00:00'))).toBe(Date.parse('2026-03-29T01:00:00Z'));
    expect(berlin.wallToInstant(wall('2026-10-25T02:30:00'))).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(berlin.wallToInstant(wall('2026-10-25T03:00:00'))).toBe(Date.parse('2026-10-25T02:00:00Z'));
  });

  it('throws RangeError for a zone the runtime does not know', () => {
    expect(() => ZoneOffsets.scan('Nowhere/Special', FROM, TO)).toThrow(RangeError);
  });
});
