/**
 * The board's plain-JS logic in Node (no browser): plant-zone time, calendar shading,
 * reason texts, KPI deltas, order filters and problem texts.
 */
import { describe, expect, it } from 'vitest';

// The board ships untyped ES modules; load them by URL so the type checker leaves them alone.
const load = (name: string): Promise<any> => import(new URL(`../../api/web/js/${name}`, import.meta.url).href);
const zone = await load('zone.js');
const shading = await load('shading.js');
const format = await load('format.js');
const whatif = await load('whatif.js');
const orders = await load('orders.js');
const style = await load('gantt-style.js');
const problems = await load('problems.js');

const BERLIN = 'Europe/Berlin';
const iso = (t: number) => new Date(t).toISOString();

describe('plant-zone time', () => {
  it('maps local wall time to instants across DST', () => {
    expect(iso(zone.instantOf(2026, 11, 23, 9 * 60, BERLIN))).toBe('2026-11-23T08:00:00.000Z');
    expect(iso(zone.instantOf(2026, 7, 1, 9 * 60, BERLIN))).toBe('2026-07-01T07:00:00.000Z');
    // 02:30 does not exist on 29 Mar 2026: it moves forward to 03:30 CEST.
    expect(iso(zone.instantOf(2026, 3, 29, 150, BERLIN))).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 25 Oct 2026: the first (CEST) is taken.
    expect(iso(zone.instantOf(2026, 10, 25, 150, BERLIN))).toBe('2026-10-25T00:30:00.000Z');
    // 24:00 is the next midnight.
    expect(iso(zone.instantOf(2026, 11, 23, 24 * 60, BERLIN))).toBe('2026-11-23T23:00:00.000Z');
  });

  it('round-trips datetime-local values in the plant zone', () => {
    expect(zone.localInputToIso('2026-11-23T09:00', BERLIN)).toBe('2026-11-23T08:00:00.000Z');
    expect(zone.isoToLocalInput('2026-11-23T08:00:00.000Z', BERLIN)).toBe('2026-11-23T09:00');
    expect(zone.localInputToIso('', BERLIN)).toBeNull();
  });
});

describe('calendar shading', () => {
  const twoShift = { id: 'c', shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '22:00' }] };

  it('works 06:00–22:00 local on weekdays, before and after the spring change', () => {
    const cal = new shading.CalendarShading(twoShift, BERLIN);
    const from = Date.parse('2026-03-27T00:00:00Z'); // Friday
    const to = Date.parse('2026-03-31T00:00:00Z'); // Tuesday 00:00 UTC
    expect(cal.working(from, to).map(([s, e]: [number, number]) => [iso(s), iso(e)])).toEqual([
      ['2026-03-27T05:00:00.000Z', '2026-03-27T21:00:00.000Z'], // CET
      ['2026-03-30T04:00:00.000Z', '2026-03-30T20:00:00.000Z'], // CEST
    ]);
    const off = cal.nonWorking(from, to);
    expect(iso(off[0][0])).toBe('2026-03-27T00:00:00.000Z');
    expect(off).toHaveLength(3);
  });

  it('carries an overnight shift into the next day and closes holidays', () => {
    const night = { id: 'n', shifts: [{ days: ['fri'], start: '22:00', end: '06:00' }], exceptions: [{ date: '2026-11-27', shifts: [] }] };
    const cal = new shading.CalendarShading(night, BERLIN);
    const sat = Date.parse('2026-11-28T00:00:00Z');
    // Friday 20 Nov's night shift reaches into Saturday 21 Nov.
    expect(cal.working(Date.parse('2026-11-21T00:00:00Z'), Date.parse('2026-11-21T12:00:00Z')).map(([s, e]: [number, number]) => [iso(s), iso(e)]))
      .toEqual([['2026-11-21T00:00:00.000Z', '2026-11-21T05:00:00.000Z']]);
    // Friday 27 Nov is a holiday: no shift spills into Saturday.
    expect(cal.working(sat, sat + 12 * 3_600_000)).toEqual([]);
    expect(new shading.CalendarShading({ id: 'a', shifts: [], alwaysOpen: true }, BERLIN).nonWorking(sat, sat + 1000)).toEqual([]);
  });

  it('picks the downtimes of one unit', () => {
    const wc = { id: 'W', units: 2, calendar: 'c', downtimes: [
      { start: '2026-11-23T08:00:00Z', end: '2026-11-23T10:00:00Z', unit: 2 },
      { start: '2026-11-24T08:00:00Z', end: '2026-11-24T10:00:00Z' },
    ] };
    expect(shading.downtimesOf(wc, 1)).toHaveLength(1);
    expect(shading.downtimesOf(wc, 2)).toHaveLength(2);
  });
});

