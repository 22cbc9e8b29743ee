/**
 * Processes the tests start the way a user (or a crash) would: `takt start`, and small
 * TypeScript fixtures that take something (a plant, a queued job) and wait to be killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TAKT = fileURLToPath(new URL('../../bin/takt.mjs', import.meta.url));
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));

/** `takt start` with `env`: the child at once, and its base URL once it prints the board line. */
export function spawnTaktStart(env: NodeJS.ProcessEnv): { readonly child: ChildProcess; readonly url: Promise<string> } {
  const child = spawn(process.execPath, [TAKT, 'start'], { env });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /board: +(http:\/\/[^/\s]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('close', (code) => reject(new Error(`takt start exited ${code} before it served: ${out}`)));
  });
  return { child, url };
}

/** A TypeScript fixture run as its own process; resolves with it once it prints its first line. */
export async function spawnFixture(script: URL, args: readonly string[]): Promise<{ readonly child: ChildProcess; readonly said: string }> {
  const child = spawn(process.execPath, [RUN_TS, fileURLToPath(script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const said = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end).trim());
    });
    child.once('exit', (code) => reject(new Error(`${fileURLToPath(script)} exited with code ${code} before it said anything`)));
  });
  return { child, said };
}

/** SIGKILL, as a crash would, and the moment it is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}
