/**
 * How one SAP connection is configured, and the same with every default filled in. Service
 * roots are given per API or derived from one host and SAP's standard Gateway paths
 * (`/sap/opu/odata/sap/<SERVICE>`); an API whose root is neither given nor derivable is not read.
 */
import type { LotStatus, Weekday } from '../../../scheduler/problem.ts';
import { DEFAULT_TIMEOUT_MS } from '../../writeback/http.ts';

/** Which order dates take takt's plan: basic (`MfgOrderPlanned…`) or scheduled (`MfgOrderScheduled…`). */
export type SapOrderDates = 'basic' | 'scheduled';

/**
 * Which operation dates of A_ProductionOrderOperation_2 take takt's plan: none, the earliest
 * scheduled execution start only (`OpErlstSchedldExecStrtDte/Tme`, SAP derives the end), or
 * start and end (`…ExecStrt…` and `…ExecEnd…`).
 */
export type SapOperationDates = 'none' | 'earliest-start' | 'earliest';

export interface SapImportanceMapping {
  /** Ascending: a dispatch rank up to `upToRank` gets `code` (rank 1 = run first). */
  readonly buckets: readonly { readonly upToRank: number; readonly code: string }[];
  /** Ranks beyond the last bucket. */
  readonly otherwise: string;
}

export interface SapServiceRoots {
  readonly productionOrder?: string;
  readonly workCenters?: string;
  readonly materialStock?: string;
  readonly batch?: string;
  readonly purchaseOrder?: string;
  /** API_PRODUCT_SRV, for base units and unit conversions; optional. */
  readonly product?: string;
}

export interface SapConnectorConfig {
  /** The connection's name: the key of its cursor and links. */
  readonly name: string;
  /** The takt plant this connection feeds. */
  readonly plant: string;
  /** Its name, for the plant takt creates on the first read when it has none yet. */
  readonly plantName?: string;
  /** SAP's plant code (`ProductionPlant`, `Plant`). */
  readonly productionPlant: string;
  /** The plant's IANA zone: SAP keeps plant-local dates and times. */
  readonly timeZone: string;
  /** `https://host:port`: every API at its standard path unless `services` says otherwise. */
  readonly host?: string;
  readonly services?: SapServiceRoots;
  readonly username?: string;
  readonly password?: string;
  /** Sent on every call (API keys, proxies' headers, …). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly sapClient?: string;
  /** Default `scheduled`: the basic dates stay the due date SAP's planner set. */
  readonly orderDates?: SapOrderDates;
  /** Default `earliest`. */
  readonly operationDates?: SapOperationDates;
  /** Write takt's work center to an operation when it differs from SAP's (default true). */
  readonly writeWorkCenter?: boolean;
  /** Rank → `ManufacturingOrderImportance`; null: importance is not written. */
  readonly importance?: SapImportanceMapping | null;
  /**
   * `ManufacturingOrderImportance` → takt priority (higher is more urgent). Default: not read,
   * because takt writes importance from its own ranks and reading it back would feed the plan
   * into itself.
   */
  readonly priorityByImportance?: Readonly<Record<string, number>> | null;
  readonly pageSize?: number;
  /** Pages per `read`; beyond it the read returns `more`. */
  readonly maxPagesPerRead?: number;
  readonly timeoutMs?: number;
  /** How far before the last change stamp a delta read starts again (late commits). */
  readonly overlapMs?: number;
  /** How often snapshots are re-read (ms): work centers, stock, open receipts, vanished orders. */
  readonly refreshMs?: Partial<Record<SnapshotKind, number>>;
  /** A calendar for work centers whose capacity has neither shifts nor standard times. */
  readonly defaultCalendar?: string;
  /** Workdays of a capacity's standard available time (SAP's factory calendar is not exposed). */
  readonly standardWorkdays?: readonly Weekday[];
  /** `InventoryStockType` → lot status; codes not listed are not read. */
  readonly stockTypes?: Readonly<Record<string, LotStatus>>;
  /** Final confirmations of operations as `operation.completed` (source `mes`); default true. */
  readonly readConfirmations?: boolean;
  readonly inbound?: boolean;
  readonly outbound?: boolean;
}

export type SnapshotKind = 'workCenters' | 'stock' | 'receipts' | 'orderSweep';

