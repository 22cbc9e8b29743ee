/**
 * The write-back worker toward an ERP connector: the order's link as of the planned snapshot
 * goes to the connector as the guard; what takt is about to write is recorded first (so reading
 * it back is known as takt's own echo); a write updates the link with what the ERP holds and its
 * new stamp; a production closed in the ERP is skipped, not dead-lettered; a conflict is not
 * retried but re-planned: at once if takt has already read the ERP's change, else after the
 * next read (which then counts even if the canonical content is unchanged).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErpLink, ErpOutbound, WriteOutcome, WriteRequest } from '../../../sync/connectors/connector.ts';
import { toJson, type Database } from '../../../sync/store/database.ts';
import { getLink, saveLinks } from '../../../sync/store/erp-links.ts';
import { getPlantState, markPlantClean } from '../../../sync/store/plant-state.ts';
import { createWritebackHandler } from '../../../sync/writeback/worker.ts';
import { seedPlant } from '../planning/plant-fixture.ts';
import { backends } from '../support/backends.ts';

const CONNECTION = 'erp-1';

function outbound(answer: (request: WriteRequest, pendingAtWrite: unknown) => WriteOutcome, db: () => Kysely<Database>): ErpOutbound & { readonly requests: WriteRequest[] } {
  const requests: WriteRequest[] = [];
  return {
    requests,
    project: (payload) => ({ end: payload.plannedEnd }),
    async write(request) {
      requests.push(request);
      const pending = (await getLink(db(), CONNECTION, 'work_order', request.payload.workOrder))?.pending;
      return answer(request, pending);
    },
  };
}

describe.each(backends.map((make) => [make().name, make] as const))('write-back through a connector on %s', (_name, make) => {
  const backend = make();
  let db: Kysely<Database>;
  let version = 0;
  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db);
  });
  afterAll(async () => { await backend.close(); });

  const basis = (workOrder: string, stamp: string): ErpLink => ({ kind: 'work_order', key: workOrder, ref: { id: 7 }, stamp, held: { end: 'old' }, pending: null, memo: null });

  async function linkedRow(workOrder: string, stamp: string): Promise<string> {
    await saveLinks(db, [{ connection: CONNECTION, plant: 'P1', ...basis(workOrder, stamp), digest: 'd', version: 1 }]);
    return plannedRow(workOrder, stamp);
  }

  /** A write-back planned when the order's link had `stamp`. */
  async function plannedRow(workOrder: string, stamp: string): Promise<string> {
    version += 1;
    const id = randomUUID();
    await db.insertInto('outbox').values({
      id, plant: 'P1', work_order: workOrder, schedule_version: version, idempotency_key: `P1:${workOrder}:v${version}`,
      payload: toJson({ plant: 'P1', workOrder, scheduleVersion: version, plannedStart: '2026-12-03T06:00:00.000Z', plannedEnd: '2026-12-03T09:00:00.000Z', dispatchPriority: 1, operations: [], idempotencyKey: `P1:${workOrder}:v${version}` }),
      erp_basis: toJson(basis(workOrder, stamp)),
      // Due now by this process's clock (the database's now() may be a fraction of a millisecond ahead).
      next_attempt_at: new Date(Date.now() - 1_000),
    }).execute();
    return id;
  }

  const handler = (out: ErpOutbound, wake?: () => void) => createWritebackHandler({
    db, route: () => ({ outbound: out, connection: CONNECTION, ...(wake && { wake }) }), retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
  });
  const status = async (id: string) => (await db.selectFrom('outbox').select(['status', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow());
  const clean = async () => markPlantClean(db, 'P1', (await getPlantState(db, 'P1'))?.generation ?? 0);

  it('hands the snapshot\'s link to the connector, records the pending write first, and the written state after', async () => {
    const id = await linkedRow('WO-1', 's1');
    const out = outbound((_request, pending) => ({ kind: 'written', held: { end: 'written', pendingSeen: pending }, stamp: 's2', calls: 2 }), () => db);
    expect(await handler(out)(id)).toBe('delivered');
    expect(out.requests[0]?.basis).toMatchObject({ key: 'WO-1', stamp: 's1', ref: { id: 7 } });
    expect(await getLink(db, CONNECTION, 'work_order', 'WO-1')).toMatchObject({
      stamp: 's2', pending: null, held: { end: 'written', pendingSeen: { end: '2026-12-03T09:00:00.000Z' } },
    });
    expect((await status(id)).status).toBe('delivered');
  });

  it('skips a production the ERP has closed, without a dead letter', async () => {
    const id = await linkedRow('WO-2', 's1');
    expect(await handler(outbound(() => ({ kind: 'closed', reason: 'production MO2 is done in the ERP' }), () => db))(id)).toBe('skipped-closed');
    expect(await status(id)).toEqual({ status: 'skipped', last_error: 'not written: production MO2 is done in the ERP' });
    expect(await db.selectFrom('dead_letters').select('id').where('key', '=', `P1:WO-2:v${version}`).execute()).toEqual([]);
  });

  it('re-plans at once after a conflict when takt has already read the change', async () => {
    const id = await linkedRow('WO-3', 's1');
    await clean();
    // The ERP's change was read meanwhile: the link holds a newer stamp than the row's basis.
    await saveLinks(db, [{ connection: CONNECTION, plant: 'P1', ...basis('WO-3', 's9'), digest: 'd', version: 2 }]);
    expect(await handler(outbound(() => ({ kind: 'conflict', reason: 'changed in the ERP' }), () => db))(id)).toBe('conflict');
    expect((await status(id)).status).toBe('conflict');
    expect((await getPlantState(db, 'P1'))?.dirty).toBe(true);
    // Nothing of takt's is on its way: reading the order back is the ERP's change, not an echo.
    expect((await getLink(db, CONNECTION, 'work_order', 'WO-3'))?.pending).toBeNull();
  });

  it('writes a version planned before takt\'s own previous write over that write, not as a conflict', async () => {
    // The second version is planned on the snapshot of stamp s1 while the first is on its way,
    // and goes after the first has been written (which moved the stamp to s2).
    const first = await linkedRow('WO-2', 's1');
    const out = outbound((request) => (request.basis?.stamp === 's1' ? { kind: 'written', held: { end: 'first' }, stamp: 's2', calls: 1 } : { kind: 'conflict', reason: `guard ${request.basis?.stamp}` }), () => db);
    expect(await handler(out)(first)).toBe('delivered');
    const second = await plannedRow('WO-2', 's1');
    const stampedBySecond = outbound((request) => (request.basis?.stamp === 's2' ? { kind: 'written', held: { end: 'second' }, stamp: 's3', calls: 1 } : { kind: 'conflict', reason: `guard ${request.basis?.stamp}` }), () => db);
    expect(await handler(stampedBySecond)(second)).toBe('delivered');
    expect(stampedBySecond.requests[0]?.basis).toMatchObject({ stamp: 's2', held: { end: 'first' } });
    expect(await getLink(db, CONNECTION, 'work_order', 'WO-2')).toMatchObject({ stamp: 's3', held: { end: 'second' } });
  });

  it('still guards with the planned stamp when someone else changed the order after takt\'s write', async () => {
    const first = await linkedRow('WO-3', 's1');
    expect(await handler(outbound(() => ({ kind: 'written', held: { end: 'first' }, stamp: 's2', calls: 1 }), () => db))(first)).toBe('delivered');
    const second = await plannedRow('WO-3', 's1');
    // A planner edits the order in the ERP; takt reads it (stamp s7) before the second version goes.
    await saveLinks(db, [{ connection: CONNECTION, plant: 'P1', ...basis('WO-3', 's7'), digest: 'e', version: 2 }]);
    const out = outbound(() => ({ kind: 'conflict', reason: 'changed in the ERP' }), () => db);
    expect(await handler(out)(second)).toBe('conflict');
    expect(out.requests[0]?.basis?.stamp).toBe('s1');
  });

  it('after a conflict not read yet, makes the next read count and reads now', async () => {
    const id = await linkedRow('WO-1', 's3');
    await clean();
    let woken = 0;
    expect(await handler(outbound(() => ({ kind: 'conflict', reason: 'changed in the ERP' }), () => db), () => { woken += 1; })(id)).toBe('conflict');
    expect(woken).toBe(1);
    expect((await getLink(db, CONNECTION, 'work_order', 'WO-1'))?.digest).toBe('');
    expect((await getPlantState(db, 'P1'))?.dirty).toBe(false);
  });
});
