/** Runs a bench script in its own Node process (its memory and JIT its own) and parses the JSON line it prints last. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

export async function runBenchChild<T>(script: string, args: Readonly<Record<string, number>>): Promise<T> {
  const flags = Object.entries(args).flatMap(([name, value]) => [`--${name}`, String(value)]);
  const { stdout } = await run(process.execPath, ['--max-old-space-size=6144', 'bin/run-ts.mjs', script, ...flags], {
    cwd: repoRoot, maxBuffer: 1 << 20, timeout: 10 * 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as T;
}
