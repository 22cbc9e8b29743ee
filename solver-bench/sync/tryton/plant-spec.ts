/**
 * The Tryton plant of the bench, as data (pure, the same for the same seed): three work center
 * categories of three machines each under one line, three routing operations, three two-step
 * routings, twelve finished products each with a BOM of one lot-controlled metal and one
 * counted part, and the productions. Supply is sized from the demand: the metals on hand in
 * lots (130 %), the counted parts 35 % on hand and 105 % in purchases arriving over two weeks,
 * so that part of the plan waits for purchases and moving a delivery date matters.
 */
import { Prng } from '../../prng.ts';

export interface RawSpec { readonly code: string; readonly name: string; readonly uom: 'kg' | 'u'; readonly lot: boolean }
export interface FinishedSpec {
  readonly code: string;
  readonly routing: string;
  /** Per unit of output (whole numbers, so scaling a BOM needs no rounding). */
  readonly inputs: readonly { readonly code: string; readonly quantity: number }[];
}
export interface ProductionSpec {
  readonly product: string;
  readonly quantity: number;
  /** Days after Tryton's today: planned (due) date and planned start date. */
  readonly dueDay: number;
  readonly startDay: number;
  /** Taken to `waiting` (works created on work centers Tryton picks), else left in draft. */
  readonly wait: boolean;
}
export interface LotSpec { readonly product: string; readonly number: string; readonly quantity: number; readonly expiresDay: number }
export interface PurchaseSpec { readonly supplier: string; readonly product: string; readonly quantity: number; readonly deliveryDay: number }

export interface PlantSpec {
  readonly categories: readonly { readonly name: string; readonly centers: readonly string[] }[];
  readonly operations: readonly { readonly name: string; readonly category: string }[];
  readonly routings: readonly { readonly name: string; readonly steps: readonly string[] }[];
  readonly raw: readonly RawSpec[];
  readonly finished: readonly FinishedSpec[];
  readonly productions: readonly ProductionSpec[];
  readonly lots: readonly LotSpec[];
  readonly onHand: readonly { readonly product: string; readonly quantity: number }[];
  readonly purchases: readonly PurchaseSpec[];
}

/** takt's own master data for the plant (Tryton holds no capacities, calendars or times). */
export const OPERATION_TIMES = [
  { operation: 'Cutting', category: 'Saws', setupMinutes: 20, runMinutesPerUnit: 3 },
  { operation: 'Turning', category: 'Lathes', setupMinutes: 30, runMinutesPerUnit: 4 },
  { operation: 'Milling', category: 'Mills', setupMinutes: 25, runMinutesPerUnit: 4 },
] as const;

const RAW: readonly RawSpec[] = [
  { code: 'STEEL', name: 'Steel bar', uom: 'kg', lot: true },
  { code: 'ALU', name: 'Aluminium bar', uom: 'kg', lot: true },
  { code: 'BOLT', name: 'Bolt M8', uom: 'u', lot: false },
  { code: 'NUT', name: 'Nut M8', uom: 'u', lot: false },
];

export function plantSpec(seed: number, productions: number): PlantSpec {
  const rng = new Prng(seed);
  const categories = [
    { name: 'Saws', centers: ['SAW-1', 'SAW-2', 'SAW-3'] },
    { name: 'Lathes', centers: ['LATHE-1', 'LATHE-2', 'LATHE-3'] },
    { name: 'Mills', centers: ['MILL-1', 'MILL-2', 'MILL-3'] },
  ];
  const operations = OPERATION_TIMES.map((t) => ({ name: t.operation, category: t.category }));
  const routings = [
    { name: 'Cut+Turn', steps: ['Cutting', 'Turning'] },
    { name: 'Cut+Mill', steps: ['Cutting', 'Milling'] },
    { name: 'Turn+Mill', steps: ['Turning', 'Milling'] },
  ];
  const finished: FinishedSpec[] = Array.from({ length: 12 }, (_, i) => ({
    code: `P${String(i + 1).padStart(2, '0')}`,
    routing: routings[i % routings.length]!.name,
    inputs: [
      { code: i % 2 === 0 ? 'STEEL' : 'ALU', quantity: rng.int(1, 3) },
      { code: i % 3 === 0 ? 'NUT' : 'BOLT', quantity: rng.int(2, 8) },
    ],
  }));
  const orders: ProductionSpec[] = Array.from({ length: productions }, () => {
    const dueDay = rng.int(3, 45);
    return { product: rng.pick(finished).code, quantity: rng.int(5, 40), dueDay, startDay: Math.max(1, dueDay - rng.int(1, 3)), wait: rng.chance(0.6) };
  });

  const need = demandOf(finished, orders);
  const lots = ['STEEL', 'ALU'].flatMap((code) => Array.from({ length: 4 }, (_, k) => ({
    product: code, number: `${code}-L${k + 1}`, quantity: Math.ceil((need(code) * 1.3) / 4) + 1, expiresDay: 90 + 30 * k,
  })));
  const counted = ['BOLT', 'NUT'];
  const onHand = counted.map((code) => ({ product: code, quantity: Math.ceil(need(code) * 0.35) + 1 }));
  const purchases = counted.flatMap((code) => [3, 7, 12].map((deliveryDay, k) => ({
    supplier: `${code} supplier`, product: code, quantity: Math.ceil(need(code) * 0.35) + 1, deliveryDay: deliveryDay + k,
  })));
  return { categories, operations, routings, raw: RAW, finished, productions: orders, lots, onHand, purchases };
}

/** Per raw material: what the productions consume. */
function demandOf(finished: readonly FinishedSpec[], orders: readonly ProductionSpec[]): (code: string) => number {
  const demand = new Map<string, number>();
  for (const p of orders) {
    for (const input of finished.find((f) => f.code === p.product)!.inputs) demand.set(input.code, (demand.get(input.code) ?? 0) + input.quantity * p.quantity);
  }
  return (code) => demand.get(code) ?? 0;
}

/** More productions for a plant built from `plantSpec(seed, productions)`, and the stock they need. */
export interface PlantGrowth {
  readonly productions: readonly ProductionSpec[];
  readonly lots: readonly LotSpec[];
  readonly onHand: readonly { readonly product: string; readonly quantity: number }[];
}

/**
 * The plant grown to `total` productions: the ones `plantSpec(seed, total)` draws after the
 * first `productions` (the same draws, so the plant is the same up to there), with a new lot
 * of each metal (130 %) and counted parts on hand (105 %) for their demand.
 */
export function growthSpec(seed: number, productions: number, total: number): PlantGrowth {
  const full = plantSpec(seed, total);
  const added = full.productions.slice(productions);
  const need = demandOf(full.finished, added);
  return {
    productions: added,
    lots: ['STEEL', 'ALU'].map((code) => ({ product: code, number: `${code}-G1`, quantity: Math.ceil(need(code) * 1.3) + 1, expiresDay: 180 })),
    onHand: ['BOLT', 'NUT'].map((code) => ({ product: code, quantity: Math.ceil(need(code) * 1.05) + 1 })),
  };
}

export const operationCount = (spec: PlantSpec): number =>
  spec.productions.reduce((n, p) => n + spec.routings.find((r) => r.name === spec.finished.find((f) => f.code === p.product)!.routing)!.steps.length, 0);
