/**
 * The batch's view of plant state: what the database held for the keys the batch needs, with
 * the changes of the batch's earlier accepted events laid over it, so that each event is
 * judged as if the ones before it had been written already. Asking for a key that was not
 * loaded is a bug (the handler's `needs` missed it), not an unknown reference: it throws.
 */
import type { ProgressRecord } from '../../store/operation-progress.ts';
import type { ShopFloorPolicy } from '../../store/plant-policies.ts';
import { routingStep, type OrderFacts, type RoutingStep } from '../../store/work-orders.ts';
import type { Change } from './changes.ts';
import type { KeyTable } from './needs.ts';

export interface ReceiptFacts {
  readonly item: string;
  readonly quantity: number;
}

/** Per looked-up key: its value, or null when the plant does not have it. */
export interface PlantSnapshot {
  readonly keys: Map<KeyTable, Map<string, boolean>>;
  readonly workCenterUnits: Map<string, number | null>;
  readonly routings: Map<string, readonly RoutingStep[] | null>;
  /** Quantity and status of the orders whose routing is looked up. */
  readonly orders: Map<string, OrderFacts | null>;
  /** Start of each downtime looked up. */
  readonly downtimeStarts: Map<string, string | null>;
  /** The plant's shop-floor policy (the default where none is stored or none was needed). */
  readonly shopFloor: ShopFloorPolicy;
  readonly receipts: Map<string, ReceiptFacts | null>;
  /** Per work order looked up, its operations' progress by operation. */
  readonly progress: Map<string, Map<string, ProgressRecord>>;
}

function lookup<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  if (!map.has(key)) throw new Error(`ingest: ${what} ${String(key)} was not loaded for the batch`);
  return map.get(key) as V;
}

export class PlantView {
  constructor(private readonly snapshot: PlantSnapshot) {}

  has(table: KeyTable, key: string): boolean {
    return lookup(this.snapshot.keys.get(table) ?? new Map<string, boolean>(), key, table);
  }

  /** Units of the work center, or null when it is unknown. */
  workCenterUnits(id: string): number | null {
    return lookup(this.snapshot.workCenterUnits, id, 'work center');
  }

  /** The order's operations in sequence, or null when the order is unknown. */
  routing(workOrder: string): readonly RoutingStep[] | null {
    return lookup(this.snapshot.routings, workOrder, 'routing of');
  }

  /** Quantity and status of an order whose routing the handler needs, or null when it is unknown. */
  order(workOrder: string): OrderFacts | null {
    return lookup(this.snapshot.orders, workOrder, 'order');
  }

  downtimeStart(id: string): string | null {
    return lookup(this.snapshot.downtimeStarts, id, 'downtime');
  }

  get shopFloor(): ShopFloorPolicy {
    return this.snapshot.shopFloor;
  }

  receipt(id: string): ReceiptFacts | null {
    return lookup(this.snapshot.receipts, id, 'receipt');
  }

  progress(workOrder: string, operation: string): ProgressRecord | null {
    return lookup(this.snapshot.progress, workOrder, 'progress of').get(operation) ?? null;
  }

  /** Lays an accepted event's change over the view. */
  apply(change: Change): void {
    const s = this.snapshot;
    switch (change.kind) {
      case 'calendar': return this.add('calendars', change.calendar.id);
      case 'item': return this.add('items', change.item.id);
      case 'lot': return this.add('lots', change.lot.id);
      case 'hold': return this.add('holds', change.hold.id);
      case 'downtime':
        s.downtimeStarts.set(change.downtime.id, change.downtime.start);
        return this.add('downtimes', change.downtime.id);
      case 'work-center':
        s.workCenterUnits.set(change.workCenter.id, change.workCenter.units);
        return;
      case 'work-order':
        this.add('work_orders', change.order.id);
        s.routings.set(change.order.id, change.order.operations.map(routingStep));
        s.orders.set(change.order.id, { quantity: change.order.quantity, status: change.order.status ?? null });
        return;
      case 'work-order-status': {
        const facts = s.orders.get(change.id);
        if (facts) s.orders.set(change.id, { ...facts, status: change.status });
        return;
      }
      case 'receipt':
        s.receipts.set(change.receipt.id, { item: change.receipt.item, quantity: change.receipt.quantity });
        return;
      case 'progress':
        lookup(s.progress, change.record.workOrder, 'progress of').set(change.record.operation, change.record);
        return;
      // These change rows the view already knows exist; nothing a later check reads.
      case 'plant':
      case 'operation-time':
      case 'receipt-status':
      case 'hold-release':
      case 'downtime-end':
        return;
    }
  }

  private add(table: KeyTable, key: string): void {
    let keys = this.snapshot.keys.get(table);
    if (keys === undefined) this.snapshot.keys.set(table, (keys = new Map()));
    keys.set(key, true);
  }
}

/** All plants of a batch. */
export class BatchView {
  constructor(
    /** Plants that exist (in the database or made by an earlier event of the batch). */
    private readonly plants: Set<string>,
    private readonly views: ReadonlyMap<string, PlantView>,
  ) {}

  plantExists(plant: string): boolean {
    return this.plants.has(plant);
  }

  of(plant: string): PlantView {
    return lookup(this.views, plant, 'plant');
  }

  apply(change: Change): void {
    if (change.kind === 'plant') this.plants.add(change.plant);
    this.of(change.plant).apply(change);
  }
}
