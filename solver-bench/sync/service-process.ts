/** Starts solver-bench/sync/service.ts in a child process and stops it (stdin closed, then a kill after a grace period). */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_CONFIG_ENV, type ServiceConfig } from './service-config.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const runTs = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));
const entry = fileURLToPath(new URL('./service.ts', import.meta.url));

export interface ServiceProcess {
  readonly role: ServiceConfig['role'];
  /** Null for a worker-only process. */
  readonly url: string | null;
  readonly pid: number;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startService(config: ServiceConfig, options: { readonly profileDir?: string; readonly startTimeoutMs?: number } = {}): Promise<ServiceProcess> {
  // One folder per role: node names its own files (one per thread, the loader's included).
  const profile = options.profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', join(options.profileDir, config.role)];
  const child = spawn(process.execPath, [...profile, runTs, entry], {
    cwd: root,
    env: { ...process.env, [SERVICE_CONFIG_ENV]: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited(child);
    clearTimeout(timer);
  };
  const url = await new Promise<string | null>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('the service did not start within the time allowed')), options.startTimeoutMs ?? 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string | null }).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with code ${code} before listening`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { role: config.role, url, pid: child.pid!, stop };
}
