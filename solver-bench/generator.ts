/**
 * Seeded generator of realistic plants for the scaling benchmarks: shift calendars with
 * holidays, departments of work centers with 1-4 parallel units, routings of 3-8 operations
 * with alternate work centers (each with its own run rate), multi-level BOMs (component and
 * sub-assembly orders feeding final-assembly orders), purchased parts with on-hand lots (some
 * held or blocked), expected receipts, a few quality holds, due dates spread over the weeks the
 * load needs, and ERP priorities. The same seed always yields the same plant.
 */
import type {
  CalendarSpec,
  DowntimeSpec,
  HoldSpec,
  ItemSpec,
  LotSpec,
  MaterialRequirement,
  OperationSpec,
  PlantProblem,
  ReceiptSpec,
  WorkCenterSpec,
  WorkOrderSpec,
} from '../scheduler/problem.ts';
import { Prng } from './prng.ts';

export interface PlantGeneratorOptions {
  /** Operations to generate; the result lands within a few operations of it. */
  readonly targetOperations: number;
  readonly seed: number;
}

/** Monday 2 March 2026, 06:00 in Berlin: the start of the early shift. */
export const GENERATED_NOW = '2026-03-02T05:00:00Z';
const NOW_MS = Date.parse(GENERATED_NOW);
const MINUTE_MS = 60_000;
const DAY_MIN = 1440;

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const HOLIDAYS = [
  { date: '2026-04-03', reason: 'Good Friday' },
  { date: '2026-04-06', reason: 'Easter Monday' },
  { date: '2026-05-01', reason: 'Labour Day' },
  { date: '2026-05-14', reason: 'Ascension Day' },
  { date: '2026-05-25', reason: 'Whit Monday' },
];

type CalendarId = 'two-shift' | 'three-shift' | 'day-shift';

/** Working minutes per unit per week, for sizing the horizon and spreading due dates. */
const WEEKLY_MINUTES: Record<CalendarId, number> = { 'two-shift': 4800, 'three-shift': 7200, 'day-shift': 2550 };

function calendars(): CalendarSpec[] {
  const holidays = HOLIDAYS.map((h) => ({ date: h.date, shifts: [], reason: h.reason }));
  return [
    {
      id: 'two-shift',
      shifts: [
        { days: WEEKDAYS, start: '06:00', end: '14:00' },
        { days: WEEKDAYS, start: '14:00', end: '22:00' },
      ],
      exceptions: holidays,
    },
    {
      id: 'three-shift',
      shifts: [
        { days: WEEKDAYS, start: '06:00', end: '14:00' },
        { days: WEEKDAYS, start: '14:00', end: '22:00' },
        { days: WEEKDAYS, start: '22:00', end: '06:00' },
      ],
      exceptions: [...holidays, { date: '2026-03-14', shifts: [{ start: '06:00', end: '14:00' }], reason: 'extra Saturday shift' }],
    },
    { id: 'day-shift', shifts: [{ days: WEEKDAYS, start: '07:00', end: '15:30' }], exceptions: holidays },
  ];
}

interface Department {
  readonly code: string;
  readonly name: string;
  readonly calendar: CalendarId;
  /** Share of the plant's work centers. */
  readonly share: number;
  /** Run minutes per unit, [low, high). */
  readonly rate: readonly [number, number];
  readonly nonInterruptible?: boolean;
  /** Elapsed minutes the next operation waits (curing, cooling). */
  readonly waitAfter?: number;
}

