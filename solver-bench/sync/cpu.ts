/**
 * CPU time spent by processes (Linux /proc), to tell how much machine each accepted event costs
 * apart from how busy the machine was: wall-clock rates move with other load, CPU per event
 * much less. Returns null where /proc is not there.
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../../sync/store/database.ts';
import { sql } from 'kysely';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds of one process so far; null if it cannot be read. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/** PostgreSQL backend pids serving one database right now. */
export async function backendPids(db: Db, database: string): Promise<readonly number[]> {
  const result = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`.execute(db);
  return result.rows.map((r) => Number(r.pid));
}

export interface CpuSnapshot {
  readonly at: number;
  readonly perPid: ReadonlyMap<number, number>;
}

export function snapshot(pids: readonly number[]): CpuSnapshot {
  const perPid = new Map<number, number>();
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms !== null) perPid.set(pid, ms);
  }
  return { at: performance.now(), perPid };
}

/** CPU ms used between two snapshots by the processes present in both (null if none was). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): number | null {
  let total = 0;
  let seen = 0;
  for (const [pid, ms] of after.perPid) {
    const start = before.perPid.get(pid);
    if (start === undefined) continue;
    total += ms - start;
    seen += 1;
  }
  return seen === 0 ? null : total;
}
