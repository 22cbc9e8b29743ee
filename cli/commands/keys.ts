/**
 * `takt keys create --name N --scopes erp,mes [--plants P1,P2]`, `takt keys list`,
 * `takt keys revoke ID`: API keys for the ERP, WMS, QMS, MES and planners. The token is shown
 * once; only its hash is stored. While `takt start` holds the embedded store, the command asks it
 * through `/v1/keys` (authenticated with TAKT_ADMIN_KEY or the admin key kept in the data
 * directory); otherwise it opens the database itself.
 */
import { createKeyAdmin } from '../../sync/keys/admin.ts';
import type { KeyAdmin } from '../../sync/keys/port.ts';
import type { Scope } from '../../sync/ports.ts';
import { dataDirHolder } from '../../sync/store/data-dir-lock.ts';
import { migrateToLatest } from '../../sync/store/migrate.ts';
import { openDatabase } from '../../sync/store/open-database.ts';
import { keptAdminKey } from '../admin-key.ts';
import { parseArgs, stringOption, UsageError } from '../args.ts';
import { CommandError } from '../command-error.ts';
import { readConfig, type Config } from '../config.ts';
import { httpKeyAdmin } from '../http-key-admin.ts';
import { readServiceFile } from '../service-file.ts';
import { usageOf } from '../usage.ts';

const USAGE = usageOf('keys');

export async function keysCommand(argv: readonly string[], print: (line: string) => void): Promise<number> {
  const [action, ...rest] = argv;
  const args = parseArgs(rest, new Set(), new Set(['name', 'scopes', 'plants']));
  if (action !== 'create' && action !== 'list' && action !== 'revoke') throw new UsageError(USAGE);
  const config = readConfig(process.env);
  const running = await runningService(config);
  if (running !== null) return run(running, action, args, print);
  const db = await openDatabase({ ...(config.databaseUrl !== undefined && { databaseUrl: config.databaseUrl }), dataDir: config.dataDir });
  try {
    const migrated = await migrateToLatest(db);
    if (!migrated.ok) throw new CommandError(`the database could not be migrated: ${migrated.message}`);
    return await run(createKeyAdmin(db), action, args, print);
  } finally {
    await db.destroy();
  }
}

/** The running `takt start` that holds the embedded store, if one does. */
async function runningService(config: Config): Promise<KeyAdmin | null> {
  if (config.databaseUrl !== undefined) return null;
  const holder = await dataDirHolder(config.dataDir);
  if (holder === null) return null;
  const service = await readServiceFile(config.dataDir);
  if (service === null || service.pid !== holder) {
    throw new CommandError(`the data directory ${config.dataDir} is in use by process ${holder}, which serves no API yet: try again once it has started, or stop it`, 75);
  }
  const token = config.bootstrapAdminKey ?? await keptAdminKey(config.dataDir);
  if (token === null) {
    throw new CommandError(`takt is running on ${config.dataDir} (${service.url}): set TAKT_ADMIN_KEY to an admin key to manage keys through it`);
  }
  return httpKeyAdmin(service.url, token);
}

async function run(admin: KeyAdmin, action: 'create' | 'list' | 'revoke', args: ReturnType<typeof parseArgs>, print: (line: string) => void): Promise<number> {
  switch (action) {
    case 'create': {
      const name = stringOption(args, 'name');
      const scopes = list(stringOption(args, 'scopes'));
      if (!name || scopes.length === 0) throw new UsageError(USAGE);
      const plants = list(stringOption(args, 'plants'));
      const created = await admin.create({ name, scopes: scopes as Scope[], plants: plants.length > 0 ? plants : null });
      // Bad input is a usage error; a service that does not answer is not.
      if (!created.ok) throw created.code === 'validation_failed' ? new UsageError(created.message) : new CommandError(created.message);
      print(`created ${created.value.id}: ${created.value.token}`);
      print('(the token is shown only now)');
      return 0;
    }
    case 'list':
      for (const key of await admin.list()) {
        print(`${key.id}  ${key.name}  scopes ${key.scopes.join(',')}  plants ${key.plants?.join(',') ?? 'all'}${key.revoked ? '  (revoked)' : ''}`);
      }
      return 0;
    case 'revoke': {
      const id = args.positional[0];
      if (!id) throw new UsageError(USAGE);
      const revoked = await admin.revoke(id);
      if (!revoked.ok) throw new CommandError(revoked.message);
      print(`revoked ${id}`);
      return 0;
    }
  }
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}
