import { describe, expect, it } from 'vitest';
import { KEYS, plantProblem } from './fake-takt.ts';
import { bearer, testApp } from './helpers.ts';

const planner = bearer(KEYS.planner);
const mes = bearer(KEYS.mes);

describe('GET /v1/plants', () => {
  it('lists every plant for an unrestricted key', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants', headers: planner });
    expect(res.json()).toEqual({ plants: ['P1', 'P2'] });
  });

  it('lists only the key’s plants for a restricted key', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants', headers: bearer(KEYS.plannerP1) });
    expect(res.json()).toEqual({ plants: ['P1'] });
  });
});

describe('GET /v1/plants/:plant/schedule', () => {
  it('answers the current version in full', async () => {
    const { app, takt } = await testApp();
    const res = await app.inject({ url: '/v1/plants/P1/schedule', headers: planner });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(await takt.schedule('P1'));
  });

  it('answers 404 schedule_not_found when the plant has no version yet', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants/P2/schedule', headers: planner });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('schedule_not_found');
  });

  it('answers 404 plant_not_found for an unknown plant', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants/NOPE/schedule', headers: planner });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'plant_not_found', message: 'plant NOPE not found', field: 'params.plant' } });
  });
});

describe('POST /v1/plants/:plant/reschedule', () => {
  it('commits a new version and returns it', async () => {
    const { app, takt } = await testApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plants/P2/reschedule',
      headers: planner,
      payload: { timeLimitMs: 500, reason: 'breakdown' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ plant: 'P2', version: 1, reason: 'breakdown' });
    expect((await takt.schedule('P2'))?.version).toBe(1);
  });

  it('accepts a POST without a body', async () => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/plants/P1/reschedule', headers: planner });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, reason: 'manual' });
  });

  it.each([
    [{ timeLimitMs: -1 }, 'body.timeLimitMs', 'must be >= 0'],
    [{ timeLimitMs: 1.5 }, 'body.timeLimitMs', 'must be integer'],
    // A budget the plant would wait minutes for is not a request to take.
    [{ timeLimitMs: 300_000 }, 'body.timeLimitMs', 'must be <= 60000'],
    [{ timeLimitMS: 100 }, 'body.timeLimitMS', 'is not an allowed field'],
    // A body is JSON: a number sent as a string is a wrong type, not something to coerce.
    [{ timeLimitMs: '500' }, 'body.timeLimitMs', 'must be integer'],
  ])('rejects %j naming the field', async (payload, field, message) => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/plants/P1/reschedule', headers: planner, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'validation_failed', field, message: `${field} ${message}` });
  });

  it('maps a core failure by its code (plan_run_in_progress → 409, with Retry-After)', async () => {
    const { app, takt } = await testApp();
    takt.rescheduleFailure = { ok: false, code: 'plan_run_in_progress', message: 'a reschedule of P1 is running' };
    const res = await app.inject({ method: 'POST', url: '/v1/plants/P1/reschedule', headers: planner, payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toEqual({ error: { code: 'plan_run_in_progress', message: 'a reschedule of P1 is running' } });
  });

  it('passes an unknown core code through as 422 unchanged', async () => {
    const { app, takt } = await testApp();
    takt.rescheduleFailure = { ok: false, code: 'solver_gave_up', message: 'no', field: 'body.timeLimitMs' };
    const res = await app.inject({ method: 'POST', url: '/v1/plants/P1/reschedule', headers: planner, payload: {} });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ error: { code: 'solver_gave_up', message: 'no', field: 'body.timeLimitMs' } });
  });
});

describe('POST /v1/plants/:plant/what-if', () => {
  it('returns KPIs and the diff, committing nothing', async () => {
    const { app, takt } = await testApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plants/P1/what-if',
      headers: planner,
      payload: {
        downtimes: [{ workCenter: 'WC1', start: '2026-11-23T07:00:00Z', end: '2026-11-23T08:00:00Z' }],
        priorities: [{ workOrder: 'WO1', priority: 5 }],
        holds: [{ id: 'H1', target: { kind: 'item', id: 'A' } }],
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.baseKpis).toEqual((await takt.schedule('P1'))?.kpis);
    expect(body.changes).toEqual([
      {
        workOrder: 'WO1',
        before: { plannedStart: '2026-11-23T07:00:00.000Z', plannedEnd: '2026-11-23T09:00:00.000Z', dispatchPriority: 1 },
        after: { plannedStart: '2026-11-23T08:00:00.000Z', plannedEnd: '2026-11-23T10:00:00.000Z', dispatchPriority: 1 },
      },
    ]);
    expect((await takt.schedule('P1'))?.version).toBe(1);
  });

  it('names the field of a malformed override', async () => {
    const { app } = await testApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plants/P1/what-if',
      headers: planner,
      payload: { holds: [{ id: 'H1', target: { kind: 'machine', id: 'X' } }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', field: 'body.holds[0].target.kind' });
  });

  it('names a what-if instant without offset', async () => {
    const { app } = await testApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plants/P1/what-if',
      headers: planner,
      payload: { receiptDates: [{ receipt: 'R1', expectedAt: '2026-11-23 08:00' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', field: 'body.receiptDates[0].expectedAt' });
  });

  it('answers 404 work_order_not_found with the field when an override names an unknown order', async () => {
    const { app } = await testApp();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plants/P1/what-if',
      headers: planner,
      payload: { priorities: [{ workOrder: 'WO1', priority: 1 }, { workOrder: 'WO404', priority: 1 }] },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'work_order_not_found', field: 'body.priorities[1].workOrder' });
  });
});

describe('GET /v1/plants/:plant/work-orders/:id', () => {
  it('answers planned dates, priority and the reason chain', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants/P1/work-orders/WO1', headers: planner });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      workOrder: 'WO1',
      scheduleVersion: 1,
      plannedStart: '2026-11-23T07:00:00.000Z',
      dispatchPriority: 1,
      reasons: [{ kind: 'capacity', workCenter: 'WC1', behind: 'WO0/10' }],
    });
  });

  it('answers 404 work_order_not_found for an unknown order', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants/P1/work-orders/WO404', headers: planner });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'work_order_not_found', field: 'params.id' });
  });
});

