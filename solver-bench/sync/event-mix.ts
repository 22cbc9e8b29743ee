/**
 * The steady traffic of a running plant, as the throughput phase sends it: WMS lot updates,
 * MES progress reports and ERP receipt changes, in turn. Every event has a fresh id and the
 * next version of its object. Objects are split between clients (client c owns every object
 * whose index is c modulo the client count) so that one object's versions arrive in order, as
 * they would from one source connection; quantities wobble around the plant's own values so
 * the plant stays the plant.
 */
import type { LotSpec, PlantProblem, ReceiptSpec } from '../../scheduler/problem.ts';
import type { EventEnvelope } from '../../sync/ports.ts';

export interface OperationInProgress {
  readonly workOrder: string;
  readonly operation: string;
  readonly workCenter: string;
  readonly quantity: number;
}

/**
 * Operations the MES reports on: the first operation of released orders, at most one per work
 * center (one started job per machine unit 1, as on a real floor).
 */
export function operationsInProgress(problem: PlantProblem, limit: number): readonly OperationInProgress[] {
  const taken = new Set<string>();
  const chosen: OperationInProgress[] = [];
  for (const order of problem.workOrders) {
    if (chosen.length >= limit) break;
    const first = order.operations[0];
    const workCenter = first?.modes[0]?.workCenter;
    if (order.status !== 'released' || first === undefined || workCenter === undefined || taken.has(workCenter)) continue;
    if ((order.materials ?? []).length > 0) continue; // started means its material was there
    taken.add(workCenter);
    chosen.push({ workOrder: order.id, operation: first.id, workCenter, quantity: order.quantity });
  }
  return chosen;
}

/** The `operation.started` reports that put those operations on their machines. */
export function startEvents(plant: string, operations: readonly OperationInProgress[], at: string): EventEnvelope[] {
  return operations.map((op) => ({
    id: `bench-start:${op.workOrder}/${op.operation}`, source: 'mes', type: 'operation.started', plant, occurredAt: at, version: 1,
    data: { workOrder: op.workOrder, operation: op.operation, workCenter: op.workCenter, unit: 1, startedAt: at },
  }));
}

type Kind = 'lot' | 'progress' | 'receipt';
const KINDS: readonly Kind[] = ['lot', 'progress', 'receipt'];

/** A deterministic wobble in [0.9, 1.1) from a version number. */
const wobble = (version: number): number => 0.9 + 0.2 * ((version * 0.6180339887) % 1);

export class EventMix {
  private readonly lots: readonly LotSpec[];
  private readonly receipts: readonly ReceiptSpec[];
  private readonly operations: readonly OperationInProgress[];
  private readonly versions = new Map<string, number>();
  private readonly kinds: readonly Kind[];
  private sequence = 0;

  constructor(
    private readonly plant: string,
    problem: PlantProblem,
    inProgress: readonly OperationInProgress[],
    private readonly client: number,
    clients: number,
    private readonly runId: string,
  ) {
    const own = <T>(list: readonly T[]): readonly T[] => list.filter((_, i) => i % clients === client);
    this.lots = own(problem.lots ?? []);
    this.receipts = own(problem.receipts ?? []);
    this.operations = own(inProgress);
    this.kinds = KINDS.filter((k) => this.pool(k) > 0);
    if (this.kinds.length === 0) throw new Error(`client ${client} owns no lot, receipt or operation: use fewer clients`);
  }

  /** The next `size` events (ids unique across clients and runs). */
  batch(size: number): EventEnvelope[] {
    const at = new Date().toISOString();
    return Array.from({ length: size }, () => this.next(at));
  }

  private pool(kind: Kind): number {
    return kind === 'lot' ? this.lots.length : kind === 'receipt' ? this.receipts.length : this.operations.length;
  }

  /** Versions start above the ones the plant was loaded with (1). */
  private bump(key: string): number {
    const version = (this.versions.get(key) ?? 1) + 1;
    this.versions.set(key, version);
    return version;
  }

  private next(occurredAt: string): EventEnvelope {
    const n = this.sequence++;
    const kind = this.kinds[n % this.kinds.length]!;
    const pick = Math.floor(n / this.kinds.length) % this.pool(kind);
    const id = `bench-${this.runId}-c${this.client}-${n}`;
    const base = { id, plant: this.plant, occurredAt };
    switch (kind) {
      case 'lot': {
        const lot = this.lots[pick]!;
        const version = this.bump(`lot:${lot.id}`);
        return {
          ...base, source: 'wms', type: 'lot.upserted', version,
          data: { ...lot, quantity: Math.max(1, Math.round(lot.quantity * wobble(version))) },
        };
      }
      case 'receipt': {
        const receipt = this.receipts[pick]!;
        const version = this.bump(`receipt:${receipt.id}`);
        return {
          ...base, source: 'erp', type: 'receipt.upserted', version,
          data: { ...receipt, quantity: Math.max(1, Math.round(receipt.quantity * wobble(version))) },
        };
      }
      case 'progress': {
        const op = this.operations[pick]!;
        const version = this.bump(`op:${op.workOrder}/${op.operation}`);
        // Cumulative good quantity creeping up, never finishing the operation.
        const quantityGood = Math.min(op.quantity - 1, Math.floor(version / 50));
        return {
          ...base, source: 'mes', type: 'operation.progressed', version,
          data: { workOrder: op.workOrder, operation: op.operation, quantityGood: Math.max(0, quantityGood) },
        };
      }
    }
  }
}
