/**
 * Publishing through the API on the real core (PGlite, the demo plant): under `approve` a new
 * version is proposed, not published: the schedule and the MES's dispatch lists stay on the
 * published one and nothing is written back; the planner sees the proposal's changes and KPIs
 * against it and approves (its write-backs queued, it becomes what the MES gets) or discards
 * it; an approval after newer events is refused. The policy is takt's own, per plant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../sync/store/api-keys.ts';
import { startRealService, type RealService } from '../board/real-service.ts';

const PLANT = 'MACH-1';

describe('publishing and plant policy', () => {
  let service: RealService;
  let planner: string;

  beforeAll(async () => {
    service = await startRealService({ timeLimitMs: 200 });
    planner = (await createApiKey(service.db, { name: 'planner', scopes: ['planner', 'mes'] })).token;
  }, 60_000);
  afterAll(async () => { await service.close(); });

  async function call(method: string, path: string, body?: unknown, token = service.token) {
    const response = await fetch(`${service.url}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() as Record<string, any> };
  }
  const outboxCount = async () => Number((await service.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('has the default policy, which only an admin may change, and refuses one that makes no sense', async () => {
    expect((await call('GET', `/plants/${PLANT}/policy`, undefined, planner)).body).toEqual({
      publishing: 'auto', writeback: { orderMoveMinutes: 15, operationMoveMinutes: 15, priorityBoundaries: [10, 50, 200] },
      shopFloor: { overProductionPercent: 10 },
    });
    const approve = { publishing: 'approve', writeback: { orderMoveMinutes: 30, operationMoveMinutes: 60, priorityBoundaries: [5, 20] } };
    expect((await call('PUT', `/plants/${PLANT}/policy`, approve, planner)).body.error.code).toBe('forbidden_scope');
    expect((await call('PUT', `/plants/${PLANT}/policy`, { ...approve, writeback: { ...approve.writeback, priorityBoundaries: [20, 5] } })).body.error)
      .toMatchObject({ code: 'invalid_policy', field: 'body.writeback.priorityBoundaries' });
    expect((await call('PUT', `/plants/${PLANT}/policy`, { publishing: 'sometimes' })).status).toBe(400);
    // A policy without shopFloor (a client older than it) keeps the stored one.
    expect(await call('PUT', `/plants/${PLANT}/policy`, approve)).toEqual({ status: 200, body: { ...approve, shopFloor: { overProductionPercent: 10 } } });
    const tolerant = { ...approve, shopFloor: { overProductionPercent: 25 } };
    expect(await call('PUT', `/plants/${PLANT}/policy`, tolerant)).toEqual({ status: 200, body: tolerant });
    expect((await call('PUT', `/plants/${PLANT}/policy`, approve)).body.shopFloor).toEqual({ overProductionPercent: 25 });
    expect((await call('PUT', `/plants/${PLANT}/policy`, { ...approve, shopFloor: { overProductionPercent: -1 } })).status).toBe(400);
  });

  it('proposes instead of publishing: the MES and the ERP still see the published version', async () => {
    const published = (await call('GET', `/plants/${PLANT}/schedule`, undefined, planner)).body;
    const writebacks = await outboxCount();
    // A breakdown the proposal plans around.
    const [first] = published.operations as { workCenter: string; start: string }[];
    await service.takt.ingest([{
      id: 'bd-approve', source: 'mes', type: 'downtime.started', plant: PLANT, occurredAt: new Date(service.nowMs).toISOString(), version: 1,
      data: { id: 'BD-A', workCenter: first!.workCenter, start: first!.start, expectedEnd: new Date(Date.parse(first!.start) + 24 * 3_600_000).toISOString() },
    }], { keyId: 'mes', name: 'mes', scopes: ['mes'], plants: null });
    const proposed = await call('POST', `/plants/${PLANT}/reschedule`, { reason: 'breakdown' }, planner);
    expect(proposed.body).toMatchObject({ state: 'proposed', version: published.version + 1 });
    expect((await call('GET', `/plants/${PLANT}/schedule`, undefined, planner)).body).toMatchObject({ version: published.version, state: 'published' });
    const list = await call('GET', `/plants/${PLANT}/work-centers/${first!.workCenter}/dispatch-list?horizonHours=720`, undefined, planner);
    expect(list.body.scheduleVersion).toBe(published.version);
    expect(await outboxCount()).toBe(writebacks);

    const proposal = (await call('GET', `/plants/${PLANT}/proposal`, undefined, planner)).body;
    expect(proposal.proposal.version).toBe(published.version + 1);
    expect(proposal.published).toEqual({ version: published.version, kpis: published.kpis });
    expect(proposal.changes.length).toBeGreaterThan(0);
    expect(proposal.changes[0]).toHaveProperty('before');
  });

  it('publishes an approved proposal: its write-backs are queued and the MES gets it', async () => {
    const proposal = (await call('GET', `/plants/${PLANT}/proposal`, undefined, planner)).body.proposal;
    const writebacks = await outboxCount();
    const decided = await call('POST', `/plants/${PLANT}/versions/${proposal.version}/approve`, undefined, planner);
    expect(decided.body).toMatchObject({ plant: PLANT, version: proposal.version, state: 'published' });
    expect(decided.body.writebacks).toBeGreaterThan(0);
    expect(await outboxCount()).toBe(writebacks + decided.body.writebacks);
    expect((await call('GET', `/plants/${PLANT}/schedule`, undefined, planner)).body.version).toBe(proposal.version);
    expect((await call('POST', `/plants/${PLANT}/versions/${proposal.version}/approve`, undefined, planner)).body.error.code).toBe('not_proposed');
    expect(await call('GET', `/plants/${PLANT}/proposal`, undefined, planner)).toEqual({ status: 200, body: null });
  });

  it('refuses to approve a proposal planned before newer events, and discards on request', async () => {
    const proposed = (await call('POST', `/plants/${PLANT}/reschedule`, { reason: 'again' }, planner)).body;
    await service.takt.ingest([{
      id: 'bd-end', source: 'mes', type: 'downtime.ended', plant: PLANT, occurredAt: new Date(service.nowMs).toISOString(), version: 2, data: { id: 'BD-A' },
    }], { keyId: 'mes', name: 'mes', scopes: ['mes'], plants: null });
    const refused = await call('POST', `/plants/${PLANT}/versions/${proposed.version}/approve`, undefined, planner);
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'proposal_outdated', field: 'params.version' } } });
    const discarded = await call('POST', `/plants/${PLANT}/versions/${proposed.version}/discard`, undefined, planner);
    expect(discarded.body).toMatchObject({ state: 'discarded', writebacks: 0 });
    expect((await call('POST', `/plants/${PLANT}/versions/999/approve`, undefined, planner)).body.error.code).toBe('version_not_found');
    expect(await call('POST', `/plants/${PLANT}/versions/99999999999/approve`, undefined, planner))
      .toMatchObject({ status: 400, body: { error: { field: 'params.version' } } });
  });
});
