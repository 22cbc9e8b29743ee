/** What the Tryton bench stores in results.json (`results.tryton.result`); times in ms. */
import type { LatencySummary } from '../stats.ts';
import type { CpuShare } from './cpu.ts';

export interface TrytonBenchOptions {
  readonly adminUrl: string;
  readonly seed: number;
  /** Productions built in Tryton (two routing operations each). */
  readonly productions: number;
  /** Productions the MRP run re-dates; the plant grows to as many first if it has fewer. */
  readonly deltaProductions: number;
  /** Single changes, cycling through the kinds. */
  readonly repeats: number;
  /** The connector's poll interval and overlap window; the runtime's reschedule time limit. */
  readonly pollIntervalMs: number;
  readonly overlapMs: number;
  readonly timeLimitMs: number;
}

export interface PollSummary {
  /** Reads that started at once after the previous one (no interval waited). */
  readonly atOnce: number;
  readonly readMs: LatencySummary;
  readonly calls: LatencySummary;
  readonly productionsRead: LatencySummary;
}

export interface WritebackBurst {
  readonly version: number;
  /** Every write-back of the version was done (false: watched for a bounded window only). */
  readonly complete: boolean;
  readonly writebacks: number;
  readonly delivered: number;
  /** Worker results logged meanwhile (delivered, conflict, retry, …). */
  readonly results: Readonly<Record<string, number>>;
  /** From the version's commit to the first and the last delivered row. */
  readonly firstMs: number | null;
  readonly lastMs: number;
  readonly perSecond: number | null;
  /** Write-back RPCs in the burst per delivered write-back, and by method. */
  readonly rpcPerWriteback: number | null;
  readonly rpcByMethod: Readonly<Record<string, number>>;
  readonly rpcMsByMethod: Readonly<Record<string, LatencySummary>>;
  /** Summed RPC time (calls overlap) of the write-backs and of the poller in the burst. */
  readonly rpcBusyMs: { readonly write: number; readonly poll: number };
  /** The poller's reads during the burst. */
  readonly pollsDuring: PollSummary & { readonly count: number };
  /** CPU each side used while the burst was written. */
  readonly cpu: CpuShare;
}

/** What write-backs change against what Tryton held. */
export interface WritebackMoves {
  readonly endLater: number;
  readonly endEarlier: number;
  readonly startOnly: number;
  readonly workCentersOnly: number;
}

export interface ChangeSample {
  readonly kind: string;
  /** From the commit in Tryton to takt's ingest transaction of it (the read done). */
  readonly commitToReadMs: number;
  /** From the commit to the start of the poll that read it (negative: the poll was under way). */
  readonly pollWaitMs: number | null;
  readonly pollReadMs: number | null;
  readonly pollCalls: number | null;
  /** Ingest transaction until its commit. */
  readonly applyMs: number;
  readonly commitToVersionMs: number;
  readonly solveMs: number | null;
  /** The changed production's own write-back delivered (null: none needed, or a delivery date). */
  readonly commitToOwnWritebackMs: number | null;
  readonly commitToFirstMs: number | null;
  readonly commitToLastMs: number | null;
  /** Write-backs the version queued. */
  readonly writebacks: number;
  /** What the version's write-backs change. */
  readonly moved: WritebackMoves;
  /** The changed production in the version: scheduled, unscheduled (and why), absent. */
  readonly orderStatus: string | null;
  /** Its planned start → end in the version before the change and in the one after (diagnostics). */
  readonly orderPlan: { readonly before: string | null; readonly after: string | null } | null;
  /** Tryton's dates equal what takt wrote (null: nothing of its own written). */
  readonly readBack: boolean | null;
}

/** The plant grown before the MRP run: productions created in Tryton, then read, planned and written back. */
export interface PlantGrowthResult {
  readonly added: number;
  /** Creating them (with their moves), taking some to waiting, and their stock, in Tryton. */
  readonly createMs: number;
  /** From the last creation's answer until takt held every new production. */
  readonly commitToReadMs: number;
  /** From then until the plant settled (planned, every write-back delivered). */
  readonly settleMs: number;
}

export interface DeltaResult {
  readonly productions: number;
  readonly growth: PlantGrowthResult | null;
  readonly workOrderEvents: number;
  /** The one `production.write` of the MRP run. */
  readonly writeMs: number;
  readonly commitToReadMs: number;
  readonly pollReadMs: number | null;
  readonly pollCalls: number | null;
  readonly productionsRead: number | null;
  readonly applyMs: number;
  readonly commitToVersionMs: number;
  readonly solveMs: number | null;
  readonly burst: WritebackBurst;
}

export interface TrytonBenchResult {
  readonly plant: {
    readonly productions: number; readonly operations: number; readonly drafts: number; readonly workCenters: number;
    readonly categories: number; readonly products: number; readonly lots: number; readonly purchases: number;
  };
  readonly config: Omit<TrytonBenchOptions, 'adminUrl'> & {
    readonly solverThreads: number; readonly writebackConcurrency: number; readonly queue: string; readonly trytondBackend: string;
  };
  readonly setup: {
    readonly template: { readonly built: boolean; readonly ms: number };
    readonly trytonStartMs: number;
    readonly build: { readonly ms: number; readonly calls: number; readonly phases: readonly { readonly name: string; readonly ms: number; readonly calls: number }[] };
    readonly firstRead: {
      /** From opening the runtime to the first read committed in takt. */
      readonly ms: number; readonly readMs: number; readonly calls: number; readonly productionsRead: number;
      readonly records: number; readonly events: number; readonly applyMs: number;
    };
    readonly masterDataMs: number;
    readonly firstPlan: { readonly commitMs: number; readonly solveMs: number | null; readonly burst: WritebackBurst };
  };
  /** A change made while the first plan's write-backs ran: read when, how many reads dropped meanwhile. */
  readonly duringBurst: {
    readonly kind: string; readonly commitToReadMs: number;
    /** From its commit to the last write-back of the burst delivered. */
    readonly burstLeftMs: number;
    readonly reads: number; readonly readsDropped: number;
  };
  /** The poller's reads once nothing changed for longer than the overlap window. */
  readonly idlePolls: PollSummary;
  /** Reading one production as the connector does, idle: one call after another, and four at once. */
  readonly trytonConcurrency: {
    readonly sequential: { readonly perSecond: number; readonly p50Ms: number | null };
    readonly fourAtOnce: { readonly perSecond: number; readonly p50Ms: number | null };
  };
  /** Write-backs queued by each of three re-plans with nothing changed. */
  readonly replansWithoutChange: readonly { readonly writebacks: number; readonly moved: WritebackMoves }[];
  readonly changes: { readonly samples: readonly ChangeSample[]; readonly polls: PollSummary };
  readonly delta: DeltaResult;
  readonly warnings: readonly string[];
  readonly totalMs: number;
}