export interface ResolvedSapConfig {
  readonly name: string;
  readonly plant: string;
  readonly plantName: string | null;
  readonly productionPlant: string;
  readonly timeZone: string;
  readonly services: Readonly<Record<keyof SapServiceRoots, string | null>>;
  readonly username: string | null;
  readonly password: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly sapClient: string | null;
  readonly orderDates: SapOrderDates;
  readonly operationDates: SapOperationDates;
  readonly writeWorkCenter: boolean;
  readonly importance: SapImportanceMapping | null;
  readonly priorityByImportance: Readonly<Record<string, number>> | null;
  readonly pageSize: number;
  readonly maxPagesPerRead: number;
  readonly timeoutMs: number;
  readonly overlapMs: number;
  readonly refreshMs: Readonly<Record<SnapshotKind, number>>;
  readonly defaultCalendar: string;
  readonly standardWorkdays: readonly Weekday[];
  readonly stockTypes: Readonly<Record<string, LotStatus>>;
  readonly readConfirmations: boolean;
  readonly inbound: boolean;
  readonly outbound: boolean;
}

const STANDARD_PATHS: Readonly<Record<keyof SapServiceRoots, string>> = {
  productionOrder: 'API_PRODUCTION_ORDER_2_SRV',
  workCenters: 'API_WORK_CENTERS',
  materialStock: 'API_MATERIAL_STOCK_SRV',
  batch: 'API_BATCH_SRV',
  purchaseOrder: 'API_PURCHASEORDER_PROCESS_SRV',
  product: 'API_PRODUCT_SRV',
};

export const DEFAULT_IMPORTANCE: SapImportanceMapping = {
  buckets: [{ upToRank: 10, code: '1' }, { upToRank: 50, code: '2' }, { upToRank: 200, code: '3' }],
  otherwise: '4',
};

/**
 * SAP's inventory stock types (`InventoryStockType`): 01 unrestricted use, 02 quality
 * inspection, 03 blocked returns, 06 restricted use (batch status), 07 blocked. Stock in
 * transfer (04/05) is on its way, not usable here yet, and not read.
 */
export const DEFAULT_STOCK_TYPES: Readonly<Record<string, LotStatus>> = {
  '01': 'available', '02': 'held', '03': 'blocked', '06': 'held', '07': 'blocked',
};

const DEFAULT_REFRESH: Readonly<Record<SnapshotKind, number>> = {
  workCenters: 15 * 60_000, stock: 5 * 60_000, receipts: 10 * 60_000, orderSweep: 60 * 60_000,
};

function root(config: SapConnectorConfig, api: keyof SapServiceRoots): string | null {
  const given = config.services?.[api];
  if (given !== undefined) return given.replace(/\/+$/, '');
  if (config.host === undefined) return null;
  return `${config.host.replace(/\/+$/, '')}/sap/opu/odata/sap/${STANDARD_PATHS[api]}`;
}

export function resolveConfig(config: SapConnectorConfig): ResolvedSapConfig {
  const services = Object.fromEntries(
    (Object.keys(STANDARD_PATHS) as (keyof SapServiceRoots)[]).map((api) => [api, root(config, api)]),
  ) as Record<keyof SapServiceRoots, string | null>;
  return {
    name: config.name,
    plant: config.plant,
    plantName: config.plantName ?? null,
    productionPlant: config.productionPlant,
    timeZone: config.timeZone,
    services,
    username: config.username ?? null,
    password: config.password ?? '',
    headers: config.headers ?? {},
    sapClient: config.sapClient ?? null,
    orderDates: config.orderDates ?? 'scheduled',
    operationDates: config.operationDates ?? 'earliest',
    writeWorkCenter: config.writeWorkCenter ?? true,
    importance: config.importance === undefined ? DEFAULT_IMPORTANCE : config.importance,
    priorityByImportance: config.priorityByImportance ?? null,
    pageSize: config.pageSize ?? 200,
    maxPagesPerRead: config.maxPagesPerRead ?? 50,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    overlapMs: config.overlapMs ?? 5 * 60_000,
    refreshMs: { ...DEFAULT_REFRESH, ...config.refreshMs },
    defaultCalendar: config.defaultCalendar ?? `${config.plant}-default`,
    standardWorkdays: config.standardWorkdays ?? ['mon', 'tue', 'wed', 'thu', 'fri'],
    stockTypes: config.stockTypes ?? DEFAULT_STOCK_TYPES,
    readConfirmations: config.readConfirmations ?? true,
    inbound: config.inbound ?? true,
    outbound: config.outbound ?? true,
  };
}