describe('texts', () => {
  it('renders every reason kind as a sentence with its facts', () => {
    const at = '2026-11-23T08:00:00Z';
    const cases: [object, string][] = [
      [{ kind: 'release', operation: '10', at }, 'release'],
      [{ kind: 'now', operation: '10', at }, 'as soon as possible'],
      [{ kind: 'predecessor', operation: '20', after: '10', at }, 'waits for operation 10'],
      [{ kind: 'material', operation: '10', item: 'STEEL', source: 'receipt R1', at }, 'material STEEL from receipt R1'],
      [{ kind: 'capacity', operation: '10', workCenter: 'CUT', unit: 2, behind: 'WO-9/10', at }, 'capacity on CUT unit 2, behind WO-9 operation 10'],
      [{ kind: 'calendar', operation: '10', workCenter: 'CUT', at }, 'working time on CUT'],
      [{ kind: 'fixed', operation: '10', by: 'pinned', at }, 'fixed (pinned)'],
      [{ kind: 'hold', hold: 'H1' }, 'on hold H1'],
      [{ kind: 'shortage', item: 'STEEL', missing: 40 }, 'Short of STEEL: 40 missing'],
      [{ kind: 'horizon', operation: '10', workCenter: 'CUT' }, 'does not fit on CUT within the planning horizon'],
    ];
    for (const [link, text] of cases) expect(format.reasonText(link, BERLIN)).toContain(text);
    for (const [link] of cases) expect(format.reasonText(link, BERLIN)).not.toMatch(/[{}"]|undefined/);
    // In the plant zone (08:00Z is 09:00 in Berlin); ICU versions differ on the comma.
    expect(format.reasonText({ kind: 'capacity', operation: '10', workCenter: 'CUT', unit: 1, behind: 'x', at }, BERLIN)).toMatch(/Mon 23 Nov,? 09:00/);
  });

  it('names the engine\'s operations ("WO-1/20") by number within their own order', () => {
    const at = '2026-11-23T08:00:00Z';
    expect(format.reasonText({ kind: 'predecessor', operation: 'WO-1/30', after: 'WO-1/20', at }, BERLIN, 'WO-1'))
      .toMatch(/^Operation 30 waits for operation 20 to finish \(Mon 23 Nov,? 09:00\)$/);
    expect(format.reasonText({ kind: 'capacity', operation: 'WO-1/20', workCenter: 'MILL', unit: 1, behind: 'WO-7/20', at }, BERLIN, 'WO-1'))
      .toMatch(/^Operation 20 waits for capacity on MILL unit 1, behind WO-7 operation 20 /);
    expect(format.operationName('WO-1/20', 'WO-2')).toBe('WO-1 operation 20');
    expect(format.operationName('20', 'WO-2')).toBe('operation 20');
  });

  it('picks the binding constraint behind a chain of predecessors as the key reason', () => {
    const at = '2026-11-23T08:00:00Z';
    const chain = [
      { kind: 'predecessor', operation: 'WO-1/90', after: 'WO-1/30', at },
      { kind: 'predecessor', operation: 'WO-1/30', after: 'WO-1/10', at },
      { kind: 'material', operation: 'WO-1/10', item: 'PLATE', source: 'PO-1', at },
    ];
    expect(format.keyReason(chain)).toBe(chain[2]);
    expect(format.keyReason(chain.slice(0, 2))).toBe(chain[0]);
    expect(format.keyReason([])).toBeNull();
    expect(format.statusText('partial')).toBe('some orders unscheduled');
  });

  it('formats durations', () => {
    expect(format.formatMinutes(95)).toBe('1 h 35 min');
    expect(format.formatMinutes(3000)).toBe('2 d 2 h');
    expect(format.formatMinutes(-30)).toBe('−30 min');
    expect(format.formatMinutes(480, { signed: true })).toBe('+8 h');
  });
});

describe('what-if diff', () => {
  const base = { onTimeRate: 0.8, lateOrders: 2, scheduledOrders: 10, totalWeightedTardinessMinutes: 100, makespanMinutes: 600, totalSetupMinutes: 60, operationsMoved: 0 };

  it('says which KPI got better or worse', () => {
    const rows = whatif.kpiDeltas(base, { ...base, onTimeRate: 0.7, lateOrders: 3, makespanMinutes: 540 });
    const byKey = Object.fromEntries(rows.map((r: { key: string }) => [r.key, r]));
    expect(byKey.onTimeRate).toMatchObject({ tone: 'worse', delta: '−10.0 pt' });
    expect(byKey.lateOrders).toMatchObject({ tone: 'worse', delta: '+1' });
    expect(byKey.makespanMinutes).toMatchObject({ tone: 'better', delta: '−1 h' });
    expect(byKey.scheduledOrders).toMatchObject({ tone: 'same', delta: '±0' });
  });

  it('lists changes, biggest move first, unscheduled on top', () => {
    const p = (end: string | null, rank: number | null) => ({ plannedStart: null, plannedEnd: end, dispatchPriority: rank });
    const lines = whatif.describeChanges([
      { workOrder: 'A', before: p('2026-11-23T08:00:00Z', 1), after: p('2026-11-23T09:00:00Z', 1) },
      { workOrder: 'B', before: p('2026-11-23T08:00:00Z', 2), after: p('2026-11-23T18:00:00Z', 3) },
      { workOrder: 'C', before: p('2026-11-23T08:00:00Z', 3), after: null },
    ], BERLIN);
    expect(lines.map((l: { workOrder: string }) => l.workOrder)).toEqual(['C', 'B', 'A']);
    expect(lines[0].text).toContain('becomes unscheduled');
    expect(lines[1].text).toContain('+10 h');
    expect(lines[1].text).toContain('rank 2 → 3');
  });
});

describe('order filters', () => {
  it('flags late, unscheduled, short and held orders', () => {
    const flags = orders.orderFlags([], [
      { type: 'shortage', workOrder: 'S', operation: '10', item: 'X', missingQuantity: 1, earliestCoverAt: null },
      { type: 'hold', workOrder: 'H', hold: 'h' },
    ]);
    const o = (workOrder: string, latenessMinutes: number | null, status = 'scheduled') => ({ workOrder, latenessMinutes, status });
    expect(orders.FILTERS.late(flags(o('L', 5)))).toBe(true);
    expect(orders.FILTERS.late(flags(o('E', -5)))).toBe(false);
    expect(orders.FILTERS.late(flags(o('U', null, 'unscheduled')))).toBe(true);
    expect(orders.FILTERS.short(flags(o('S', null, 'unscheduled')))).toBe(true);
    expect(orders.FILTERS.held(flags(o('H', null, 'unscheduled')))).toBe(true);
    expect(orders.FILTERS.held(flags(o('S', null, 'unscheduled')))).toBe(false);
  });
});

describe('problem texts', () => {
  it('says what a released pin and broken fixed work are, and leaves shortages, holds and lateness to their own panels', () => {
    expect(problems.describeProblem({ type: 'pin-conflict', workOrder: 'WO-1', operation: '20', message: 'pinned to start X, before operation 10 can be done (Y); scheduled after it instead' }))
      .toEqual({ subject: 'WO-1/20', text: 'Pin: pinned to start X, before operation 10 can be done (Y); scheduled after it instead' });
    expect(problems.describeProblem({ type: 'precedence-violated-by-fixed', workOrder: 'WO-1', operation: '20', after: '10' }).text)
      .toBe('Started or frozen before WO-1/10 can end: the routing is broken here');
    for (const p of [{ type: 'shortage' }, { type: 'hold' }, { type: 'late' }]) expect(problems.describeProblem(p)).toBeNull();
    const expiry = { type: 'lot-expires', workOrder: 'WO-1', operation: '10', lot: 'L1', expiresAt: '2026-11-23T07:00:00.000Z' };
    expect(problems.describeProblem(expiry, (iso: string) => format.formatInstant(iso, BERLIN)).text).toBe(`Its lot L1 expires (${format.formatInstant(expiry.expiresAt, BERLIN)}) before it can start`);
    expect(problems.describeProblem(expiry, (iso: string) => format.formatInstant(iso, BERLIN)).text).not.toContain('T07:00');
  });
});

describe('the reason that binds', () => {
  it('is the link that held the order back longest, else the first that is not a predecessor', () => {
    const capacity = { kind: 'capacity', operation: 'B/10', workCenter: 'SAW', unit: 1, behind: 'A/10', at: 'x', waitMinutes: 60 };
    const material = { kind: 'material', operation: 'B/10', item: 'PLATE', source: 'PO-7', at: 'y', waitMinutes: 20_000 };
    const predecessor = { kind: 'predecessor', operation: 'B/20', after: 'B/10', at: 'z' };
    expect(format.keyReason([predecessor, capacity, material])).toBe(material);
    expect(format.keyReason([predecessor, { ...capacity, waitMinutes: undefined }])).toEqual({ ...capacity, waitMinutes: undefined });
    expect(format.keyReason([])).toBeNull();
  });
});

describe('order search', () => {
  it('matches a part of the order id or of its item, in any case; blank matches all', () => {
    const items = new Map([['WO-1001', 'SHAFT-42'], ['WO-1002', 'FLANGE-80']]);
    const match = orders.searchMatcher(' shaft ', items);
    expect(match({ workOrder: 'WO-1001' })).toBe(true);
    expect(match({ workOrder: 'WO-1002' })).toBe(false);
    expect(orders.searchMatcher('1002', items)({ workOrder: 'WO-1002' })).toBe(true);
    expect(orders.searchMatcher('', items)({ workOrder: 'anything' })).toBe(true);
  });
});

describe('order colours', () => {
  it('tell 50 orders apart and stay clear of the lateness reds', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `WO-${1000 + i}`);
    const palette: Map<string, string> = style.orderPalette([...ids].reverse());
    expect(palette.size).toBe(50);
    const parsed = ids.map((id) => /^hsl\(([\d.]+) 55% (\d+)%\)$/.exec(palette.get(id)!)!.slice(1).map(Number) as [number, number]);
    for (const [hue] of parsed) expect(hue >= 30 && hue <= 330, `hue ${hue}`).toBe(true);
    // No two orders share a hue within 3° at the same lightness.
    for (let a = 0; a < parsed.length; a++) {
      for (let b = a + 1; b < parsed.length; b++) {
        if (parsed[a]![1] === parsed[b]![1]) expect(Math.abs(parsed[a]![0] - parsed[b]![0]), `${ids[a]} ${ids[b]}`).toBeGreaterThan(3);
      }
    }
    expect(style.orderPalette(ids).get('WO-1007')).toBe(palette.get('WO-1007'));
  });
});
