/** One process per embedded data directory: a live holder refuses, a dead one's lock is taken over, closing frees it. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE } from '../../../sync/store/data-dir-lock.ts';
import { openDatabase } from '../../../sync/store/open-database.ts';

describe('the embedded data directory lock', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'takt-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

  it('refuses a second open while the first is open, and frees the directory on close', async () => {
    const dataDir = fresh();
    const db = await openDatabase({ dataDir });
    const second = openDatabase({ dataDir });
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toThrow(`the data directory ${dataDir} is in use by takt process ${process.pid}`);
    await db.destroy();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const again = await openDatabase({ dataDir });
    await again.destroy();
  });

  it('takes over a lock whose process is gone', async () => {
    const dataDir = fresh();
    // Beyond the kernel's pid range: no such process.
    writeFileSync(join(dataDir, LOCK_FILE), '2147483646\n');
    const db = await openDatabase({ dataDir });
    await db.destroy();
  });

  it('leaves databases in memory unlocked', async () => {
    const [a, b] = await Promise.all([openDatabase({ dataDir: ':memory:' }), openDatabase({ dataDir: ':memory:' })]);
    await a!.destroy();
    await b!.destroy();
  });
});
