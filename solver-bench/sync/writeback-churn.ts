/**
 * Write-backs per event on the generated plant of about 1,000 operations, under the old rule
 * (any move of an order's start or end by a minute, or any change of its dispatch rank) and
 * under the plant policy takt now applies by default (moves of 15 minutes per order and per
 * operation, ranks crossing 10, 50, 200), for the events that used to cause most churn: an
 * order's operation completing, a breakdown on the busiest work center, a new urgent order.
 * The store is PGlite in memory, the plans the same for both rules (constructive pass only, so
 * the rule is all that differs); every write-back is taken as delivered before the next event.
 */
import type { PlantProblem } from '../../scheduler/problem.ts';
import { loadPlant } from '../../sync/demo/load-plant.ts';
import { ingestEvents } from '../../sync/ingest/ingest-events.ts';
import { runPlan } from '../../sync/planning/run-plan.ts';
import type { EventEnvelope, Principal } from '../../sync/ports.ts';
import type { Db } from '../../sync/store/database.ts';
import { migrateToLatest } from '../../sync/store/migrate.ts';
import { openDatabase } from '../../sync/store/open-database.ts';
import { DEFAULT_POLICY, setPlantPolicy, type PlantPolicy } from '../../sync/store/plant-policies.ts';
import { GENERATED_NOW, generatePlant, operationCountOf } from '../generator.ts';
import { busiestWorkCenter } from './bench.ts';
import { operationsInProgress, startEvents } from './event-mix.ts';

export interface ChurnRow {
  readonly event: string;
  readonly orders: number;
  /** Orders whose planned start or end moved at all. */
  readonly moved: number;
  readonly before: number;
  readonly after: number;
}

export interface ChurnResult {
  readonly plant: string;
  readonly operations: number;
  readonly orders: number;
  readonly rows: readonly ChurnRow[];
}

const SYSTEMS: Principal = { keyId: 'bench', name: 'bench', scopes: ['erp', 'wms', 'qms', 'mes'], plants: null };
const HOUR_MS = 3_600_000;

/** The old rule as a policy: a minute's move of the order, any rank change, operations not looked at. */
function oldRule(orders: number): PlantPolicy {
  return {
    publishing: 'auto',
    writeback: { orderMoveMinutes: 1, operationMoveMinutes: 1e9, priorityBoundaries: Array.from({ length: orders + 1 }, (_, i) => i + 1) },
    shopFloor: DEFAULT_POLICY.shopFloor,
  };
}

interface Scenario {
  readonly name: string;
  events(problem: PlantProblem, plant: string, at: string): EventEnvelope[];
}

function scenarios(problem: PlantProblem): readonly Scenario[] {
  const started = operationsInProgress(problem, 3);
  const busiest = busiestWorkCenter(problem);
  const envelope = (id: string, source: EventEnvelope['source'], type: string, plant: string, at: string, data: Record<string, unknown>): EventEnvelope => ({
    id, source, type, plant, occurredAt: at, version: 1, data,
  });
  return [
    {
      name: 'an operation of an order completes',
      events: (_p, plant, at) => started.slice(0, 1).map((op) => envelope(`churn-done-${op.workOrder}`, 'mes', 'operation.completed', plant, at, {
        workOrder: op.workOrder, operation: op.operation, quantityGood: op.quantity,
      })),
    },
    {
      name: `a breakdown on ${busiest} (12 h)`,
      events: (_p, plant, at) => [envelope('churn-breakdown', 'mes', 'downtime.started', plant, at, {
        id: 'CHURN-BD', workCenter: busiest, start: at, expectedEnd: new Date(Date.parse(at) + 12 * HOUR_MS).toISOString(),
      })],
    },
    {
      name: 'a new urgent order',
      events: (p, plant, at) => {
        const template = p.workOrders.find((o) => o.status !== 'completed' && (o.materials ?? []).length === 0) ?? p.workOrders[0]!;
        const operations = template.operations.map(({ status: _s, progress: _p, pin: _pin, ...op }) => op);
        return [envelope('churn-urgent', 'erp', 'work_order.upserted', plant, at, {
          id: 'URGENT-1', item: template.item, quantity: template.quantity, priority: 10,
          due: new Date(Date.parse(at) + 24 * HOUR_MS).toISOString(), operations,
        })];
      },
    },
  ];
}

async function markDelivered(db: Db, plant: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'delivered', delivered_at: new Date() }).where('plant', '=', plant).where('status', '=', 'pending').execute();
}

