/**
 * Where a running `takt start` on the embedded store can be reached: `service.json` in its data
 * directory (its pid and base URL). Commands that need the data directory while it runs
 * (`takt keys`) call its API instead of opening the database a second time.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'service.json';

export interface ServiceFile {
  readonly pid: number;
  readonly url: string;
}

export async function writeServiceFile(dataDir: string, url: string): Promise<void> {
  await writeFile(join(dataDir, FILE), `${JSON.stringify({ pid: process.pid, url })}\n`);
}

export async function removeServiceFile(dataDir: string): Promise<void> {
  await unlink(join(dataDir, FILE)).catch(() => undefined);
}

export async function readServiceFile(dataDir: string): Promise<ServiceFile | null> {
  const text = await readFile(join(dataDir, FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<ServiceFile>;
    return typeof parsed.pid === 'number' && typeof parsed.url === 'string' ? { pid: parsed.pid, url: parsed.url } : null;
  } catch {
    return null;
  }
}
