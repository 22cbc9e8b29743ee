/**
 * Small random plant problems in UTC (so that tests can recompute working time on their own):
 * shift calendars with overnight shifts and exceptions, downtimes, parallel units, alternates,
 * waits, non-interruptible work, releases, lots (held, blocked, expiring), receipts,
 * multi-level material (orders producing components others consume), holds, started and
 * completed operations, pins, and a previous schedule with a frozen window.
 */
import fc from 'fast-check';
import type {
  CalendarSpec, HoldSpec, LotSpec, MaterialRequirement, OperationSpec, PlantProblem, PreviousAssignment, ReceiptSpec,
  WorkCenterSpec, WorkOrderSpec, Weekday,
} from '../../../../scheduler/problem.ts';

export const HORIZON_DAYS = 21;
/** Monday 2026-03-02 00:00 UTC; `now` falls somewhere in the week after it, on a whole minute. */
const BASE_MS = Date.parse('2026-03-02T00:00:00Z');
const MINUTE_MS = 60_000;
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Purchased components (R*) and made ones (C*), which some orders produce. */
const COMPONENTS = ['R1', 'R2', 'C1', 'C2'] as const;

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export interface GeneratedPlant {
  readonly problem: PlantProblem;
  readonly nowMs: number;
}

type Gen = fc.GeneratorValue;

const int = (g: Gen, min: number, max: number): number => g(fc.integer, { min, max });
const chance = (g: Gen, percent: number): boolean => int(g, 1, 100) <= percent;
const pick = <T>(g: Gen, list: readonly T[]): T => list[int(g, 0, list.length - 1)]!;

export const plantArbitrary: fc.Arbitrary<GeneratedPlant> = fc.gen().map((g) => buildPlant(g));

function buildPlant(g: Gen): GeneratedPlant {
  const nowMs = BASE_MS + int(g, 0, 7 * 1440 - 1) * MINUTE_MS;
  const at = (minutesFromNow: number): string => new Date(nowMs + minutesFromNow * MINUTE_MS).toISOString();

  const calendars = Array.from({ length: int(g, 1, 3) }, (_, i) => calendar(g, `cal${i}`, nowMs));
  const workCenters: WorkCenterSpec[] = Array.from({ length: int(g, 1, 4) }, (_, i) => {
    const units = int(g, 1, 3);
    const downtimes = Array.from({ length: int(g, 0, 2) }, (_, j) => {
      const start = int(g, -600, 12_000);
      return {
        id: `DT${i}-${j}`, start: at(start), end: at(start + int(g, 30, 2_000)),
        ...(chance(g, 50) ? { unit: int(g, 1, units) } : {}),
      };
    });
    return { id: `WC${i}`, units, calendar: pick(g, calendars).id, ...(downtimes.length ? { downtimes } : {}) };
  });

  const previous: PreviousAssignment[] = [];
  const workOrders: WorkOrderSpec[] = Array.from({ length: int(g, 1, 8) }, (_, i) =>
    workOrder(g, `WO${i}`, workCenters, at, previous));

  const lots: LotSpec[] = Array.from({ length: int(g, 0, 5) }, (_, i) => ({
    id: `LOT${i}`, item: pick(g, COMPONENTS), quantity: int(g, 1, 40),
    status: pick(g, ['available', 'available', 'available', 'held', 'blocked'] as const),
    ...(chance(g, 25) ? { expiresAt: at(int(g, -100, 6_000)) } : {}),
  }));
  const receipts: ReceiptSpec[] = Array.from({ length: int(g, 0, 3) }, (_, i) => ({
    id: `RC${i}`, item: pick(g, COMPONENTS), quantity: int(g, 1, 40), expectedAt: at(int(g, -200, 15_000)),
  }));
  const holds: HoldSpec[] = Array.from({ length: int(g, 0, 3) }, (_, i) => {
    const kind = pick(g, ['lot', 'item', 'work_order'] as const);
    const id = kind === 'lot' ? `LOT${int(g, 0, 4)}` : kind === 'item' ? pick(g, COMPONENTS) : pick(g, workOrders).id;
    return { id: `H${i}`, target: { kind, id }, reason: 'quality' };
  });

  const problem: PlantProblem = {
    plant: {
      id: 'P', timeZone: 'UTC', horizonDays: HORIZON_DAYS,
      ...(chance(g, 40) ? { frozenWindowMinutes: int(g, 30, 600) } : {}),
    },
    calendars,
    workCenters,
    workOrders,
    ...(lots.length ? { lots } : {}),
    ...(receipts.length ? { receipts } : {}),
    ...(holds.length ? { holds } : {}),
    ...(previous.length ? { previous } : {}),
  };
  return { problem, nowMs };
}