const DEPARTMENTS: readonly Department[] = [
  { code: 'CUT', name: 'Cutting', calendar: 'two-shift', share: 0.1, rate: [0.2, 1] },
  { code: 'MIL', name: 'Milling', calendar: 'three-shift', share: 0.18, rate: [1, 5] },
  { code: 'TRN', name: 'Turning', calendar: 'three-shift', share: 0.14, rate: [1, 4] },
  { code: 'DRL', name: 'Drilling', calendar: 'two-shift', share: 0.1, rate: [0.3, 1.5] },
  { code: 'WLD', name: 'Welding', calendar: 'two-shift', share: 0.1, rate: [1, 4] },
  { code: 'HTR', name: 'Heat treatment', calendar: 'three-shift', share: 0.04, rate: [0.2, 0.5], nonInterruptible: true },
  { code: 'PNT', name: 'Painting', calendar: 'two-shift', share: 0.06, rate: [0.3, 1], waitAfter: 120 },
  { code: 'ASM', name: 'Assembly', calendar: 'two-shift', share: 0.14, rate: [5, 20] },
  { code: 'TST', name: 'Testing', calendar: 'two-shift', share: 0.08, rate: [2, 8] },
  { code: 'PCK', name: 'Packing', calendar: 'day-shift', share: 0.06, rate: [0.5, 2] },
];

/** Flow stages (by department code) that component and final routings draw from, in flow order. */
const PART_FLOW = ['CUT', 'MIL', 'MIL', 'TRN', 'DRL', 'WLD', 'HTR', 'PNT', 'TST'];
const FINAL_FLOW = ['ASM', 'ASM', 'WLD', 'PNT', 'TST', 'PCK'];

interface GeneratedWorkCenter {
  readonly spec: WorkCenterSpec;
  readonly department: Department;
}

function workCenters(rng: Prng, targetOperations: number): GeneratedWorkCenter[] {
  const total = Math.min(600, Math.max(12, Math.round(targetOperations / 60)));
  const calendarIds: CalendarId[] = ['two-shift', 'three-shift', 'day-shift'];
  const result: GeneratedWorkCenter[] = [];
  for (const department of DEPARTMENTS) {
    const count = Math.max(1, Math.round(total * department.share));
    for (let i = 1; i <= count; i++) {
      // Mostly the department's calendar; some machines run another pattern.
      const calendar = rng.chance(0.15) ? rng.pick(calendarIds) : department.calendar;
      const units = rng.weighted([1, 2, 3, 4], [40, 30, 20, 10]);
      const id = `${department.code}-${String(i).padStart(3, '0')}`;
      result.push({ spec: { id, name: `${department.name} ${i}`, units, calendar }, department });
    }
  }
  return result;
}

const iso = (minutesFromNow: number): string => new Date(NOW_MS + Math.round(minutesFromNow) * MINUTE_MS).toISOString();

/** A mutable order under construction; due dates are set once the total load is known. */
interface Draft {
  id: string;
  item: string;
  quantity: number;
  kind: 'component' | 'sub-assembly' | 'final';
  /** Days before the parent's due date (0 for finals). */
  leadDays: number;
  parent: Draft | null;
  operations: OperationSpec[];
  materials: MaterialRequirement[];
  priority: number;
  release?: string;
  status: 'planned' | 'released';
  primaryMinutes: number;
}

