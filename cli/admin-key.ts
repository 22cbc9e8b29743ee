/**
 * The first admin key. With TAKT_ADMIN_KEY it is that key; otherwise one is generated. On the
 * embedded store (a single developer's machine) the generated key is also kept in the data
 * folder, so that `npm start` can show it again; with PostgreSQL it is printed once only.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countApiKeys, createApiKey, verifyApiKey } from '../sync/store/api-keys.ts';
import type { Db } from '../sync/store/database.ts';
import type { Config } from './config.ts';

const keptKeyFile = (dataDir: string): string => join(dataDir, 'admin-key');

/** The generated admin key kept in an embedded store's data folder, if there is one. */
export async function keptAdminKey(dataDir: string): Promise<string | null> {
  const kept = await readFile(keptKeyFile(dataDir), 'utf8').then((s) => s.trim(), () => null);
  return kept === '' ? null : kept;
}

export async function ensureAdminKey(db: Db, config: Config): Promise<{ readonly token: string | null; readonly created: boolean }> {
  const keyFile = config.databaseUrl === undefined ? keptKeyFile(config.dataDir) : null;
  if ((await countApiKeys(db)) === 0) {
    const { token } = await createApiKey(db, {
      name: 'admin (first start)', scopes: ['admin', 'planner', 'erp', 'wms', 'qms', 'mes'],
      ...(config.bootstrapAdminKey !== undefined && { token: config.bootstrapAdminKey }),
    });
    if (keyFile !== null && config.bootstrapAdminKey === undefined) await writeFile(keyFile, `${token}\n`, { mode: 0o600 });
    return { token, created: true };
  }
  if (config.bootstrapAdminKey !== undefined && (await verifyApiKey(db, config.bootstrapAdminKey)) !== null) return { token: config.bootstrapAdminKey, created: false };
  const kept = keyFile === null ? null : await keptAdminKey(config.dataDir);
  return { token: kept !== null && (await verifyApiKey(db, kept)) !== null ? kept : null, created: false };
}
