/**
 * What the runtime did, and when: its log lines (the connector poller logs each read that
 * applied changes, the planner each committed version, the worker each write-back) stamped as
 * they are written, and the rows they left (inbox, schedule versions, outbox) read back from
 * the database. All waits are bounded and poll the database every 25 ms.
 */
import type { Log } from '../../../sync/runtime.ts';
import type { Db } from '../../../sync/store/database.ts';

export interface LogLine { readonly at: number; readonly level: string; readonly message: string; readonly fields: Record<string, unknown> }

export class Timeline {
  readonly lines: LogLine[] = [];
  readonly log: Log = (level, message, fields = {}) => void this.lines.push({ at: Date.now(), level, message, fields });

  private database: Db | null = null;

  /** The log goes to `openRuntime`, which opens the database: attach it once it is open. */
  constructor(private readonly plant: string, private readonly pollIntervalMs: number) {}

  attach(db: Db): void {
    this.database = db;
  }

  private get db(): Db {
    if (this.database === null) throw new Error('timeline: no database attached');
    return this.database;
  }

  /** Versions committed, in order: when, which, how many write-backs. */
  versions(after = 0): { at: number; version: number; writebacks: number }[] {
    return this.lines.filter((l) => l.message === 'schedule version committed' && l.at >= after)
      .map((l) => ({ at: l.at, version: Number(l.fields.version), writebacks: Number(l.fields.writebacks) }));
  }

  /** Connector reads that applied changes: when the transaction committed, records read, events ingested. */
  applied(after = 0): { at: number; records: number; events: number }[] {
    return this.lines.filter((l) => l.message === 'ERP changes applied' && l.at >= after)
      .map((l) => ({ at: l.at, records: Number(l.fields.records), events: Number(l.fields.events) }));
  }

