/**
 * `takt start` on the embedded store, as processes: the data directory belongs to one process
 * (a second `takt start` is refused with one clear line), `takt keys` works while the service
 * runs (through its API: a new key works at once, a revoked one stops at once, and both survive a
 * restart), and SIGTERM stops the service promptly and frees the directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTaktStart } from '../support/processes.ts';

const TAKT = new URL('../../bin/takt.mjs', import.meta.url).pathname;

interface Finished { readonly code: number | null; readonly stdout: string; readonly stderr: string }

describe('takt start on the embedded store (processes)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'takt-embedded-'));
  const env = { ...process.env, TAKT_DATA_DIR: dataDir, PORT: '0', TAKT_DEMO: '0', LOG_LEVEL: 'silent', TAKT_ADMIN_KEY: '', DATABASE_URL: '', REDIS_URL: '' };
  let server: ChildProcess | null = null;
  let url = '';

  function takt(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Finished> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [TAKT, ...args], { env: { ...env, ...extraEnv } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => { stdout += chunk; });
      child.stderr.on('data', (chunk) => { stderr += chunk; });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Starts `takt start`; resolves with its base URL once it prints it. */
  function start(): Promise<string> {
    const started = spawnTaktStart(env);
    server = started.child;
    return started.url;
  }

  function stop(child: ChildProcess): Promise<{ code: number | null; ms: number }> {
    const began = Date.now();
    return new Promise((resolve) => {
      child.on('close', (code) => resolve({ code, ms: Date.now() - began }));
      child.kill('SIGTERM');
    });
  }

  const status = async (token: string) =>
    (await fetch(`${url}/v1/plants`, { headers: { authorization: `Bearer ${token}` } })).status;

  beforeAll(async () => { url = await start(); }, 60_000);
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says when a command is unknown, and shows a command\'s usage on --help', async () => {
    const bogus = await takt(['bogus']);
    expect(bogus.code).toBe(64);
    expect(bogus.stderr).toMatch(/^takt: unknown command "bogus"\n\nusage: takt <command>/);
    const help = await takt(['solve', '--help']);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: takt solve PROBLEM\.json/) });
  }, 30_000);

  it('refuses a second process on the same data directory with one clear line', async () => {
    const second = await takt(['start']);
    expect(second.code).toBe(75);
    expect(second.stderr.trim()).toMatch(/^takt start: the data directory .* is in use by takt process \d+: stop it first/);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('says in one line why it cannot start: Redis not answering, the port taken', async () => {
    const other = mkdtempSync(join(tmpdir(), 'takt-embedded-'));
    try {
      // Nothing listens on port 1.
      const noRedis = await takt(['start'], { TAKT_DATA_DIR: other, REDIS_URL: 'redis://127.0.0.1:1' });
      expect(noRedis.code).toBe(69);
      expect(noRedis.stderr.trim()).toBe('takt start: Redis at redis://127.0.0.1:1 does not answer: start it, or unset REDIS_URL for the in-process queue');
      const portTaken = await takt(['start'], { TAKT_DATA_DIR: other, PORT: new URL(url).port });
      expect(portTaken.code).toBe(69);
      expect(portTaken.stderr.trim()).toMatch(/^takt start: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\): another process holds the port; stop it or set PORT$/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 60_000);

  it('creates and revokes keys through the running service, effective at once', async () => {
    const created = await takt(['keys', 'create', '--name', 'mes line 1', '--scopes', 'planner']);
    expect(created.code).toBe(0);
    const [, id, token] = /created (key_\w+): (\S+)/.exec(created.stdout)!;
    expect(await status(token!)).toBe(200);

    const revoked = await takt(['keys', 'revoke', id!]);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${id}\n` });
    expect(await status(token!)).toBe(401);

    const again = await takt(['keys', 'revoke', id!]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no active key ${id}`);
    expect((await takt(['keys', 'list'])).stdout).toMatch(new RegExp(`${id}  mes line 1  scopes planner  plants all  \\(revoked\\)`));
  }, 60_000);

  it('stops promptly on SIGTERM, frees the directory, and kept what it was asked', async () => {
    const stopped = await stop(server!);
    server = null;
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
    expect(existsSync(join(dataDir, 'takt.lock'))).toBe(false);
    expect(existsSync(join(dataDir, 'service.json'))).toBe(false);

    // Offline now: the CLI opens the store itself, and the revoked key is still revoked.
    const listed = await takt(['keys', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/mes line 1  scopes planner  plants all  \(revoked\)/);
    expect(listed.stdout).toMatch(/admin \(first start\)/);
  }, 60_000);
});