export function generatePlant(options: PlantGeneratorOptions): PlantProblem {
  const rng = new Prng(options.seed);
  const centers = workCenters(rng, options.targetOperations);
  const byDepartment = new Map<string, GeneratedWorkCenter[]>();
  for (const wc of centers) byDepartment.set(wc.department.code, [...(byDepartment.get(wc.department.code) ?? []), wc]);
  const departmentOf = new Map(DEPARTMENTS.map((d) => [d.code, d]));

  const rawMaterials = Math.max(10, Math.round(options.targetOperations / 40));
  const rawItems = Array.from({ length: rawMaterials }, (_, i) => `RM-${String(i + 1).padStart(5, '0')}`);
  const rawDemand = new Map<string, number>();
  const items: ItemSpec[] = [];
  const drafts: Draft[] = [];
  let operationCount = 0;

  const routing = (flow: readonly string[], quantity: number, forceFirst?: string): { ops: OperationSpec[]; minutes: number } => {
    const length = rng.int(3, 8);
    const stages = Array.from({ length }, () => rng.int(0, flow.length - 1)).sort((a, b) => a - b).map((i) => flow[i]!);
    if (forceFirst) stages[0] = forceFirst;
    let minutes = 0;
    const ops = stages.map((code, k): OperationSpec => {
      const department = departmentOf.get(code)!;
      const pool = byDepartment.get(code)!;
      const primary = rng.pick(pool);
      const setupMinutes = rng.int(2, 12) * 5;
      const runMinutesPerUnit = Math.round(rng.float(department.rate[0], department.rate[1]) * 10) / 10;
      const modes = [{ workCenter: primary.spec.id, setupMinutes, runMinutesPerUnit }];
      if (pool.length > 1 && rng.chance(0.35)) {
        const alternates = rng.int(1, Math.min(2, pool.length - 1));
        const others = pool.filter((wc) => wc !== primary);
        for (let a = 0; a < alternates; a++) {
          const [alternate] = others.splice(rng.int(0, others.length - 1), 1);
          // Older or less suited machines: slower run rate, sometimes a longer setup.
          modes.push({
            workCenter: alternate!.spec.id,
            setupMinutes: setupMinutes + rng.int(0, 2) * 5,
            runMinutesPerUnit: Math.round(runMinutesPerUnit * rng.float(1.05, 1.5) * 10) / 10,
          });
        }
      }
      minutes += setupMinutes + quantity * runMinutesPerUnit;
      return {
        id: `OP${(k + 1) * 10}`,
        name: department.name,
        modes,
        ...(department.waitAfter ? { minWaitAfterMinutes: department.waitAfter } : {}),
        ...(department.nonInterruptible ? { nonInterruptible: true } : {}),
      };
    });
    operationCount += ops.length;
    return { ops, minutes };
  };

  const consumeRaw = (order: Draft, count: number): void => {
    for (let i = 0; i < count; i++) {
      const item = rng.pick(rawItems);
      if (order.materials.some((m) => m.item === item)) continue;
      const quantity = order.quantity * rng.int(1, 4);
      rawDemand.set(item, (rawDemand.get(item) ?? 0) + quantity);
      // Usually staged at the first operation; sometimes consumed further down the routing.
      const at = rng.chance(0.3) ? rng.pick(order.operations).id : undefined;
      order.materials.push({ item, quantity, ...(at ? { operation: at } : {}) });
    }
  };

  const newOrder = (kind: Draft['kind'], item: string, quantity: number, parent: Draft | null): Draft => {
    const flow = kind === 'final' ? FINAL_FLOW : PART_FLOW;
    const { ops, minutes } = routing(flow, quantity, kind === 'final' ? 'ASM' : undefined);
    const draft: Draft = {
      id: `WO-${String(drafts.length + 1).padStart(6, '0')}`,
      item,
      quantity,
      kind,
      leadDays: kind === 'final' ? 0 : rng.int(2, 5),
      parent,
      operations: ops,
      materials: [],
      priority: rng.weighted([1, 2, 3, 5], [70, 20, 8, 2]),
      status: rng.chance(0.8) ? 'released' : 'planned',
      primaryMinutes: minutes,
    };
    if (kind !== 'final' && rng.chance(0.1)) draft.release = iso(rng.int(0, 10) * DAY_MIN);
    items.push({ id: item, uom: 'pcs' });
    drafts.push(draft);
    return draft;
  };

  let group = 0;
  while (operationCount < options.targetOperations) {
    group++;
    const finalQuantity = rng.int(5, 60);
    const final = newOrder('final', `FG-${String(group).padStart(6, '0')}`, finalQuantity, null);
    consumeRaw(final, rng.int(0, 2));
    const subs = rng.weighted([0, 1, 2, 3], [15, 35, 35, 15]);
    for (let s = 1; s <= subs && operationCount < options.targetOperations; s++) {
      const perUnit = rng.int(1, 4);
      const sub = newOrder('sub-assembly', `SA-${group}-${s}`, finalQuantity * perUnit, final);
      final.materials.push({ item: sub.item, quantity: sub.quantity, operation: final.operations[0]!.id });
      consumeRaw(sub, rng.int(1, 2));
      if (rng.chance(0.3) && operationCount < options.targetOperations) {
        const component = newOrder('component', `SC-${group}-${s}`, sub.quantity, sub);
        sub.materials.push({ item: component.item, quantity: component.quantity });
        consumeRaw(component, rng.int(1, 2));
      }
    }
  }
  for (const item of rawItems) items.push({ id: item, uom: 'pcs' });

  // Spread due dates over the weeks the load needs at ~80% utilisation.
  const weeklyCapacity = centers.reduce((sum, wc) => sum + wc.spec.units * WEEKLY_MINUTES[wc.spec.calendar as CalendarId], 0);
  const totalWork = drafts.reduce((sum, d) => sum + d.primaryMinutes, 0);
  const loadWeeks = Math.max(1, totalWork / (weeklyCapacity * 0.8));
  const dueMinutes = new Map<Draft, number>();
  const dueOf = (draft: Draft): number => {
    const known = dueMinutes.get(draft);
    if (known !== undefined) return known;
    const due = draft.parent
      ? dueOf(draft.parent) - draft.leadDays * DAY_MIN
      : rng.chance(0.03)
        ? -rng.int(1, 5) * DAY_MIN // already overdue in the ERP
        : (7 + rng.float(0.3, 1.4) * loadWeeks * 7) * DAY_MIN;
    const rounded = Math.round(due / 60) * 60;
    dueMinutes.set(draft, rounded);
    return rounded;
  };

  const workOrders: WorkOrderSpec[] = drafts.map((d) => ({
    id: d.id,
    item: d.item,
    quantity: d.quantity,
    due: iso(dueOf(d)),
    ...(d.release ? { release: d.release } : {}),
    priority: d.priority,
    status: d.status,
    operations: d.operations,
    ...(d.materials.length ? { materials: d.materials } : {}),
  }));

  const { lots, receipts } = supply(rng, rawItems, rawDemand, loadWeeks);
  const holds = qualityHolds(rng, lots, workOrders, rawItems, rawDemand);

  return {
    plant: {
      id: `GEN-${options.targetOperations}-${options.seed}`,
      name: `Generated plant (${options.targetOperations} operations, seed ${options.seed})`,
      timeZone: 'Europe/Berlin',
      frozenWindowMinutes: 240,
      horizonDays: Math.min(365, Math.ceil(loadWeeks * 7 * 2.5) + 42),
      objective: 'weighted-tardiness',
    },
    now: GENERATED_NOW,
    calendars: calendars(),
    workCenters: centers.map((wc) => wc.spec),
    items,
    workOrders,
    lots,
    receipts,
    holds,
  };
}

