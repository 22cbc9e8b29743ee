import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../../sync/connectors/sap/config.ts';
import { heldOf, importanceOf, project } from '../../../../sync/connectors/sap/held.ts';
import {
  decimal, edmCalendarDate, edmDateMs, edmTimeSeconds, flag, parseStamp, stampLiteral, toEdmDate, toEdmTime,
} from '../../../../sync/connectors/sap/odata-values.ts';
import { fromWallClock, toWallClock } from '../../../../sync/connectors/wall-clock.ts';
import { toMinutes } from '../../../../sync/connectors/sap/units.ts';
import type { WritebackPayload } from '../../../../sync/writeback/payload.ts';
import { fixture } from './sap-stub.ts';

describe('OData V2 values', () => {
  it('reads one-character flags as SAP sends them, and Edm.Boolean where sibling entities use it', () => {
    expect(flag({ OrderIsClosed: 'X' }, 'OrderIsClosed')).toBe(true);
    expect(flag({ OrderIsClosed: '' }, 'OrderIsClosed')).toBe(false);
    expect(flag({ OrderIsClosed: ' ' }, 'OrderIsClosed')).toBe(false);
    expect(flag({}, 'OrderIsClosed')).toBe(false);
    expect(flag({ CapacityIsFinite: true }, 'CapacityIsFinite')).toBe(true);
    expect(flag({ CapacityIsFinite: false }, 'CapacityIsFinite')).toBe(false);
  });

  it('reads Edm.Decimal strings, Edm.DateTime and Edm.DateTimeOffset, Edm.Time', () => {
    expect(decimal({ q: '80.000' }, 'q')).toBe(80);
    expect(decimal({ q: '0.25' }, 'q')).toBe(0.25);
    expect(decimal({ q: '' }, 'q')).toBeNull();
    expect(decimal({ q: 'abc' }, 'q')).toBeNull();
    expect(edmDateMs('/Date(1795392000000)/')).toBe(1795392000000);
    expect(edmDateMs('/Date(1700000000000+0000)/')).toBe(1700000000000);
    // The suffix is the offset in minutes; the ticks are UTC already.
    expect(edmDateMs('/Date(1700000000000+0060)/')).toBe(1700000000000);
    expect(edmDateMs(null)).toBeNull();
    expect(edmCalendarDate('/Date(1795737600000)/')).toBe('2026-11-27');
    expect(toEdmDate('2026-11-27')).toBe('/Date(1795737600000)/');
    expect(edmTimeSeconds('PT08H30M00S')).toBe(30600);
    expect(edmTimeSeconds('PT24H00M00S')).toBe(86400);
    expect(edmTimeSeconds('PT8H')).toBe(28800);
    expect(edmTimeSeconds('08:30')).toBeNull();
    expect(toEdmTime(30615)).toBe('PT08H30M15S');
  });

  it('reads change stamps in both types and writes the filter literal of each', () => {
    expect(parseStamp('20261122080000')).toEqual({ ms: Date.UTC(2026, 10, 22, 8, 0, 0), format: 'timestamp14' });
    expect(parseStamp('/Date(1795334400000+0000)/')).toEqual({ ms: 1795334400000, format: 'datetimeoffset' });
    expect(parseStamp('2026-11-22')).toBeNull();
    expect(stampLiteral({ ms: Date.UTC(2026, 10, 22, 7, 55, 0), format: 'timestamp14' })).toBe("'20261122075500'");
    expect(stampLiteral({ ms: Date.UTC(2026, 10, 22, 8, 0, 0), format: 'datetimeoffset' })).toBe("datetimeoffset'2026-11-22T08:00:00Z'");
    expect(stampLiteral({ ms: Date.UTC(2026, 10, 22, 8, 0, 0, 120), format: 'datetimeoffset' })).toBe("datetimeoffset'2026-11-22T08:00:00.120Z'");
  });

  it('converts duration units to minutes and says when it does not know one', () => {
    expect(toMinutes(30, 'MIN')).toBe(30);
    expect(toMinutes(2, 'H')).toBe(120);
    expect(toMinutes(2, 'HUR')).toBe(120);
    expect(toMinutes(900, 'S')).toBe(15);
    expect(toMinutes(900, 'SEC')).toBe(15);
    expect(toMinutes(1, 'DAY')).toBe(1440);
    expect(toMinutes(5, 'KG')).toBeNull();
  });
});

