/**
 * API keys. The token is shown once; the store keeps only its sha256, so a leaked database does
 * not leak usable keys. Lookup is by hash, so there is no secret comparison to time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SCOPES, type Principal, type Scope } from '../ports.ts';
import { toJson, type Db } from './database.ts';

export { SCOPES };
const knownScopes = (scopes: readonly string[]): Scope[] => scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));

export interface NewApiKey {
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** Omitted or null: every plant. */
  readonly plants?: readonly string[] | null;
  /** A chosen token (e.g. a key from the environment on first start); random when absent. */
  readonly token?: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createApiKey(db: Db, key: NewApiKey): Promise<{ readonly id: string; readonly token: string }> {
  const id = `key_${randomBytes(6).toString('hex')}`;
  const token = key.token ?? `takt_${randomBytes(24).toString('base64url')}`;
  await db.insertInto('api_keys').values({
    id,
    name: key.name,
    key_hash: hashToken(token),
    scopes: toJson([...new Set(key.scopes)]),
    plants: toJson(key.plants ?? null),
  }).execute();
  return { id, token };
}

export async function verifyApiKey(db: Db, token: string): Promise<Principal | null> {
  if (token === '') return null;
  const row = await db.selectFrom('api_keys').select(['id', 'name', 'scopes', 'plants'])
    .where('key_hash', '=', hashToken(token)).where('revoked_at', 'is', null).executeTakeFirst();
  if (row === undefined) return null;
  return {
    keyId: row.id,
    name: row.name,
    scopes: knownScopes(row.scopes),
    plants: row.plants,
  };
}

/**
 * Revokes an active key, unless it is the last active admin key (nobody could manage keys after
 * it). The active admin keys are locked first, so two revocations cannot each leave the other.
 */
export async function revokeApiKey(db: Db, id: string): Promise<'revoked' | 'not-found' | 'last-admin'> {
  return db.transaction().execute(async (trx) => {
    const active = await trx.selectFrom('api_keys').select(['id', 'scopes']).where('revoked_at', 'is', null).orderBy('id').forUpdate().execute();
    const key = active.find((k) => k.id === id);
    if (key === undefined) return 'not-found';
    if (key.scopes.includes('admin') && active.filter((k) => k.scopes.includes('admin')).length === 1) return 'last-admin';
    await trx.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', id).execute();
    return 'revoked';
  });
}

export async function countApiKeys(db: Db): Promise<number> {
  const row = await db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface ApiKeyListing {
  readonly id: string;
  /** Who uses it. */
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** null: every plant. */
  readonly plants: readonly string[] | null;
  readonly revoked: boolean;
}

export async function listApiKeys(db: Db): Promise<readonly ApiKeyListing[]> {
  const rows = await db.selectFrom('api_keys').select(['id', 'name', 'scopes', 'plants', 'revoked_at']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, scopes: knownScopes(r.scopes), plants: r.plants, revoked: r.revoked_at !== null }));
}
