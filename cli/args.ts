/** A small argv reader: positional arguments and `--flag value` / `--switch` options. */
export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly options: ReadonlyMap<string, string | true>;
}

/** `switches` take no value; `valued` take one; any other option is a usage error. */
export function parseArgs(argv: readonly string[], switches: ReadonlySet<string>, valued: ReadonlySet<string>): ParsedArgs {
  const known = new Set([...switches, ...valued]);
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    if (!known.has(name)) throw new UsageError(`unknown option --${name}`);
    if (switches.has(name)) options.set(name, true);
    else if (inline !== undefined) options.set(name, inline);
    else if (i + 1 < argv.length) options.set(name, argv[++i]!);
    else throw new UsageError(`--${name} needs a value`);
  }
  return { positional, options };
}

export class UsageError extends Error {}

export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a number ≥ 0`);
  return value;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const raw = args.options.get(name);
  if (raw === true) throw new UsageError(`--${name} needs a value`);
  return raw;
}
