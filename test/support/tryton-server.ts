/**
 * A private Tryton 6.0 server (Debian's `trytond`) per test file, on a copy of one template
 * database. The template (SQLite backend: a fresh PostgreSQL catalog makes module activation
 * take minutes) is built once per machine and module set, under a lock so that parallel test
 * files wait for the one that builds it: `trytond-admin --all`, then the production, routing,
 * work, lot, shelf-life and purchase modules. `.ci/run` builds it before the tests start.
 * `TAKT_TEST_TRYTON_TEMPLATE` names a prebuilt template file instead.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server.ts';

const run = promisify(execFile);

export const TRYTON_MODULES = ['production', 'production_routing', 'production_work', 'stock_lot', 'stock_lot_sled', 'purchase'] as const;
export const TRYTON_ADMIN = { username: 'admin', password: 'admin-takt-test' } as const;
const DATABASE = 'takt';

const TRYTOND_PACKAGE = '/usr/lib/python3/dist-packages/trytond/__init__.py';
export const hasTryton = existsSync('/usr/bin/trytond') && existsSync('/usr/bin/trytond-admin') && existsSync(TRYTOND_PACKAGE);

export interface TrytonServer {
  readonly url: string;
  readonly database: string;
  readonly username: string;
  readonly password: string;
  readonly port: number;
  /** SIGKILL: the ERP is gone mid-request, as in an outage. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function config(dir: string, port: number): string {
  const path = join(dir, 'trytond.conf');
  writeFileSync(path, [
    '[database]', 'uri = sqlite://', `path = ${dir}`, '',
    '[web]', `listen = 127.0.0.1:${port}`, '',
    // No session renewal surprises while a suite runs.
    '[session]', 'timeout = 86400', 'max_attempt = 1000', '',
  ].join('\n'));
  return path;
}

/** The template database file, built when missing. */
export async function trytonTemplate(): Promise<string> {
  const given = process.env.TAKT_TEST_TRYTON_TEMPLATE;
  if (given !== undefined && given !== '') return given;
  // Keyed by the installed trytond, so an upgrade builds a new one.
  const installed = Math.round(statSync(TRYTOND_PACKAGE).mtimeMs);
  const dir = join(tmpdir(), `takt-tryton-template-${TRYTON_MODULES.length}m-${installed}`);
  const file = join(dir, `${DATABASE}.sqlite`);
  const done = join(dir, 'built');
  if (existsSync(done)) return file;
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file builds it; a lock older than 10 minutes is from a killed run.
      if (existsSync(done)) return file;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch { /* gone meanwhile */ }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (existsSync(done)) return file;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '');
    const conf = config(dir, 1);
    const passFile = join(dir, 'admin-password');
    writeFileSync(passFile, TRYTON_ADMIN.password);
    const env = { ...process.env, TRYTONPASSFILE: passFile };
    await run('trytond-admin', ['-c', conf, '-d', DATABASE, '--all', '--email', 'admin@example.com'], { env, maxBuffer: 64 << 20 });
    await run('trytond-admin', ['-c', conf, '-d', DATABASE, '-u', ...TRYTON_MODULES, '--activate-dependencies'], { env, maxBuffer: 64 << 20 });
    writeFileSync(done, new Date().toISOString());
    return file;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function answersLogin(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/${DATABASE}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 0, method: 'common.db.login', params: [TRYTON_ADMIN.username, { password: TRYTON_ADMIN.password }, 'en'] }),
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** A server on a fresh copy of the template. */
export async function startTryton(): Promise<TrytonServer> {
  const template = await trytonTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'takt-tryton-'));
  copyFileSync(template, join(dir, `${DATABASE}.sqlite`));
  const port = await freePort();
  const conf = config(dir, port);
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  async function launch(): Promise<void> {
    const started = spawn('trytond', ['-c', conf], { stdio: 'ignore' });
    child = started;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    while (!(await answersLogin(url))) {
      if (started.exitCode !== null) throw new Error(`trytond on port ${port} exited with ${started.exitCode}`);
      if (Date.now() > deadline) throw new Error(`trytond on port ${port} did not answer within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function kill(): Promise<void> {
    if (child === null || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await exited;
    child = null;
  }

  await launch();
  return {
    url, database: DATABASE, username: TRYTON_ADMIN.username, password: TRYTON_ADMIN.password, port,
    kill,
    restart: launch,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