describe('plant-local wall-clock time', () => {
  it('turns instants into plant-local date and time to the second, across DST', () => {
    expect(toWallClock(Date.parse('2026-11-23T06:30:00.999Z'), 'Europe/Berlin')).toEqual({ date: '2026-11-23', time: '07:30:00', seconds: 7.5 * 3600 });
    expect(toWallClock(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-03-29', time: '03:30:00', seconds: 3.5 * 3600 });
    expect(toWallClock(Date.parse('2026-11-23T23:30:00Z'), 'America/Chicago')).toEqual({ date: '2026-11-23', time: '17:30:00', seconds: 17.5 * 3600 });
  });

  it('turns plant-local date and seconds back into instants; 24:00 is the next midnight', () => {
    expect(fromWallClock('2026-11-23', 7.5 * 3600, 'Europe/Berlin')).toBe(Date.parse('2026-11-23T06:30:00Z'));
    expect(fromWallClock('2026-11-27', 86400, 'Europe/Berlin')).toBe(Date.parse('2026-11-27T23:00:00Z'));
    // The night the clocks go forward: 24:00 on 28 March is 00:00 CET on the 29th.
    expect(fromWallClock('2026-03-28', 86400, 'Europe/Berlin')).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(fromWallClock('2026-07-01', 0, 'Europe/Berlin')).toBe(Date.parse('2026-06-30T22:00:00Z'));
  });
});

const payload: WritebackPayload = {
  plant: 'P1', timeZone: 'Europe/Berlin', workOrder: '1000100', scheduleVersion: 7,
  plannedStart: '2026-11-23T06:00:00.000Z', plannedEnd: '2026-11-24T09:45:30.500Z', dispatchPriority: 12,
  operations: [
    { operation: '0020', workCenter: 'PAINT2', plannedStart: '2026-11-23T08:00:00.000Z', plannedEnd: '2026-11-24T09:45:30.500Z' },
    { operation: '0010', workCenter: 'ASSY1', plannedStart: '2026-11-23T06:00:00.000Z', plannedEnd: '2026-11-23T08:00:00.000Z' },
  ],
  idempotencyKey: 'P1:1000100:v7',
};

describe('project: what SAP would hold', () => {
  const config = resolveConfig({ name: 'sap', plant: 'P1', productionPlant: '1710', timeZone: 'Europe/Berlin' });

  it('gives plant-local seconds, the importance code and the operations in key order', () => {
    const held = project(payload, config);
    expect(held).toEqual({
      start: '2026-11-23T07:00:00', end: '2026-11-24T10:45:30', importance: '2',
      operations: {
        '0010': { start: '2026-11-23T07:00:00', end: '2026-11-23T09:00:00', workCenter: 'ASSY1' },
        '0020': { start: '2026-11-23T09:00:00', end: '2026-11-24T10:45:30', workCenter: 'PAINT2' },
      },
    });
    expect(Object.keys(held.operations)).toEqual(['0010', '0020']);
  });

  it('follows the configuration: start only, no work center, no importance', () => {
    const narrow = resolveConfig({
      name: 'sap', plant: 'P1', productionPlant: '1710', timeZone: 'Europe/Berlin', operationDates: 'earliest-start', writeWorkCenter: false, importance: null,
    });
    expect(project(payload, narrow)).toEqual({
      start: '2026-11-23T07:00:00', end: '2026-11-24T10:45:30', importance: null,
      operations: { '0010': { start: '2026-11-23T07:00:00' }, '0020': { start: '2026-11-23T09:00:00' } },
    });
    expect(project(payload, { ...narrow, operationDates: 'none' }).operations).toEqual({});
  });

  it('holds, per operation SAP has open, takt\'s dates where planned and SAP\'s own otherwise', () => {
    const basis = {
      start: '2026-11-20T06:00:00', end: '2026-11-21T06:00:00', importance: '3',
      operations: {
        '0010': { start: '2026-11-20T06:00:00', end: '2026-11-20T08:00:00', workCenter: 'ASSY1' },
        '0030': { start: '2026-11-21T06:00:00', end: '2026-11-21T07:00:00', workCenter: 'PACK1' },
      },
    };
    // 0020 is not open in SAP (confirmed, say): nothing of it can be held.
    expect(project(payload, config, basis).operations).toEqual({
      '0010': { start: '2026-11-23T07:00:00', end: '2026-11-23T09:00:00', workCenter: 'ASSY1' },
      '0030': { start: '2026-11-21T06:00:00', end: '2026-11-21T07:00:00', workCenter: 'PACK1' },
    });
  });

  it('is comparable as JSON with what an order holds', () => {
    const order = (fixture('order-1000100.json') as { d: Record<string, unknown> }).d;
    const same: WritebackPayload = {
      ...payload, plannedStart: '2026-11-23T05:00:00Z', plannedEnd: '2026-11-24T09:30:00Z', dispatchPriority: 30,
      operations: [
        { operation: '0010', workCenter: 'ASSY1', plannedStart: '2026-11-23T05:00:00Z', plannedEnd: '2026-11-23T07:30:00Z' },
        { operation: '0020', workCenter: 'PAINT1', plannedStart: '2026-11-23T07:30:00Z', plannedEnd: '2026-11-24T09:30:00Z' },
      ],
    };
    expect(JSON.stringify(heldOf(order, config))).toBe(JSON.stringify(project(same, config)));
    expect(JSON.stringify(heldOf(order, { ...config, orderDates: 'basic' }))).not.toBe(JSON.stringify(project(same, { ...config, orderDates: 'basic' })));
  });

  it('maps ranks to importance codes by configurable buckets', () => {
    const buckets = { buckets: [{ upToRank: 10, code: '1' }, { upToRank: 50, code: '2' }, { upToRank: 200, code: '3' }], otherwise: '4' };
    expect([1, 10, 11, 50, 51, 200, 201].map((r) => importanceOf(r, buckets))).toEqual(['1', '1', '2', '2', '3', '3', '4']);
    const two = { buckets: [{ upToRank: 3, code: 'A' }], otherwise: 'B' };
    expect([1, 3, 4].map((r) => importanceOf(r, two))).toEqual(['A', 'A', 'B']);
  });
});
