/**
 * Work centers and their calendars. Both are small, so they are read whole every time (the
 * work centers are also needed to map every work order's modes); what changed since the cursor
 * is emitted, each calendar before the work centers that use it.
 */
import type { ErpRecord } from '../connector.ts';
import { mapCalendar } from './map-calendar.ts';
import { mapWorkCenter, WORKCENTER_FIELDS, workCenterInfo, type WorkCenterInfo } from './map-work-center.ts';
import type { ReadSession } from './read-session.ts';
import { isZone } from './local-time.ts';
import { laterOf, m2oId, msToOdoo, odooMs, text, type OdooRecord } from './values.ts';

const CALENDAR_FIELDS = ['name', 'tz', 'two_weeks_calendar', 'company_id', 'write_date'] as const;
const ATTENDANCE_FIELDS = [
  'name', 'calendar_id', 'dayofweek', 'hour_from', 'hour_to', 'day_period', 'week_type', 'display_type',
  'date_from', 'date_to', 'resource_id', 'write_date',
] as const;
const LEAVE_FIELDS = ['name', 'calendar_id', 'resource_id', 'date_from', 'date_to', 'time_type', 'company_id', 'write_date'] as const;

export interface MasterData {
  readonly records: readonly ErpRecord[];
  readonly workCenters: ReadonlyMap<number, WorkCenterInfo>;
}

/**
 * The plant, once: named after the company, in the zone of the company's working hours
 * (takt reads every calendar's shift times in the plant's zone).
 */
async function plantRecord(s: ReadSession): Promise<ErpRecord | null> {
  if (s.plantExists) return null;
  const company = (await s.all('res.company', [['id', '=', s.config.companyId]], ['name', 'resource_calendar_id']))[0];
  if (company === undefined) return null;
  const calendarId = m2oId(company.resource_calendar_id);
  const calendar = calendarId === null ? undefined : (await s.all('resource.calendar', [['id', '=', calendarId]], ['tz']))[0];
  const zone = text(calendar?.tz);
  return {
    type: 'plant.upserted',
    data: { id: s.config.plant, ...(text(company.name) !== null && { name: text(company.name)! }), timeZone: zone !== null && isZone(zone) ? zone : 'UTC' },
    ref: { company: s.config.companyId },
    changedAt: s.now,
  };
}

export async function readMaster(s: ReadSession): Promise<MasterData> {
  const plant = await plantRecord(s);
  const centers = (await s.all('mrp.workcenter', s.companyOrShared, WORKCENTER_FIELDS, 'id')).map(workCenterInfo);
  const workCenters = new Map(centers.map((c) => [c.id, c]));
  const calendarIds = [...new Set(centers.flatMap((c) => (c.calendarId === null ? [] : [c.calendarId])))].sort((a, b) => a - b);

  const calendars = await s.all('resource.calendar', [['id', 'in', calendarIds]], CALENDAR_FIELDS, 'id');
  const attendances = await s.all('resource.calendar.attendance', [['calendar_id', 'in', calendarIds]], ATTENDANCE_FIELDS, 'id');
  // Global leaves only (a leave of one resource is not the calendar's), from yesterday on.
  const leaves = calendarIds.length === 0 ? [] : await s.all('resource.calendar.leaves', [
    ['resource_id', '=', false],
    ['calendar_id', 'in', [...calendarIds, false]],
    ['time_type', '=', 'leave'],
    ['date_to', '>=', msToOdoo(s.now - 86_400_000)],
    ...s.companyOrShared,
  ], LEAVE_FIELDS, 'date_from, id');

  const byCalendar = (records: readonly OdooRecord[], id: number, orShared: boolean) =>
    records.filter((r) => m2oId(r.calendar_id) === id || (orShared && m2oId(r.calendar_id) === null));
  const mappedCalendars = calendars.map((calendar) => ({ odooId: calendar.id as number, ...mapCalendar({
    calendar,
    attendances: byCalendar(attendances, calendar.id as number, false),
    leaves: byCalendar(leaves, calendar.id as number, true),
    now: s.now,
    horizonDays: s.config.calendarHorizonDays,
  }) }));

  const changedCenters = centers.filter((c) => s.changed('mrp.workcenter', odooMs(c.stamp) ?? 0));
  const neededCalendars = new Set(changedCenters.flatMap((c) => (c.calendarId === null ? [] : [c.calendarId])));
  const records: ErpRecord[] = plant === null ? [] : [plant];
  for (const calendar of mappedCalendars) {
    if (!s.changed('resource.calendar', calendar.changedAt) && !neededCalendars.has(calendar.odooId)) continue;
    records.push({ type: 'calendar.upserted', data: calendar.data, ref: { calendar: calendar.odooId }, stamp: calendar.stamp, changedAt: calendar.changedAt });
  }
  for (const center of changedCenters) {
    const mapped = mapWorkCenter(center);
    if (mapped !== null) records.push({ type: 'work_center.upserted', data: mapped.data, ref: { workcenter: center.id }, stamp: center.stamp, changedAt: mapped.changedAt });
  }

  s.reached('mrp.workcenter', centers.map((c) => c.stamp).reduce<string | null>(laterOf, null));
  const latestCalendar = Math.max(0, ...mappedCalendars.map((c) => c.changedAt));
  if (latestCalendar > 0) s.reached('resource.calendar', msToOdoo(latestCalendar));
  return { records, workCenters };
}
