/**
 * What is worth writing to the ERP: moves against what takt last wrote beyond the plant's
 * minutes (order and operation apart), a work center changed, an operation added or gone, a
 * rank crossing a bucket boundary; and toward a connector, nothing the ERP holds already, and
 * always what someone changed in the ERP.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduledOrder, SolveResult } from '../../../scheduler/result.ts';
import type { StoredLink } from '../../../sync/store/erp-links.ts';
import { changedOrderPayloads } from '../../../sync/planning/changed-orders.ts';
import { isMaterialChange, rankBucket } from '../../../sync/planning/material-change.ts';
import type { WritebackPolicy } from '../../../sync/store/plant-policies.ts';
import type { WritebackPayload } from '../../../sync/writeback/payload.ts';

const policy: WritebackPolicy = { orderMoveMinutes: 15, operationMoveMinutes: 30, priorityBoundaries: [10, 50] };
const at = (minutes: number) => new Date(Date.parse('2026-12-03T06:00:00Z') + minutes * 60_000).toISOString();

const payload = (start: number, end: number, rank: number, ops: readonly [string, string, number, number][] = [['10', 'CNC', start, end]]): WritebackPayload => ({
  plant: 'P1', workOrder: 'WO1', scheduleVersion: 1, plannedStart: at(start), plannedEnd: at(end), dispatchPriority: rank,
  operations: ops.map(([operation, workCenter, s, e]) => ({ operation, workCenter, plannedStart: at(s), plannedEnd: at(e) })),
  idempotencyKey: 'P1:WO1:v1',
});

describe('material change', () => {
  const before = payload(0, 120, 3);

  it('is any first write', () => expect(isMaterialChange(undefined, before, policy)).toBe(true));

  it('is an order start or end moved by the order minutes', () => {
    expect(isMaterialChange(before, payload(14, 134, 3, [['10', 'CNC', 0, 120]]), policy)).toBe(false);
    expect(isMaterialChange(before, payload(15, 120, 3, [['10', 'CNC', 0, 120]]), policy)).toBe(true);
    expect(isMaterialChange(before, payload(0, 105, 3, [['10', 'CNC', 0, 120]]), policy)).toBe(true);
  });

  it('is an operation moved by the operation minutes, to another work center, added or gone', () => {
    const ops = (list: readonly [string, string, number, number][]) => payload(0, 120, 3, list);
    expect(isMaterialChange(before, ops([['10', 'CNC', 29, 120]]), policy)).toBe(false);
    expect(isMaterialChange(before, ops([['10', 'CNC', 30, 120]]), policy)).toBe(true);
    expect(isMaterialChange(before, ops([['10', 'LATHE', 0, 120]]), policy)).toBe(true);
    expect(isMaterialChange(before, ops([['10', 'CNC', 0, 120], ['20', 'CNC', 120, 130]]), policy)).toBe(true);
    expect(isMaterialChange(before, ops([['20', 'CNC', 0, 120]]), policy)).toBe(true);
  });

  it('is a rank change only across a bucket boundary', () => {
    expect([rankBucket(1, [10, 50]), rankBucket(10, [10, 50]), rankBucket(11, [10, 50]), rankBucket(51, [10, 50])]).toEqual([0, 0, 1, 2]);
    expect(isMaterialChange(before, payload(0, 120, 9), policy)).toBe(false);
    expect(isMaterialChange(before, payload(0, 120, 11), policy)).toBe(true);
    expect(isMaterialChange(before, payload(0, 120, 40), { ...policy, priorityBoundaries: [] })).toBe(false);
  });
});

describe('due write-backs', () => {
  const order = (start: number, end: number, rank = 3): ScheduledOrder => ({
    workOrder: 'WO1', status: 'scheduled', plannedStart: at(start), plannedEnd: at(end), due: at(600), latenessMinutes: 0, dispatchPriority: rank, reasons: [],
  });
  const result = (o: ScheduledOrder): SolveResult => ({
    status: 'optimal-or-feasible', now: at(0), orders: [o],
    operations: [{ workOrder: 'WO1', operation: '10', workCenter: 'CNC', unit: 1, start: o.plannedStart!, end: o.plannedEnd!, workMinutes: 120, quantity: 1, fixedBy: 'planned', materialReadyAt: at(0) }],
    kpis: {} as SolveResult['kpis'], problems: [], stats: {} as SolveResult['stats'],
  });
  /** A connector that holds dates only (Tryton-like). */
  const erp = (held: unknown, extra: Partial<StoredLink> = {}, linked = true) => ({
    project: (p: WritebackPayload) => ({ end: p.plannedEnd.slice(0, 10) }),
    linkOf: (): StoredLink | undefined => ({
      kind: 'work_order', key: 'WO1', ref: 1, stamp: 's', held, pending: null, memo: null,
      digest: 'd', version: 1, reread: false, writtenHeld: null, writtenStamp: null, writtenFrom: null, ...extra,
    }),
    linked,
  });
  const input = (o: ScheduledOrder, last: WritebackPayload | undefined, held: ReturnType<typeof erp> | null = null, state: { pending?: boolean; inFlight?: boolean } = {}) => ({
    plant: 'P1', version: 2, result: result(o), statusOf: () => 'released', policy,
    lastWritten: () => (last === undefined ? undefined : { payload: last, pending: state.pending ?? false, inFlight: state.inFlight ?? false }),
    held,
  });
  const starts = (changed: ReturnType<typeof changedOrderPayloads>) => changed.due.map((d) => d.payload.plannedStart);

  it('writes a small move nowhere, a large one to the generic adapter', () => {
    expect(changedOrderPayloads(input(order(5, 125), payload(0, 120, 3))).due).toEqual([]);
    expect(starts(changedOrderPayloads(input(order(60, 180), payload(0, 120, 3))))).toEqual([at(60)]);
  });

  it('toward a connector: nothing the ERP holds already, and always what was edited there', () => {
    const written = payload(0, 120, 3);
    // A large move within the same day: Tryton-like dates hold it already.
    expect(changedOrderPayloads(input(order(60, 180), written, erp({ end: '2026-12-03' }))).due).toEqual([]);
    // Someone in the ERP moved the date: a small move is written too, with the link as the guard.
    const edited = changedOrderPayloads(input(order(5, 125), written, erp({ end: '2026-12-09' })));
    expect(edited.due.map((d) => [d.payload.plannedEnd, d.basis?.stamp])).toEqual([[at(125), 's']]);
    // The ERP adjusted takt's last write on its own (it holds what it held right after it): not an edit.
    expect(changedOrderPayloads(input(order(5, 125), written, erp({ end: '2026-12-09' }, { writtenHeld: { end: '2026-12-09' } }))).due).toEqual([]);
  });

  it('sets aside a waiting write-back that would undo what the ERP holds, or writes again behind one in flight', () => {
    const waiting = payload(3 * 1440, 3 * 1440 + 120, 3);
    const back = order(0, 120);
    expect(changedOrderPayloads(input(back, waiting, erp({ end: '2026-12-03' }), { pending: true }))).toEqual({ due: [], obsolete: ['WO1'] });
    expect(changedOrderPayloads(input(back, waiting, erp({ end: '2026-12-03' }), { pending: true, inFlight: true })).due).toHaveLength(1);
    expect(changedOrderPayloads(input(back, waiting, erp({ end: '2026-12-03' }), { pending: false })).obsolete).toEqual([]);
  });

  it('writes to a write-back-only connection by the material rule, with no link to guard it', () => {
    const noLinks = { ...erp(null, {}, false), linkOf: () => undefined };
    expect(changedOrderPayloads(input(order(60, 180), payload(0, 120, 3), noLinks)).due.map((d) => d.basis)).toEqual([null]);
    expect(changedOrderPayloads(input(order(60, 180), payload(0, 120, 3), { ...noLinks, linked: true })).due).toEqual([]);
  });

  it('never writes a closed order', () => {
    expect(changedOrderPayloads({ ...input(order(60, 180), undefined), statusOf: () => 'completed' }).due).toEqual([]);
  });
});
