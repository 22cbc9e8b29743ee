/** `KeyAdmin` over the store (api-keys.ts): the CLI on a stopped service and the API share it. */
import { failure } from '../failure.ts';
import { SCOPES } from '../ports.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../store/api-keys.ts';
import type { Db } from '../store/database.ts';
import type { KeyAdmin } from './port.ts';

export function createKeyAdmin(db: Db): KeyAdmin {
  const list = () => listApiKeys(db);
  return {
    list,
    async create(request) {
      if (request.name.trim() === '') return failure('validation_failed', 'a key needs a name', 'body.name');
      if (request.scopes.length === 0) return failure('validation_failed', 'a key needs at least one scope', 'body.scopes');
      const unknown = request.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (unknown.length > 0) return failure('validation_failed', `unknown scope ${unknown.join(', ')} (scopes: ${SCOPES.join(', ')})`, 'body.scopes');
      const plants = request.plants === undefined || request.plants === null || request.plants.length === 0 ? null : request.plants;
      const { id, token } = await createApiKey(db, { name: request.name, scopes: request.scopes, plants });
      return { ok: true, value: { id, name: request.name, scopes: [...new Set(request.scopes)], plants, revoked: false, token } };
    },
    async revoke(id) {
      const outcome = await revokeApiKey(db, id);
      if (outcome === 'not-found') return failure('api_key_not_found', `no active key ${id}`, 'params.id');
      if (outcome === 'last-admin') return failure('last_admin_key', `${id} is the last active admin key: create another admin key first`, 'params.id');
      return { ok: true, value: (await list()).find((k) => k.id === id)! };
    },
  };
}