describe('GET /v1/plants/:plant/work-centers/:wc/dispatch-list', () => {
  const url = '/v1/plants/P1/work-centers/WC1/dispatch-list';

  it('lists the next operations within the default 24 h horizon', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url, headers: mes });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      plant: 'P1',
      workCenter: 'WC1',
      scheduleVersion: 1,
      entries: [
        {
          workOrder: 'WO1',
          operation: '10',
          unit: 1,
          plannedStart: '2026-11-23T07:00:00.000Z',
          plannedEnd: '2026-11-23T09:00:00.000Z',
          quantity: 10,
          materialReady: true,
          materialReadyAt: '2026-11-23T07:00:00.000Z',
          dispatchPriority: 1,
        },
      ],
    });
  });

  it('passes horizonHours (default 24) to the core', async () => {
    const { app, takt } = await testApp();
    const seen: number[] = [];
    const original = takt.dispatchList.bind(takt);
    takt.dispatchList = async (plant, wc, hours) => {
      seen.push(hours);
      return original(plant, wc, hours);
    };
    await app.inject({ url, headers: mes });
    await app.inject({ url: `${url}?horizonHours=720`, headers: mes });
    expect(seen).toEqual([24, 720]);
  });

  it.each(['0', '721', 'soon', '1.5'])('rejects horizonHours=%s naming the field', async (value) => {
    const { app } = await testApp();
    const res = await app.inject({ url: `${url}?horizonHours=${value}`, headers: mes });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', field: 'query.horizonHours' });
  });

  it('answers 404 work_center_not_found for an unknown work center', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants/P1/work-centers/WC9/dispatch-list', headers: mes });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'work_center_not_found', field: 'params.wc' });
  });

  it('answers 404 schedule_not_found before the first version', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants/P2/work-centers/WC1/dispatch-list', headers: mes });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('schedule_not_found');
  });
});

describe('GET /v1/plants/:plant/state', () => {
  it('answers the plant problem for the board, unchanged by serialisation', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/plants/P1/state', headers: planner });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ plant: 'P1', timeZone: 'Europe/Berlin', problem: plantProblem('P1') });
  });
});

describe('pins', () => {
  const url = '/v1/plants/P1/work-orders/WO1/operations/10/pin';

  it('pins an operation and frees it again', async () => {
    const { app, takt } = await testApp();
    const pinned = await app.inject({ method: 'PUT', url, headers: planner, payload: { workCenter: 'WC1', unit: 1, start: '2026-11-24T06:00:00Z' } });
    expect(pinned.statusCode).toBe(200);
    expect(pinned.json()).toEqual({ workOrder: 'WO1', operation: '10', pin: { workCenter: 'WC1', unit: 1, start: '2026-11-24T06:00:00Z' } });
    expect(takt.pins.size).toBe(1);
    const freed = await app.inject({ method: 'DELETE', url, headers: planner });
    expect(freed.json()).toEqual({ workOrder: 'WO1', operation: '10', pin: null });
    expect(takt.pins.size).toBe(0);
  });

  it.each([
    [{ workCenter: 'WC1' }, 'body.start'],
    [{ workCenter: 'WC1', start: '2026-11-24T06:00:00' }, 'body.start'],
    [{ workCenter: 'WC1', start: '2026-11-24T06:00:00Z', unit: 0 }, 'body.unit'],
  ])('rejects %j naming the field', async (payload, field) => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'PUT', url, headers: planner, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', field });
  });

  it('answers 404 for an operation the order does not have', async () => {
    const { app } = await testApp();
    const res = await app.inject({ method: 'PUT', url: '/v1/plants/P1/work-orders/WO1/operations/99/pin', headers: planner, payload: { workCenter: 'WC1', start: '2026-11-24T06:00:00Z' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'operation_not_found', field: 'params.op' });
  });
});
