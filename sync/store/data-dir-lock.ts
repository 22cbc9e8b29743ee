/**
 * One process per embedded data directory. PGlite keeps the database in the process's memory and
 * writes it to the directory; a second process on the same directory works on its own copy, so
 * its writes are lost and the first one's are overwritten. The lock is a file created exclusively
 * (`takt.lock`, holding the pid); a lock whose process is gone (a crash, `kill -9`) is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'takt.lock';

export interface DataDirLock {
  release(): Promise<void>;
}

/** The data directory is open in another live process. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number | null) {
    super(`the data directory ${dataDir} is in use by ${pid === null ? 'another takt process' : `takt process ${pid}`}: stop it first, or point TAKT_DATA_DIR elsewhere`);
    this.name = 'DataDirInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the directory, if a live process does. */
export async function dataDirHolder(dataDir: string): Promise<number | null> {
  const text = await readFile(join(dataDir, LOCK_FILE), 'utf8').catch(() => null);
  const pid = text === null ? NaN : Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const file = await open(path, 'wx', 0o644);
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await dataDirHolder(dataDir);
    if (holder !== null || attempt > 0) throw new DataDirInUseError(dataDir, holder);
    // Left by a process that is gone: take it over (once; a racing process may win it).
    await unlink(path).catch(() => undefined);
  }
}
