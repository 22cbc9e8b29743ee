/**
 * CPU used by each side during a stretch of the run (Linux /proc): trytond, this process (takt's
 * runtime, its solver thread and the bench), and the PostgreSQL backends of the scratch
 * database; to tell which one a write-back burst waits for. trytond is found by the port in
 * the configuration file its command line names (the test server does not expose its pid, and
 * other trytond processes may run on the machine).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from '../../../sync/store/database.ts';
import { backendPids, cpuBetween, processCpuMs, snapshot, type CpuSnapshot } from '../cpu.ts';

export function trytondPid(port: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!argv.some((a) => a.endsWith('trytond'))) continue;
      const conf = argv[argv.indexOf('-c') + 1];
      if (conf !== undefined && readFileSync(conf, 'utf8').includes(`127.0.0.1:${port}`)) return Number(entry);
    } catch { /* gone meanwhile, or not ours to read */ }
  }
  return null;
}

export interface CpuShare {
  readonly wallMs: number;
  /** CPU ms in the stretch; null where it could not be read. */
  readonly trytondMs: number | null;
  readonly taktMs: number;
  readonly postgresMs: number | null;
}

export class CpuWatch {
  private started: { at: number; tryton: number | null; takt: NodeJS.CpuUsage; postgres: CpuSnapshot } | null = null;

  constructor(private readonly trytond: number | null, private readonly db: Db, private readonly database: string) {}

  async start(): Promise<void> {
    const pids = await backendPids(this.db, this.database);
    this.started = { at: Date.now(), tryton: this.trytond === null ? null : processCpuMs(this.trytond), takt: process.cpuUsage(), postgres: snapshot(pids) };
  }

  async stop(): Promise<CpuShare> {
    const s = this.started;
    if (s === null) throw new Error('CpuWatch.stop before start');
    const pids = await backendPids(this.db, this.database);
    const takt = process.cpuUsage(s.takt);
    const tryton = this.trytond === null ? null : processCpuMs(this.trytond);
    return {
      wallMs: Date.now() - s.at,
      trytondMs: tryton === null || s.tryton === null ? null : tryton - s.tryton,
      taktMs: (takt.user + takt.system) / 1000,
      postgresMs: cpuBetween(s.postgres, snapshot(pids)),
    };
  }
}