function calendar(g: Gen, id: string, nowMs: number): CalendarSpec {
  if (chance(g, 30)) return { id, shifts: [], alwaysOpen: true };
  const shifts = Array.from({ length: int(g, 1, 3) }, () => {
    const start = int(g, 0, 95) * 15;
    // Ends before the start run overnight; 24:00 is a valid end.
    const end = chance(g, 15) ? 1440 : int(g, 0, 95) * 15;
    const days = WEEKDAYS.filter(() => chance(g, 70));
    return { days: days.length ? days : ['mon' as Weekday], start: hhmm(start), end: hhmm(end) };
  });
  const exceptions = Array.from({ length: int(g, 0, 2) }, () => {
    const date = new Date(nowMs + int(g, -1, 14) * 86_400_000).toISOString().slice(0, 10);
    const open = chance(g, 40);
    const start = int(g, 0, 80) * 15;
    return { date, shifts: open ? [{ start: hhmm(start), end: hhmm(start + int(g, 1, 15) * 15) }] : [] };
  });
  return { id, shifts, ...(exceptions.length ? { exceptions } : {}) };
}

function workOrder(
  g: Gen, id: string, workCenters: readonly WorkCenterSpec[], at: (m: number) => string, previous: PreviousAssignment[],
): WorkOrderSpec {
  const quantity = int(g, 1, 20);
  const opCount = int(g, 1, 4);
  const completedOps = chance(g, 15) ? int(g, 1, opCount) : 0;
  const startedOp = completedOps < opCount && chance(g, 20) ? completedOps : -1;
  const operations: OperationSpec[] = Array.from({ length: opCount }, (_, k) => {
    const wcs = workCenters;
    const first = int(g, 0, wcs.length - 1);
    const modes = [wcs[first]!, ...(wcs.length > 1 && chance(g, 30) ? [wcs[(first + int(g, 1, wcs.length - 1)) % wcs.length]!] : [])]
      .map((wc) => ({
        workCenter: wc.id,
        ...(chance(g, 60) ? { setupMinutes: int(g, 0, 60) } : {}),
        runMinutesPerUnit: int(g, 1, 40) / 2,
      }));
    const opId = String((k + 1) * 10);
    const wcOf = (name: string): WorkCenterSpec => workCenters.find((w) => w.id === name)!;
    const mode = pick(g, modes);
    const op: OperationSpec = {
      id: opId,
      modes,
      ...(chance(g, 25) ? { minWaitAfterMinutes: int(g, 0, 300) } : {}),
      ...(chance(g, 15) ? { nonInterruptible: true } : {}),
      ...(k < completedOps ? { status: 'completed' as const } : {}),
      ...(k === startedOp ? {
        status: 'started' as const,
        progress: {
          workCenter: mode.workCenter, unit: int(g, 1, wcOf(mode.workCenter).units),
          startedAt: at(-int(g, 1, 300)), quantityDone: int(g, 0, quantity - 1),
        },
      } : {}),
      ...(k !== startedOp && k >= completedOps && chance(g, 10) ? {
        pin: { workCenter: mode.workCenter, unit: int(g, 1, wcOf(mode.workCenter).units), start: at(int(g, -100, 5_000)) },
      } : {}),
    };
    if (k >= completedOps && chance(g, 20)) {
      const start = int(g, -200, 2_000);
      const prevMode = pick(g, modes);
      previous.push({
        workOrder: id, operation: opId, workCenter: prevMode.workCenter, unit: int(g, 1, wcOf(prevMode.workCenter).units),
        start: at(start), end: at(start + 60),
      });
    }
    return op;
  });
  const materials: MaterialRequirement[] = Array.from({ length: chance(g, 60) ? int(g, 1, 2) : 0 }, () => ({
    item: pick(g, COMPONENTS), quantity: int(g, 1, 30),
    ...(chance(g, 40) ? { operation: pick(g, operations).id } : {}),
  }));
  return {
    id,
    item: chance(g, 35) ? pick(g, ['C1', 'C2']) : `P${id}`,
    quantity,
    due: at(int(g, -1_000, 20_000)),
    ...(chance(g, 30) ? { release: at(int(g, -500, 5_000)) } : {}),
    ...(chance(g, 60) ? { priority: int(g, 1, 5) } : {}),
    ...(chance(g, 8) ? { status: 'completed' as const } : chance(g, 5) ? { status: 'cancelled' as const } : {}),
    operations,
    ...(materials.length ? { materials } : {}),
  };
}
