/**
 * The `takt` command line. Each command is loaded only when it runs: `takt --help` loads none,
 * `takt jssp` only the engine, never the service's database and queue libraries.
 */
import { UsageError } from './args.ts';
import { CommandError } from './command-error.ts';
import { ConfigError } from './config-error.ts';
import { COMMANDS, type CommandName } from './usage.ts';
import { StartupError } from '../sync/startup-error.ts';
import { DataDirInUseError } from '../sync/store/data-dir-lock.ts';

type Command = (argv: readonly string[], print: (line: string) => void) => Promise<number>;

const load: Record<CommandName, () => Promise<Command>> = {
  start: async () => (await import('./commands/serve.ts')).startCommand,
  worker: async () => (await import('./commands/serve.ts')).workerCommand,
  migrate: async () => (await import('./commands/migrate.ts')).migrateCommand,
  keys: async () => (await import('./commands/keys.ts')).keysCommand,
  solve: async () => (await import('./commands/solve.ts')).solveCommand,
  jssp: async () => (await import('./commands/jssp.ts')).jsspCommand,
};

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

const USAGE = ['usage: takt <command> [--help]', '', ...Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.what}`)].join('\n');

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (!isCommand(name)) {
    console.error(`takt: unknown command "${name}"\n\n${USAGE}`);
    return 64;
  }
  const command = COMMANDS[name];
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: takt ${command.usage}\n  ${command.what}`);
    return 0;
  }
  try {
    const run = await load[name]();
    return await run(rest, (line) => console.log(line));
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
