/**
 * Throw-away backing stores for one bench run: a fresh PostgreSQL database `takt_bench_<hex>`
 * (dropped afterwards) and a fresh BullMQ key prefix on Redis (its keys deleted afterwards).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try { await client.query(statement); } finally { await client.end(); }
}

export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `takt_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => dropWhenClosed(adminUrl, name) };
}

/**
 * Drops the database once its last connections have closed; forcing it at once would kill
 * sockets still closing, an error no listener catches. Forced only after a second of trying.
 */
async function dropWhenClosed(adminUrl: string, name: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      await adminQuery(adminUrl, `drop database if exists ${name}`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
}

export const freshQueuePrefix = (): string => `takt-bench-${randomBytes(6).toString('hex')}`;

/** Deletes every key under `prefix:` (BullMQ workers write bookkeeping keys until they stop). */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}
