/**
 * How fast the `takt` command starts, as a user runs it (a new process each time, TypeScript
 * loaded through tsx): `takt --help`, and `takt jssp la01 --time-limit 0` (start-up, reading the
 * file and the constructive pass: the start of a solve). Warm is with tsx's compile cache filled
 * (every run after the first); cold gives each run a fresh cache, as on the first run after
 * `npm ci`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLine, type RunPlace } from './report.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const COMMANDS = {
  help: ['--help'],
  jssp: ['jssp', 'test/fixtures/instances/la01.txt', '--time-limit', '0'],
} as const;

export interface CliStartupRow {
  readonly command: string;
  /** Median wall time of a whole process, in ms. */
  readonly warmMs: number;
  readonly coldMs: number;
}

export interface CliStartupResult {
  readonly repeats: number;
  readonly rows: readonly CliStartupRow[];
}

function wallMs(args: readonly string[], tmp: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(root, 'bin/takt.mjs'), ...args], { cwd: root, env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
  if (run.status !== 0) throw new Error(`takt ${args.join(' ')} exited with ${run.status}`);
  return performance.now() - started;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function measureCliStartup(repeats: number): CliStartupResult {
  const rows = Object.entries(COMMANDS).map(([name, args]): CliStartupRow => {
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const tmp = mkdtempSync(join(tmpdir(), 'takt-cli-bench-'));
      try {
        cold.push(wallMs(args, tmp));
        warm.push(wallMs(args, tmp));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    return { command: `takt ${args.join(' ')}`, warmMs: Math.round(median(warm)), coldMs: Math.round(median(cold)) };
  });
  return { repeats, rows };
}

export function renderCliStartupSection(result: CliStartupResult, meta: RunPlace): string {
  return [
    '## CLI start-up',
    '',
    runLine(meta),
    `Median of ${result.repeats} processes each; cold: a fresh tsx compile cache, as on the first run after \`npm ci\`.`,
    '',
    '| command | warm | cold |',
    '| --- | ---: | ---: |',
    ...result.rows.map((r) => `| \`${r.command}\` | ${r.warmMs} ms | ${r.coldMs} ms |`),
    '',
    'Before the CLI loaded its commands lazily (commit da4fde6, same machine, warm): `takt --help` 1.12-1.15 s, the `jssp` line 1.14-1.24 s.',
    '',
  ].join('\n');
}
