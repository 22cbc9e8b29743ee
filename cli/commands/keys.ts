/**
 * `takt keys create --name N --scopes erp,mes [--plants P1,P2]`, `takt keys list`,
 * `takt keys revoke ID`: API keys for the ERP, WMS, QMS, MES and planners. The token is shown
 * once; only its hash is stored.
 */
import type { Scope } from '../../sync/ports.ts';
import { createApiKey, listApiKeys, revokeApiKey, SCOPES } from '../../sync/store/api-keys.ts';
import type { Db } from '../../sync/store/database.ts';
import { migrateToLatest } from '../../sync/store/migrate.ts';
import { openDatabase } from '../../sync/store/open-database.ts';
import { parseArgs, stringOption, UsageError } from '../args.ts';
import { readConfig } from '../config.ts';

const USAGE = 'usage: takt keys create --name NAME --scopes erp,mes,… [--plants P1,P2] | takt keys list | takt keys revoke ID';

export async function keysCommand(argv: readonly string[], print: (line: string) => void): Promise<number> {
  const [action, ...rest] = argv;
  const args = parseArgs(rest, new Set(), new Set(['name', 'scopes', 'plants']));
  const config = readConfig(process.env);
  const db = await openDatabase({ ...(config.databaseUrl !== undefined && { databaseUrl: config.databaseUrl }), dataDir: config.dataDir });
  try {
    const migrated = await migrateToLatest(db);
    if (!migrated.ok) throw new UsageError(`the database could not be migrated: ${migrated.message}`);
    return await run(db, action, args, print);
  } finally {
    await db.destroy();
  }
}

async function run(db: Db, action: string | undefined, args: ReturnType<typeof parseArgs>, print: (line: string) => void): Promise<number> {
  switch (action) {
    case 'create': {
      const name = stringOption(args, 'name');
      const scopes = list(stringOption(args, 'scopes'));
      if (!name || scopes.length === 0) throw new UsageError(USAGE);
      const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (unknown.length > 0) throw new UsageError(`unknown scope ${unknown.join(', ')} (scopes: ${SCOPES.join(', ')})`);
      const plants = list(stringOption(args, 'plants'));
      const key = await createApiKey(db, { name, scopes: scopes as Scope[], plants: plants.length > 0 ? plants : null });
      print(`created ${key.id}: ${key.token}`);
      print('(the token is shown only now)');
      return 0;
    }
    case 'list':
      for (const key of await listApiKeys(db)) {
        print(`${key.id}  ${key.name}  scopes ${key.scopes.join(',')}  plants ${key.plants?.join(',') ?? 'all'}${key.revoked ? '  (revoked)' : ''}`);
      }
      return 0;
    case 'revoke': {
      const id = args.positional[0];
      if (!id) throw new UsageError(USAGE);
      if (!(await revokeApiKey(db, id))) throw new UsageError(`no active key ${id}`);
      print(`revoked ${id}`);
      return 0;
    }
    default:
      throw new UsageError(USAGE);
  }
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}