async function countWritebacks(db: Db, plant: string, version: number): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('plant', '=', plant).where('schedule_version', '=', version).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Runs the scenarios on a fresh store under `policy`; per scenario the write-backs and the orders that moved. */
async function runUnder(problem: PlantProblem, policy: PlantPolicy, label: string): Promise<{ written: number[]; moved: number[]; orders: number }> {
  const db = await openDatabase({ dataDir: ':memory:' });
  try {
    const migrated = await migrateToLatest(db);
    if (!migrated.ok) throw new Error(`migration failed: ${migrated.message}`);
    const plant = problem.plant.id;
    const rejected = await loadPlant(db, problem, new Date(GENERATED_NOW), `churn-${label}`);
    if (rejected.length > 0) throw new Error(`plant events rejected: ${JSON.stringify(rejected.slice(0, 3))}`);
    await ingestEvents(db, startEvents(plant, operationsInProgress(problem, 3), GENERATED_NOW), SYSTEMS);
    await setPlantPolicy(db, plant, policy, 'bench');
    let now = Date.parse(GENERATED_NOW);
    const plan = async () => {
      const outcome = await runPlan(db, plant, { now: new Date(now), reason: 'churn bench', timeLimitMs: 0, seed: 1 });
      if (outcome.status !== 'planned') throw new Error(`plan run ${outcome.status}`);
      return outcome;
    };
    let previous = await plan();
    await markDelivered(db, plant);
    const written: number[] = [];
    const moved: number[] = [];
    for (const scenario of scenarios(problem)) {
      now += 10 * 60_000;
      const at = new Date(now).toISOString();
      const report = await ingestEvents(db, scenario.events(problem, plant, at), SYSTEMS);
      if (report.outcomes.some((o) => o.status === 'rejected')) throw new Error(`${scenario.name}: ${JSON.stringify(report.outcomes)}`);
      const next = await plan();
      written.push(await countWritebacks(db, plant, next.version));
      const before = new Map(previous.result.orders.map((o) => [o.workOrder, o]));
      moved.push(next.result.orders.filter((o) => {
        const b = before.get(o.workOrder);
        return b === undefined || b.plannedStart !== o.plannedStart || b.plannedEnd !== o.plannedEnd;
      }).length);
      previous = next;
      await markDelivered(db, plant);
    }
    return { written, moved, orders: previous.result.orders.length };
  } finally {
    await db.destroy();
  }
}

export async function measureWritebackChurn(seed: number, log: (line: string) => void): Promise<ChurnResult> {
  const problem = generatePlant({ targetOperations: 1_000, seed });
  const orders = problem.workOrders.length;
  const old = await runUnder(problem, oldRule(orders), 'old');
  const now = await runUnder(problem, DEFAULT_POLICY, 'new');
  const rows = scenarios(problem).map((scenario, i): ChurnRow => ({
    event: scenario.name, orders: now.orders, moved: now.moved[i]!, before: old.written[i]!, after: now.written[i]!,
  }));
  for (const row of rows) log(`churn ${row.event}: ${row.before} → ${row.after} write-backs (${row.moved} orders moved)`);
  return { plant: problem.plant.id, operations: operationCountOf(problem), orders, rows };
}

export function renderChurnSection(result: ChurnResult, meta: { readonly date: string; readonly command: string; readonly machine: string; readonly node: string }): string {
  const lines = [
    '## (f) Write-backs per event: what is worth telling the ERP',
    '',
    `Run ${meta.date} with \`${meta.command}\`. Machine: ${meta.machine}; Node ${meta.node}.`,
    '',
    `Plant \`${result.plant}\` (${result.operations} operations, ${result.orders} orders), on PGlite in memory; each event is planned with the constructive pass only (the same plans under both rules), every write-back taken as delivered before the next event. Before: the old rule (an order's start or end moved by a minute, or its dispatch rank changed at all). After: the default plant policy (an order's or an operation's start or end moved by 15 minutes, an operation on another work center, a rank crossing 10, 50 or 200; \`PUT /v1/plants/{plant}/policy\` changes it).`,
    '',
    '| event | orders whose dates moved | write-backs before | write-backs after |',
    '| --- | ---: | ---: | ---: |',
    ...result.rows.map((r) => `| ${r.event} | ${r.moved} | ${r.before} | ${r.after} |`),
    '',
  ];
  return lines.join('\n');
}
