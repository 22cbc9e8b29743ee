import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoOfMs, toIso } from '../../scheduler/model.ts';

describe('isoOfMs', () => {
  it('writes what toISOString writes, for whole minutes and anything else', () => {
    const wholeMinute = fc.integer({ min: -70_000_000, max: 4_300_000_000 }).map((m) => m * 60_000);
    fc.assert(fc.property(fc.oneof(wholeMinute, fc.integer({ min: -8.64e15, max: 8.64e15 })), (ms) => {
      expect(isoOfMs(ms)).toBe(new Date(ms).toISOString());
    }), { numRuns: 5000 });
    for (const ms of [0, -60_000, -62_167_219_200_000, -62_167_219_260_000, 253_402_300_740_000, 253_402_300_800_000, 90_000]) {
      expect(isoOfMs(ms)).toBe(new Date(ms).toISOString());
    }
    expect(() => isoOfMs(Number.NaN)).toThrow(RangeError);
  });

  it('is what toIso uses for minutes from now', () => {
    const model = { nowMs: Date.parse('2026-03-02T05:00:00Z') };
    expect(toIso(model, 0)).toBe('2026-03-02T05:00:00.000Z');
    expect(toIso(model, 24 * 60 + 61)).toBe('2026-03-03T06:01:00.000Z');
    expect(toIso(model, -301)).toBe('2026-03-01T23:59:00.000Z');
  });
});