/** Lots on hand and expected receipts: most items covered, a few short, some lots unusable. */
function supply(
  rng: Prng,
  rawItems: readonly string[],
  demand: ReadonlyMap<string, number>,
  loadWeeks: number,
): { lots: LotSpec[]; receipts: ReceiptSpec[] } {
  const lots: LotSpec[] = [];
  const receipts: ReceiptSpec[] = [];
  const lotId = (): string => `LOT-${String(lots.length + 1).padStart(6, '0')}`;
  for (const item of rawItems) {
    const needed = demand.get(item) ?? 0;
    const onHand = Math.ceil(Math.max(needed, 50) * rng.float(0.3, 0.9));
    const lotCount = rng.int(1, 3);
    for (let i = 0; i < lotCount; i++) {
      const quantity = Math.ceil(onHand / lotCount);
      const expiresAt = rng.chance(0.1) ? iso(rng.int(30, 120) * DAY_MIN) : undefined;
      lots.push({ id: lotId(), item, quantity, status: 'available', ...(expiresAt ? { expiresAt } : {}) });
    }
    if (rng.chance(0.08)) lots.push({ id: lotId(), item, quantity: Math.ceil(needed * 0.2) + 1, status: 'held' });
    if (rng.chance(0.03)) lots.push({ id: lotId(), item, quantity: Math.ceil(needed * 0.1) + 1, status: 'blocked' });
    const open = needed - onHand;
    if (open <= 0) continue;
    // Purchasing usually covers the rest with some slack; for a few items it falls short.
    const covered = open * (rng.chance(0.92) ? rng.float(1, 1.3) : rng.float(0.5, 0.95));
    const count = rng.int(1, 3);
    for (let r = 0; r < count; r++) {
      const at = rng.int(2, Math.max(3, Math.round(loadWeeks * 7))) * DAY_MIN + rng.int(6, 14) * 60;
      receipts.push({ id: `PO-${String(receipts.length + 1).padStart(6, '0')}`, item, quantity: Math.ceil(covered / count), expectedAt: iso(at) });
    }
  }
  return { lots, receipts };
}

