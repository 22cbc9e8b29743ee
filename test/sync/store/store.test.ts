import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../sync/store/database.ts';
import { migrateToLatest } from '../../../sync/store/migrate.ts';
import { createApiKey, hashToken, revokeApiKey, verifyApiKey } from '../../../sync/store/api-keys.ts';
import { claimVersion } from '../../../sync/store/object-versions.ts';
import { getPlantState, markPlantClean, markPlantsDirty } from '../../../sync/store/plant-state.ts';
import { getFeedCursor, setFeedCursor } from '../../../sync/store/feed-cursors.ts';
import { backends } from '../support/backends.ts';

describe.each(backends.map((make) => [make().name, make] as const))('store on %s', (_name, make) => {
  const backend = make();
  let db: Kysely<Database>;

  beforeAll(async () => { db = await backend.open(); });
  afterAll(async () => { await backend.close(); });

  it('migrates once: a second run applies nothing', async () => {
    expect(await migrateToLatest(db)).toEqual({ ok: true, applied: [] });
  });

  it('stores only the hash of an API key and verifies the token', async () => {
    const { id, token } = await createApiKey(db, { name: 'mes line 1', scopes: ['mes', 'planner'], plants: ['P1'] });
    const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await verifyApiKey(db, token)).toEqual({ keyId: id, name: 'mes line 1', scopes: ['mes', 'planner'], plants: ['P1'] });
    expect(await verifyApiKey(db, `${token}x`)).toBeNull();
    expect(await verifyApiKey(db, '')).toBeNull();

    const everyPlant = await createApiKey(db, { name: 'admin', scopes: ['admin'], token: 'chosen-token' });
    expect((await verifyApiKey(db, 'chosen-token'))?.plants).toBeNull();
    // The only admin key stays: nobody could manage keys after it.
    expect(await revokeApiKey(db, everyPlant.id)).toBe('last-admin');
    await createApiKey(db, { name: 'second admin', scopes: ['admin', 'planner'] });
    expect(await revokeApiKey(db, everyPlant.id)).toBe('revoked');
    expect(await verifyApiKey(db, 'chosen-token')).toBeNull();
    expect(await revokeApiKey(db, everyPlant.id)).toBe('not-found');
    expect(await revokeApiKey(db, id)).toBe('revoked');
  });

  it('claims versions: newer and equal win, older is answered with the stored one', async () => {
    const ref = { source: 'erp', plant: 'PV', kind: 'work_order', key: 'WO1' };
    expect(await claimVersion(db, ref, 1_700_000_000_123)).toEqual({ ok: true });
    expect(await claimVersion(db, ref, 1_700_000_000_123)).toEqual({ ok: true });
    expect(await claimVersion(db, ref, 5)).toEqual({ ok: false, storedVersion: 1_700_000_000_123 });
    expect(await claimVersion(db, { ...ref, source: 'wms' }, 5)).toEqual({ ok: true });
  });

  it('clears a dirty plant only when nothing arrived after the snapshot', async () => {
    await markPlantsDirty(db, ['PD']);
    const snapshot = await getPlantState(db, 'PD');
    await markPlantsDirty(db, ['PD']);
    expect(await markPlantClean(db, 'PD', snapshot!.generation)).toBe(false);
    const latest = await getPlantState(db, 'PD');
    expect(latest?.dirty).toBe(true);
    expect(await markPlantClean(db, 'PD', latest!.generation)).toBe(true);
    expect((await getPlantState(db, 'PD'))?.dirty).toBe(false);
  });

  it('reads back the instant it stored, years 1 to 99 and far ahead included', async () => {
    const instants = ['0001-01-01T00:00:00.000Z', '0050-06-15T12:30:00.000Z', '0099-12-31T23:59:59.999Z', '1999-01-01T00:00:00.000Z', '9999-12-31T00:00:00.000Z'];
    for (const instant of instants) {
      const { rows } = await sql<{ at: Date }>`select ${instant}::timestamptz as at`.execute(db);
      expect(rows[0]!.at).toBeInstanceOf(Date);
      expect(rows[0]!.at.toISOString(), instant).toBe(instant);
    }
  });

  it('keeps feed cursors per source and feed', async () => {
    expect(await getFeedCursor(db, 'erp', 'orders')).toBeNull();
    await setFeedCursor(db, 'erp', 'orders', 'c1');
    await setFeedCursor(db, 'erp', 'orders', 'c2');
    expect(await getFeedCursor(db, 'erp', 'orders')).toBe('c2');
  });

  it('isolates concurrent transactions: one rolling back does not take the other with it', async () => {
    await sql`create table scratch (x int)`.execute(db);
    const failing = db.transaction().execute(async (trx) => {
      await sql`insert into scratch values (1)`.execute(trx);
      await new Promise((r) => setTimeout(r, 30));
      throw new Error('roll back');
    });
    const passing = db.transaction().execute(async (trx) => {
      await sql`insert into scratch values (2)`.execute(trx);
    });
    const [a, b] = await Promise.allSettled([failing, passing]);
    expect([a.status, b.status]).toEqual(['rejected', 'fulfilled']);
    const rows = await sql<{ x: number }>`select x from scratch order by x`.execute(db);
    expect(rows.rows.map((r) => r.x)).toEqual([2]);
    const updated = await db.updateTable('plant_state').set({ dirty: true }).where('plant', '=', 'PD').executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
  });
});
