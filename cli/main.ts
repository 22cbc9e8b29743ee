/** The `takt` command line. */
import { DataDirInUseError } from '../sync/store/data-dir-lock.ts';
import { UsageError } from './args.ts';
import { CommandError } from './command-error.ts';
import { ConfigError } from './config.ts';
import { jsspCommand } from './commands/jssp.ts';
import { keysCommand } from './commands/keys.ts';
import { migrateCommand } from './commands/migrate.ts';
import { startCommand, workerCommand } from './commands/serve.ts';
import { solveCommand } from './commands/solve.ts';

const USAGE = `usage: takt <command>

  start                  API + worker on the embedded defaults (or DATABASE_URL / REDIS_URL)
  worker                 queue workers only
  migrate                apply database migrations
  keys create|list|revoke  API keys: --name N --scopes erp,mes [--plants P1,P2]
  solve PROBLEM.json     solve a plant problem file offline [--time-limit S] [--seed N] [--out FILE]
  jssp FILE              solve an OR-Library job-shop instance [--time-limit S] [--seed N] [--json]`;

type Command = (argv: readonly string[], print: (line: string) => void) => Promise<number>;

const commands: Record<string, Command> = {
  start: startCommand,
  worker: workerCommand,
  migrate: migrateCommand,
  keys: keysCommand,
  solve: solveCommand,
  jssp: jsspCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(USAGE);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 64;
  }
  try {
    return await command(rest, (line) => console.log(line));
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`takt ${name}: ${error.message}`);
      return 64;
    }
    if (error instanceof CommandError) {
      console.error(`takt ${name}: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof DataDirInUseError) {
      console.error(`takt ${name}: ${error.message}`);
      return 75;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
