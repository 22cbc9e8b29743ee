/** Hand-built SolveResults: only what the event computation reads is worth spelling out. */
import type { Kpis, Problem, ScheduledOperation, ScheduledOrder, SolveResult } from '../../../scheduler/result.ts';

export const NOW = '2026-11-22T06:00:00.000Z';

const kpis: Kpis = {
  orders: 0, scheduledOrders: 0, lateOrders: 0, onTimeRate: 1, totalWeightedTardinessMinutes: 0,
  makespanMinutes: 0, totalFlowMinutes: 0, totalSetupMinutes: 0, operationsMoved: 0, utilisation: [],
};

export function order(workOrder: string, latenessMinutes: number | null, overrides: Partial<ScheduledOrder> = {}): ScheduledOrder {
  const unscheduled = latenessMinutes === null;
  return {
    workOrder,
    status: unscheduled ? 'unscheduled' : 'scheduled',
    plannedStart: unscheduled ? null : '2026-11-22T08:00:00.000Z',
    plannedEnd: unscheduled ? null : new Date(Date.parse('2026-11-23T12:00:00.000Z') + latenessMinutes * 60_000).toISOString(),
    due: '2026-11-23T12:00:00.000Z',
    latenessMinutes,
    dispatchPriority: 1,
    reasons: latenessMinutes !== null && latenessMinutes > 0 ? [{ kind: 'capacity', operation: '10', workCenter: 'WC', unit: 1, behind: 'WO-X', at: NOW }] : [],
    ...overrides,
  };
}

export function shortage(workOrder: string, item: string, missingQuantity: number, operation = '10', earliestCoverAt: string | null = null): Problem {
  return { type: 'shortage', workOrder, operation, item, missingQuantity, earliestCoverAt };
}

export function operation(workOrder: string, op: string, start: string): ScheduledOperation {
  return {
    workOrder, operation: op, workCenter: 'WC', unit: 1, start, end: new Date(Date.parse(start) + 3_600_000).toISOString(),
    workMinutes: 60, quantity: 1, fixedBy: 'planned', materialReadyAt: start,
  };
}

export function result(parts: { orders?: readonly ScheduledOrder[]; problems?: readonly Problem[]; operations?: readonly ScheduledOperation[]; now?: string } = {}): SolveResult {
  const orders = parts.orders ?? [];
  return {
    status: orders.some((o) => o.status === 'unscheduled') ? 'partial' : 'optimal-or-feasible',
    now: parts.now ?? NOW,
    operations: parts.operations ?? [],
    orders,
    kpis: { ...kpis, orders: orders.length, scheduledOrders: orders.filter((o) => o.status === 'scheduled').length },
    problems: parts.problems ?? [],
    stats: { constructiveMs: 1, improvementMs: 0, iterations: 0, timeToBestMs: 1, initialObjective: [0], finalObjective: [0], provedOptimal: false },
  };
}
