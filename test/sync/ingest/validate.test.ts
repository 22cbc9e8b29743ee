import { describe, expect, it } from 'vitest';
import { isIsoInstant, isLocalDate, isLocalTime, isTimeZone } from '../../../sync/ingest/formats.ts';
import { pointerToPath, validateEnvelope, validateEventData } from '../../../sync/ingest/validate.ts';

describe('formats', () => {
  it('accepts instants only with an offset and a real date', () => {
    expect(['2026-11-22T08:00:00Z', '2026-11-22T08:00Z', '2026-11-22T08:00:00.123+05:30'].map(isIsoInstant)).toEqual([true, true, true]);
    expect(['2026-11-22T08:00:00', '2026-02-30T08:00:00Z', '2026-11-22T24:00:00Z', '2026-11-22', 'now'].map(isIsoInstant)).toEqual([false, false, false, false, false]);
  });
  it('checks local dates, times and zones', () => {
    expect([isLocalDate('2028-02-29'), isLocalDate('2027-02-29')]).toEqual([true, false]);
    expect(['06:00', '24:00', '24:01', '6:00', '23:60'].map(isLocalTime)).toEqual([true, true, false, false, false]);
    expect(['Europe/Berlin', 'UTC', 'Mars/Olympus', ''].map(isTimeZone)).toEqual([true, true, false, false]);
  });
});

describe('validation', () => {
  it('turns JSON pointers into field paths', () => {
    expect(pointerToPath('data', '/operations/0/modes/12/runMinutesPerUnit')).toBe('data.operations[0].modes[12].runMinutesPerUnit');
    expect(pointerToPath('data', '/a~1b')).toBe('data["a/b"]');
    expect(pointerToPath('data', '')).toBe('data');
  });
  it('names the envelope field at fault', () => {
    expect(validateEnvelope({ id: 'e1', source: 'erp', type: 'item.upserted', plant: 'P1', occurredAt: '2026-11-22T08:00:00Z', version: 1, data: {} })).toBeNull();
    expect(validateEnvelope({ id: 'e1', source: 'crm', type: 'item.upserted', plant: 'P1', occurredAt: '2026-11-22T08:00:00Z', version: 1, data: {} }))
      .toMatchObject({ code: 'invalid-envelope', field: 'source' });
    expect(validateEnvelope({ id: 'e1', source: 'erp', type: 'item.upserted', plant: 'P1', occurredAt: '2026-11-22T08:00:00Z', version: 1.5, data: {} }))
      .toMatchObject({ code: 'invalid-envelope', field: 'version' });
    expect(validateEnvelope(null)).toMatchObject({ code: 'invalid-envelope' });
  });
  it('requires required fields and rejects unknown ones, at their path', () => {
    expect(validateEventData('hold.placed', { id: 'H1', target: { kind: 'batch', id: 'L1' } }, 'P1')).toMatchObject({ field: 'data.target.kind' });
    expect(validateEventData('lot.upserted', { id: 'L1', item: 'X', status: 'available' }, 'P1')).toMatchObject({ field: 'data.quantity' });
    expect(validateEventData('work_center.upserted', { id: 'W', units: 1.5, calendar: 'c' }, 'P1')).toMatchObject({ field: 'data.units' });
    expect(validateEventData('work_center.upserted', { id: 'W', units: 1, calendar: 'c', downtimes: [{ start: '2026-11-22T10:00:00Z', end: '2026-11-22T09:00:00Z' }] }, 'P1'))
      .toMatchObject({ field: 'data.downtimes[0].end' });
    expect(validateEventData('item.upserted', { id: 'I', colour: 'red' }, 'P1')).toMatchObject({ code: 'invalid-data', field: 'data.colour' });
    expect(validateEventData('item.upserted', { id: 'I', uom: 'kg' }, 'P1')).toBeNull();
  });
});