function qualityHolds(
  rng: Prng,
  lots: readonly LotSpec[],
  orders: readonly WorkOrderSpec[],
  rawItems: readonly string[],
  demand: ReadonlyMap<string, number>,
): HoldSpec[] {
  const holds: HoldSpec[] = [];
  const count = Math.max(3, Math.round(orders.length / 300));
  const available = lots.filter((l) => l.status === 'available');
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const kind = i === 0 ? 'item' : rng.weighted(['lot', 'work_order'] as const, [60, 40]);
    const id =
      kind === 'item'
        ? rng.pick(rawItems.filter((item) => (demand.get(item) ?? 0) > 0))
        : kind === 'lot'
          ? rng.pick(available).id
          : rng.pick(orders).id;
    if (used.has(`${kind}:${id}`)) continue;
    used.add(`${kind}:${id}`);
    const reason = kind === 'item' ? 'supplier quality alert' : kind === 'lot' ? 'incoming inspection failed' : 'engineering change pending';
    holds.push({ id: `QH-${String(holds.length + 1).padStart(4, '0')}`, target: { kind, id }, reason });
  }
  return holds;
}

export function operationCountOf(problem: PlantProblem): number {
  return problem.workOrders.reduce((n, o) => n + o.operations.length, 0);
}

/**
 * The same plant after one breakdown: unit 1 of the most loaded work center (by primary-mode
 * work per unit) goes down shortly after `now` for several hours, as an MES would report it.
 */
export function withDowntime(problem: PlantProblem, seed: number): PlantProblem {
  const rng = new Prng(seed);
  const load = new Map<string, number>();
  for (const order of problem.workOrders) {
    for (const op of order.operations) {
      const mode = op.modes[0];
      if (!mode) continue;
      load.set(mode.workCenter, (load.get(mode.workCenter) ?? 0) + (mode.setupMinutes ?? 0) + order.quantity * mode.runMinutesPerUnit);
    }
  }
  let busiest: WorkCenterSpec | undefined;
  let busiestLoad = -1;
  for (const wc of problem.workCenters) {
    const perUnit = (load.get(wc.id) ?? 0) / wc.units;
    if (perUnit > busiestLoad) {
      busiest = wc;
      busiestLoad = perUnit;
    }
  }
  if (!busiest) return problem;
  const origin = Date.parse(problem.now ?? GENERATED_NOW);
  const startMs = origin + rng.int(30, 240) * MINUTE_MS;
  const breakdown: DowntimeSpec = {
    id: `BD-${seed}`,
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + rng.int(4, 16) * 60 * MINUTE_MS).toISOString(),
    ...(busiest.units > 1 ? { unit: 1 } : {}),
    reason: 'breakdown',
  };
  const target = busiest.id;
  return {
    ...problem,
    workCenters: problem.workCenters.map((wc) => (wc.id === target ? { ...wc, downtimes: [...(wc.downtimes ?? []), breakdown] } : wc)),
  };
}
