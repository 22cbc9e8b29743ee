import { describe, expect, it } from 'vitest';
import { odooWeekType, odooWeekday } from '../../../../sync/connectors/odoo/local-time.ts';
import { mapCalendar } from '../../../../sync/connectors/odoo/map-calendar.ts';
import { loadFixture, type OdooRecord } from './fake-odoo.ts';

const NOW = Date.parse('2026-11-22T12:00:00Z');

describe.each(['odoo16.json', 'odoo17.json'])('resource.calendar → calendar.upserted (%s)', (file) => {
  const fixture = loadFixture(file);
  const calendar = (id: number) => fixture['resource.calendar']!.find((c) => c.id === id)!;
  const attendances = (id: number) => fixture['resource.calendar.attendance']!.filter((a) => (a.calendar_id as [number])[0] === id);
  const globalLeaves = fixture['resource.calendar.leaves']!.filter((l) => l.resource_id === false);

  it('groups attendances into weekly shifts (Monday is 0, float hours to HH:mm, lunch lines are breaks)', () => {
    const mapped = mapCalendar({ calendar: calendar(1), attendances: attendances(1), leaves: [], now: NOW, horizonDays: 365 });
    expect(mapped.data).toEqual({
      id: 'calendar-1',
      shifts: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '12:00' },
        { days: ['fri'], start: '13:00', end: '16:30' },
        { days: ['mon', 'tue', 'wed', 'thu'], start: '13:00', end: '17:00' },
      ],
    });
    expect(mapped.stamp).toBe('2026-11-01 09:00:00');
  });

  it('turns global leaves (UTC) into exceptions of the local days of the calendar zone', () => {
    const leaves = globalLeaves.filter((l) => l.calendar_id === false || (l.calendar_id as [number])[0] === 1);
    const mapped = mapCalendar({ calendar: calendar(1), attendances: attendances(1), leaves, now: NOW, horizonDays: 365 });
    expect(mapped.data.exceptions).toEqual([
      // 2026-12-24 23:00 UTC to 2026-12-25 22:59:59 UTC is the whole of Christmas in Brussels.
      { date: '2026-12-25', shifts: [], reason: 'Christmas Day' },
      // 07:00-11:00 UTC is 08:00-12:00 local: the morning is gone.
      { date: '2026-12-28', shifts: [{ start: '13:00', end: '17:00' }], reason: 'Maintenance shutdown' },
      // 12:00-17:00 local: the morning remains.
      { date: '2026-12-31', shifts: [{ start: '08:00', end: '12:00' }], reason: "New Year's Eve afternoon" },
      // A leave of every calendar (calendar_id false).
      { date: '2027-01-01', shifts: [], reason: 'New Year' },
    ]);
    // The May holiday is past; changedAt is the newest leave's write_date.
    expect(mapped.stamp).toBe('2026-11-21 15:00:00');
    expect(mapped.changedAt).toBe(Date.UTC(2026, 10, 21, 15));
  });

  it('ignores leaves outside working time and slots of one resource', () => {
    const slot = fixture['resource.calendar.leaves']!.find((l) => l.id === 4)!;
    const night: OdooRecord = { ...globalLeaves[0]!, name: 'Night', date_from: '2026-12-01 20:00:00', date_to: '2026-12-02 05:00:00' };
    expect(mapCalendar({ calendar: calendar(1), attendances: attendances(1), leaves: [night], now: NOW, horizonDays: 365 }).data.exceptions).toBeUndefined();
    expect(mapCalendar({ calendar: calendar(1), attendances: attendances(1), leaves: [{ ...slot, resource_id: false }], now: NOW, horizonDays: 365 }).data.exceptions).toBeUndefined();
  });

  it('expands a two-week calendar into dated days of Odoo\'s week type, without weekly shifts', () => {
    const mapped = mapCalendar({ calendar: calendar(3), attendances: attendances(3), leaves: [], now: NOW, horizonDays: 14 });
    expect(mapped.data.shifts).toEqual([]);
    const day = (date: string) => mapped.data.exceptions!.find((e) => e.date === date)?.shifts;
    expect(mapped.data.exceptions).toHaveLength(14);
    expect(day('2026-11-22')).toEqual([]);
    expect(day('2026-11-23')).toEqual([{ start: '06:00', end: '14:00' }]);
    expect(day('2026-11-24')).toEqual([]);
    expect(day('2026-11-30')).toEqual([{ start: '14:00', end: '22:00' }]);
    // Its content moves with the day it starts from.
    expect(mapped.changedAt).toBe(Date.UTC(2026, 10, 22));
  });
});

describe('Odoo calendar arithmetic', () => {
  it('computes week types as Python: int(floor((date.toordinal() - 1) / 7) % 2)', () => {
    // python3 -c "from datetime import date; print((date(2026,11,23).toordinal()-1)//7 % 2)" → 0, and 1 for 2026-11-30
    expect([odooWeekType('2026-11-23'), odooWeekType('2026-11-29'), odooWeekType('2026-11-30'), odooWeekType('2026-12-07')]).toEqual([0, 0, 1, 0]);
    expect([odooWeekday('2026-11-23'), odooWeekday('2026-11-29')]).toEqual([0, 6]);
  });
});