  /** Write-back results (delivered, conflict, retry, …) counted. */
  writebackResults(from = 0, to = Infinity): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const l of this.lines) {
      if (l.message !== 'write-back' || l.at < from || l.at > to) continue;
      const result = String(l.fields.result);
      counts[result] = (counts[result] ?? 0) + 1;
    }
    return counts;
  }

  warnings(): string[] {
    return this.lines.filter((l) => l.level !== 'info').map((l) => `${l.message}: ${JSON.stringify(l.fields)}`);
  }

  async until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async pendingWritebacks(): Promise<number> {
    const row = await this.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n'))
      .where('plant', '=', this.plant).where('status', '=', 'pending').executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Quiet: nothing pending, the plant not dirty, and no read applied and no version committed
   * for more than a poll interval (takt's echoes of its own write-backs are read without a log).
   */
  async settled(timeoutMs = 120_000): Promise<void> {
    await this.until('the plant to settle', async () => {
      const state = await this.db.selectFrom('plant_state').select('dirty').where('plant', '=', this.plant).executeTakeFirst();
      const last = Math.max(0, ...this.lines.filter((l) => l.message === 'ERP changes applied' || l.message === 'schedule version committed').map((l) => l.at));
      return state?.dirty !== true && Date.now() - last > this.pollIntervalMs + 300 && (await this.pendingWritebacks()) === 0;
    }, timeoutMs);
  }

  /** How many of these work orders takt holds for the plant. */
  async workOrdersHeld(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const row = await this.db.selectFrom('work_orders').select((eb) => eb.fn.countAll().as('n'))
      .where('plant', '=', this.plant).where('id', 'in', ids).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** When inbox events whose id starts with `prefix` were applied after `since` (transaction start, ms). */
  async inboxSince(prefix: string, since: number): Promise<number[]> {
    const rows = await this.db.selectFrom('inbox').select('received_at')
      .where('plant', '=', this.plant).where('event_id', 'like', `${prefix}%`).where('received_at', '>', new Date(since)).execute();
    return rows.map((r) => new Date(r.received_at).getTime());
  }

  /** Outbox rows of one version (or of one order from a version on). */
  async outbox(filter: { readonly version?: number; readonly workOrder?: string; readonly fromVersion?: number }) {
    let query = this.db.selectFrom('outbox').select(['work_order', 'schedule_version', 'status', 'delivered_at', 'payload', 'erp_basis']).where('plant', '=', this.plant);
    if (filter.version !== undefined) query = query.where('schedule_version', '=', filter.version);
    if (filter.fromVersion !== undefined) query = query.where('schedule_version', '>=', filter.fromVersion);
    if (filter.workOrder !== undefined) query = query.where('work_order', '=', filter.workOrder);
    const rows = await query.execute();
    return rows.map((r) => ({ ...r, deliveredAt: r.delivered_at === null ? null : new Date(r.delivered_at).getTime() }));
  }

  /**
   * Waits until no write-back of `version` is pending, or until `stopAfterMs` has passed (then
   * `complete` is false); progress every 30 s.
   */
  async writebacksOf(version: number, options: { readonly progress?: (line: string) => void; readonly stopAfterMs?: number } = {}) {
    const stopAt = Date.now() + (options.stopAfterMs ?? 900_000);
    let next = Date.now() + 30_000;
    return this.until(`the write-backs of version ${version}`, async () => {
      const rows = await this.outbox({ version });
      const pending = rows.filter((r) => r.status === 'pending').length;
      if (options.progress !== undefined && Date.now() > next) {
        options.progress(`tryton: version ${version}: ${rows.length - pending} of ${rows.length} write-backs done`);
        next += 30_000;
      }
      if (pending === 0) return { rows, complete: true };
      return options.stopAfterMs !== undefined && Date.now() > stopAt ? { rows, complete: false } : null;
    }, (options.stopAfterMs ?? 900_000) + 60_000);
  }

  /** When the plant's latest write-back was delivered (0: none yet). */
  async lastDeliveredAt(): Promise<number> {
    const row = await this.db.selectFrom('outbox').select((eb) => eb.fn.max('delivered_at').as('at')).where('plant', '=', this.plant).executeTakeFirst();
    return row?.at === null || row?.at === undefined ? 0 : new Date(row.at as Date).getTime();
  }

  /** The first version committed at or after `at`; waits for it. */
  async versionAfter(at: number, timeoutMs = 60_000) {
    return this.until(`a version after ${new Date(at).toISOString()}`, async () => this.versions(at)[0], timeoutMs);
  }

  /** An order's status in a version, with the first problem naming it when it is not scheduled. */
  async orderStatus(version: number, workOrder: string): Promise<string> {
    const row = await this.db.selectFrom('schedule_versions').select('result').where('plant', '=', this.plant).where('version', '=', version).executeTakeFirst();
    const result = row?.result as { orders?: { workOrder: string; status: string }[]; problems?: { type: string; workOrder?: string }[] } | undefined;
    const order = result?.orders?.find((o) => o.workOrder === workOrder);
    if (order === undefined) return 'absent';
    if (order.status === 'scheduled') return order.status;
    const problem = result?.problems?.find((p) => p.workOrder === workOrder);
    return problem === undefined ? order.status : `${order.status} (${problem.type})`;
  }

  /** An order's planned start → end in a version (diagnostics). */
  async orderPlan(version: number, workOrder: string): Promise<string | null> {
    const row = await this.db.selectFrom('schedule_versions').select('result').where('plant', '=', this.plant).where('version', '=', version).executeTakeFirst();
    const order = (row?.result as { orders?: { workOrder: string; plannedStart: string | null; plannedEnd: string | null }[] } | undefined)?.orders?.find((o) => o.workOrder === workOrder);
    return order === undefined ? null : `${order.plannedStart ?? '?'} → ${order.plannedEnd ?? '?'}`;
  }

  async solveMs(version: number): Promise<number | null> {
    const row = await this.db.selectFrom('schedule_versions').select('result').where('plant', '=', this.plant).where('version', '=', version).executeTakeFirst();
    const stats = (row?.result as { stats?: { constructiveMs?: number; improvementMs?: number } } | undefined)?.stats;
    return stats === undefined ? null : (stats.constructiveMs ?? 0) + (stats.improvementMs ?? 0);
  }
}
