/** The `takt` command line. */
import { StartupError } from '../sync/runtime.ts';
import { DataDirInUseError } from '../sync/store/data-dir-lock.ts';
import { UsageError } from './args.ts';
import { CommandError } from './command-error.ts';
import { ConfigError } from './config.ts';
import { JSSP_USAGE, jsspCommand } from './commands/jssp.ts';
import { KEYS_USAGE, keysCommand } from './commands/keys.ts';
import { migrateCommand } from './commands/migrate.ts';
import { startCommand, workerCommand } from './commands/serve.ts';
import { SOLVE_USAGE, solveCommand } from './commands/solve.ts';

/** Each command with its usage line: `takt help` lists them, `takt CMD --help` shows one. */
const commands: Record<string, { readonly run: Command; readonly usage: string; readonly what: string }> = {
  start: { run: startCommand, usage: 'start', what: 'API + worker on the embedded defaults (or DATABASE_URL / REDIS_URL)' },
  worker: { run: workerCommand, usage: 'worker', what: 'queue workers only (needs DATABASE_URL and REDIS_URL)' },
  migrate: { run: migrateCommand, usage: 'migrate', what: 'apply database migrations' },
  keys: { run: keysCommand, usage: KEYS_USAGE, what: 'API keys' },
  solve: { run: solveCommand, usage: SOLVE_USAGE, what: 'solve a plant problem file offline' },
  jssp: { run: jsspCommand, usage: JSSP_USAGE, what: 'solve an OR-Library job-shop instance (stops early at a proven optimum)' },
};

type Command = (argv: readonly string[], print: (line: string) => void) => Promise<number>;

const USAGE = ['usage: takt <command> [--help]', '', ...Object.values(commands).map((c) => `  ${c.usage}\n      ${c.what}`)].join('\n');

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`takt: unknown command "${name}"\n\n${USAGE}`);
    return 64;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: takt ${command.usage}\n  ${command.what}`);
    return 0;
  }
  try {
    return await command.run(rest, (line) => console.log(line));
  } catch (error) {
    const code = exitCodeOf(error);
    if (code === null) throw error;
    console.error(`takt ${name}: ${(error as Error).message}`);
    return code;
  }
}

/** The exit code of an error the user can act on (its message is the one line printed), or null. */
function exitCodeOf(error: unknown): number | null {
  if (error instanceof UsageError || error instanceof ConfigError) return 64;
  if (error instanceof CommandError) return error.exitCode;
  if (error instanceof StartupError) return 69;
  if (error instanceof DataDirInUseError) return 75;
  return null;
}

process.exitCode = await main(process.argv.slice(2));
