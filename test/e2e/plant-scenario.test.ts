/**
 * One end-to-end scenario, through HTTP, on PGlite with the in-process queue and on the real
 * PostgreSQL with BullMQ on Redis: load a plant by events, reschedule, put a needed lot on
 * quality hold and see the orders wait for the next receipt, let the receipt arrive early and
 * see them come back, read the MES dispatch list.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import type { PlantProblem } from '../../scheduler/problem.ts';
import { problemToEvents } from '../../sync/demo/problem-events.ts';
import type { EventEnvelope, ScheduleVersionView, WorkOrderView, DispatchListView } from '../../sync/ports.ts';
import type { JobQueue } from '../../sync/queue/job-queue.ts';
import { createApiKey } from '../../sync/store/api-keys.ts';
import type { Db } from '../../sync/store/database.ts';
import { createTakt } from '../../sync/takt.ts';
import { disposeQueue, queueBackends } from '../sync/queue/queue-backends.ts';
import { pgliteBackend, postgresBackend, type TestBackend } from '../sync/support/backends.ts';

const problem = JSON.parse(readFileSync(new URL('../../examples/gearbox-assembly.json', import.meta.url), 'utf8')) as PlantProblem;
const PLANT = problem.plant.id;
const HOUR = 3_600_000;

const setups: readonly { readonly name: string; readonly backend: () => TestBackend; readonly queue: string }[] = [
  { name: 'PGlite + in-process queue', backend: pgliteBackend, queue: 'in-process' },
  { name: 'PostgreSQL + BullMQ', backend: postgresBackend, queue: 'bullmq' },
];

describe.each(setups)('plant scenario on $name', ({ backend: makeBackend, queue: queueName }) => {
  const backend = makeBackend();
  let db: Db;
  let queue: JobQueue;
  let app: FastifyInstance;
  let now = Date.parse(problem.now!);
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await backend.open();
    queue = queueBackends.find((q) => q.name === queueName)!.open();
    const takt = createTakt({ db, queue, writebacks: false, clock: () => now, timeLimitMs: 300 });
    app = await buildApp({ takt });
    for (const scope of ['erp', 'wms', 'qms', 'mes', 'planner'] as const) {
      tokens[scope] = (await createApiKey(db, { name: scope, scopes: [scope], plants: [PLANT] })).token;
    }
  });

  afterAll(async () => {
    await app?.close();
    await disposeQueue(queue);
    await backend.close();
  });

  const send = async (events: readonly EventEnvelope[], scope: string) => {
    const response = await app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${tokens[scope]}` }, payload: { events } });
    expect(response.statusCode).toBe(202);
    return response.json() as { accepted: number; rejected: number; results: { status: string; reason?: string }[] };
  };
  const get = async <T>(url: string, scope = 'planner'): Promise<T> => {
    const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens[scope]}` } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as T;
  };
  const reschedule = async (reason: string): Promise<ScheduleVersionView> => {
    const response = await app.inject({
      method: 'POST', url: `/v1/plants/${PLANT}/reschedule`, headers: { authorization: `Bearer ${tokens.planner}` }, payload: { reason },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as ScheduleVersionView;
  };
  const event = (source: EventEnvelope['source'], type: string, id: string, data: Record<string, unknown>): EventEnvelope =>
    ({ id, source, type, plant: PLANT, occurredAt: new Date(now).toISOString(), version: 1, data });

  it('loads the plant from ERP, WMS and QMS events, each source with its own key', async () => {
    const events = problemToEvents(problem, new Date(now).toISOString());
    for (const source of ['erp', 'wms', 'qms', 'mes'] as const) {
      const batch = events.filter((e) => e.source === source);
      if (batch.length === 0) continue;
      const outcome = await send(batch, source);
      expect(outcome.rejected, JSON.stringify(outcome.results.filter((r) => r.status === 'rejected'))).toBe(0);
      expect(outcome.accepted).toBe(batch.length);
    }
    // The same batch again changes nothing.
    const again = await send(events.filter((e) => e.source === 'wms'), 'wms');
    expect(again.results.every((r) => r.status === 'duplicate')).toBe(true);
  });

  let fa9001Before: WorkOrderView;

  it('reschedules: every order but the one short of frames is planned; the held bearing lot makes FA-9003 wait for the receipt', async () => {
    const version = await reschedule('initial');
    expect(version.version).toBe(1);
    const unscheduled = version.orders.filter((o) => o.status === 'unscheduled').map((o) => o.workOrder);
    expect(unscheduled).toEqual(['FA-9004']);
    const fa9003 = await get<WorkOrderView>(`/v1/plants/${PLANT}/work-orders/FA-9003`);
    expect(fa9003.reasons).toContainEqual(expect.objectContaining({ kind: 'material', item: 'BRG-6205', source: 'PO-8803-1' }));
    fa9001Before = await get<WorkOrderView>(`/v1/plants/${PLANT}/work-orders/FA-9001`);
    expect(Date.parse(fa9001Before.plannedStart!)).toBeLessThan(Date.parse('2026-12-09T15:00:00Z'));
  });

  it('a quality hold on the bearing lot in use moves FA-9001 behind the next bearing receipt', async () => {
    const outcome = await send([event('qms', 'hold.placed', 'qh-1', { id: 'QH-1', target: { kind: 'lot', id: 'LOT-BRG-0107' }, reason: 'cracked cage' })], 'qms');
    expect(outcome.accepted).toBe(1);
    const version = await reschedule('hold placed');
    expect(version.version).toBe(2);
    const fa9001 = await get<WorkOrderView>(`/v1/plants/${PLANT}/work-orders/FA-9001`);
    expect(Date.parse(fa9001.plannedStart!)).toBeGreaterThanOrEqual(Date.parse('2026-12-09T15:00:00Z'));
    expect(fa9001.operations.find((op) => op.operation === '10')!.materialReadyAt).toBe('2026-12-09T15:00:00.000Z');
  });

  it('the receipt arriving early brings FA-9001 back, and the MES dispatch list shows it with its material ready', async () => {
    now += 24 * HOUR;
    const arrived = await send([event('wms', 'receipt.arrived', 'wms-arr-1', { receipt: 'PO-8803-1', lot: 'LOT-BRG-0200' })], 'wms');
    expect(arrived.accepted).toBe(1);
    const version = await reschedule('receipt arrived');
    expect(version.version).toBe(3);
    const fa9001 = await get<WorkOrderView>(`/v1/plants/${PLANT}/work-orders/FA-9001`);
    expect(Date.parse(fa9001.plannedStart!)).toBeLessThan(Date.parse('2026-12-09T15:00:00Z'));

    const list = await get<DispatchListView>(`/v1/plants/${PLANT}/work-centers/ASSY/dispatch-list?horizonHours=720`, 'mes');
    expect(list.scheduleVersion).toBe(3);
    const entry = list.entries.find((e) => e.workOrder === 'FA-9001');
    expect(entry).toBeDefined();
    expect(entry!.materialReady).toBe(Date.parse(entry!.materialReadyAt!) <= now);
    const starts = list.entries.map((e) => Date.parse(e.plannedStart));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('a planner pins an operation: the next reschedule keeps it there; a pin on a work center it cannot use is refused', async () => {
    const url = `/v1/plants/${PLANT}/work-orders/FA-9002/operations/20/pin`;
    const headers = { authorization: `Bearer ${tokens.planner}` };
    const wrong = await app.inject({ method: 'PUT', url, headers, payload: { workCenter: 'CNC', start: '2026-12-01T15:00:00Z' } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error).toMatchObject({ field: 'body.workCenter' });
    const pinned = await app.inject({ method: 'PUT', url, headers, payload: { workCenter: 'TEST', start: '2026-12-01T15:00:00Z' } });
    expect(pinned.statusCode, pinned.body).toBe(200);
    await reschedule('pinned');
    const order = await get<WorkOrderView>(`/v1/plants/${PLANT}/work-orders/FA-9002`);
    expect(order.operations.find((op) => op.operation === '20')).toMatchObject({ workCenter: 'TEST', start: '2026-12-01T15:00:00.000Z', fixedBy: 'pinned' });
    // A pin in the past is refused; one its routing contradicts (op 10 takes 12 h 40 min) is released, and said so.
    const past = await app.inject({ method: 'PUT', url, headers, payload: { workCenter: 'TEST', start: new Date(now - HOUR).toISOString() } });
    expect(past.statusCode).toBe(422);
    expect(past.json().error).toMatchObject({ code: 'pin_in_past', field: 'body.start' });
    const tooSoon = new Date(now + HOUR).toISOString();
    expect((await app.inject({ method: 'PUT', url, headers, payload: { workCenter: 'TEST', start: tooSoon } })).statusCode).toBe(200);
    await reschedule('pinned too soon');
    const released = await get<WorkOrderView>(`/v1/plants/${PLANT}/work-orders/FA-9002`);
    const [assemble, test] = ['10', '20'].map((id) => released.operations.find((op) => op.operation === id)!);
    expect(test!.fixedBy).toBe('planned');
    expect(Date.parse(test!.start!)).toBeGreaterThanOrEqual(Date.parse(assemble!.end!));
    const schedule = await get<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`);
    expect(schedule.problems).toContainEqual(expect.objectContaining({ type: 'pin-conflict', workOrder: 'FA-9002', operation: '20' }));

    const freed = await app.inject({ method: 'DELETE', url, headers });
    expect(freed.json()).toMatchObject({ pin: null });
    await reschedule('unpinned');
    const free = await get<WorkOrderView>(`/v1/plants/${PLANT}/work-orders/FA-9002`);
    expect(free.operations.find((op) => op.operation === '20')!.fixedBy).toBe('planned');
  });

  it('a what-if commits nothing and shows the difference', async () => {
    const response = await app.inject({
      method: 'POST', url: `/v1/plants/${PLANT}/what-if`, headers: { authorization: `Bearer ${tokens.planner}` },
      payload: { downtimes: [{ workCenter: 'TEST', start: new Date(now).toISOString(), end: new Date(now + 72 * HOUR).toISOString() }] },
    });
    expect(response.statusCode, response.body).toBe(200);
    const whatIf = response.json() as { changes: unknown[]; kpis: { makespanMinutes: number } };
    expect(whatIf.changes.length).toBeGreaterThan(0);
    const current = await get<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`);
    expect(current.version).toBe(6);
  });
});
