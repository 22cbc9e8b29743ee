/** `/v1/keys` over the real store: the token answered once, scopes validated, the last admin key kept. */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyAdmin } from '../../sync/keys/admin.ts';
import { hashToken, verifyApiKey } from '../../sync/store/api-keys.ts';
import type { Database } from '../../sync/store/database.ts';
import { pgliteBackend } from '../sync/support/backends.ts';
import { KEYS } from './fake-takt.ts';
import { bearer, testApp } from './helpers.ts';

describe('/v1/keys', () => {
  const backend = pgliteBackend();
  let db: Kysely<Database>;

  beforeAll(async () => { db = await backend.open(); });
  afterAll(() => backend.close());

  const app = async () => (await testApp({ keys: createKeyAdmin(db) })).app;
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown, key: string = KEYS.admin) =>
    (await app()).inject({ method, url, headers: bearer(key), ...(payload !== undefined && { payload: payload as object }) });

  it('creates a key whose token works and is stored only as its hash; lists it without the token', async () => {
    const res = await call('POST', '/v1/keys', { name: 'MES line 2', scopes: ['mes'], plants: ['P1'] });
    expect(res.statusCode).toBe(201);
    const key = res.json() as { id: string; token: string };
    expect(key).toEqual({ id: expect.stringMatching(/^key_/), name: 'MES line 2', scopes: ['mes'], plants: ['P1'], revoked: false, token: expect.stringMatching(/^takt_/) });
    expect(await verifyApiKey(db, key.token)).toMatchObject({ keyId: key.id, scopes: ['mes'], plants: ['P1'] });
    const row = await db.selectFrom('api_keys').select('key_hash').where('id', '=', key.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(hashToken(key.token));

    const listed = await call('GET', '/v1/keys');
    expect(listed.json()).toEqual({ keys: [{ id: key.id, name: 'MES line 2', scopes: ['mes'], plants: ['P1'], revoked: false }] });
    expect(listed.body).not.toContain(key.token);
  });

  it('refuses unknown scopes and a key without scopes, naming the field', async () => {
    const unknown = await call('POST', '/v1/keys', { name: 'x', scopes: ['root'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'validation_failed', field: expect.stringContaining('body.scopes') });
    expect((await call('POST', '/v1/keys', { name: 'x', scopes: [] })).json().error).toMatchObject({ code: 'validation_failed', field: 'body.scopes' });
  });

  it('revokes a key at once, answers 404 for an unknown one, and keeps the last active admin key', async () => {
    const first = (await call('POST', '/v1/keys', { name: 'admin 1', scopes: ['admin'] })).json() as { id: string; token: string };
    const second = (await call('POST', '/v1/keys', { name: 'admin 2', scopes: ['admin'] })).json() as { id: string; token: string };
    const revoked = await call('POST', `/v1/keys/${first.id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: first.id, revoked: true });
    expect(await verifyApiKey(db, first.token)).toBeNull();

    expect((await call('POST', `/v1/keys/${first.id}/revoke`)).json().error).toEqual({ code: 'api_key_not_found', message: `no active key ${first.id}`, field: 'params.id' });
    const last = await call('POST', `/v1/keys/${second.id}/revoke`);
    expect(last.statusCode).toBe(409);
    expect(last.json().error).toMatchObject({ code: 'last_admin_key', field: 'params.id' });
    expect(await verifyApiKey(db, second.token)).not.toBeNull();
  });

  it('is for admins only', async () => {
    expect((await call('GET', '/v1/keys', undefined, KEYS.planner)).json().error.code).toBe('forbidden_scope');
  });
});
