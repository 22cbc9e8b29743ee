import { describe, expect, it } from 'vitest';
import { KEYS } from './fake-takt.ts';
import { bearer, testApp } from './helpers.ts';

const admin = bearer(KEYS.admin);

describe('admin sync routes', () => {
  it('GET /v1/sync/status answers lag, queues, backlog and plants', async () => {
    const { app, takt } = await testApp();
    const res = await app.inject({ url: '/v1/sync/status', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(await takt.syncStatus());
  });

  it('GET /v1/sync/dead-letters lists them with their payload', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: '/v1/sync/dead-letters', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json().deadLetters).toEqual([
      expect.objectContaining({ id: 'dl-1', error: 'ERP said 422: order is locked', payload: { workOrder: 'WO1', plannedStart: '2026-11-23T07:00:00.000Z' } }),
    ]);
  });

  it('POST /v1/sync/dead-letters/:id/replay requeues it once', async () => {
    const { app, takt } = await testApp();
    const res = await app.inject({ method: 'POST', url: '/v1/sync/dead-letters/dl-1/replay', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'dl-1', requeued: true });
    expect(takt.replayed).toEqual(['dl-1']);
    const again = await app.inject({ method: 'POST', url: '/v1/sync/dead-letters/dl-1/replay', headers: admin });
    expect(again.statusCode).toBe(404);
    expect(again.json().error).toMatchObject({ code: 'dead_letter_not_found', field: 'params.id' });
  });
});
