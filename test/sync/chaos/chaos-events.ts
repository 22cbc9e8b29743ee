/**
 * The chaos test's event source: a seeded stream of plausible changes to a loaded plant —
 * MES progress and breakdowns, QMS holds and releases, WMS lot updates, ERP receipts and order
 * re-prioritisations (each a new version of its object) — plus deliberate repeats of events
 * already sent and deliberately stale versions. It learns the outcome of every send, so that
 * each batch refers only to what was accepted before (every event it makes should be valid).
 */
import type { LotSpec, PlantProblem, ReceiptSpec, WorkOrderSpec } from '../../../scheduler/problem.ts';
import type { EventEnvelope, EventOutcome, Source } from '../../../sync/ports.ts';
import { Prng } from '../../../solver-bench/prng.ts';

const HOUR = 3_600_000;

export type Intent = 'new' | 'repeat' | 'stale';

export interface SentEvent {
  readonly event: EventEnvelope;
  readonly intent: Intent;
  /** The object whose version the event carries, as `source|kind|key`. */
  readonly object: string;
}

function orderPayload(order: WorkOrderSpec): Record<string, unknown> {
  const operations = order.operations.map(({ status: _s, progress: _p, pin: _pin, ...op }) => op);
  const { status: _status, ...rest } = order;
  return { ...rest, operations };
}

export class ChaosEvents {
  private readonly rng: Prng;
  private readonly plant: string;
  private readonly nowMs: number;
  private readonly orders: readonly WorkOrderSpec[];
  private readonly lots: LotSpec[];
  private readonly receipts: ReceiptSpec[];
  private readonly workCenters: readonly string[];
  private readonly items: readonly string[];
  /** Next version to send per object (loads were version 1). */
  private readonly nextVersion = new Map<string, number>();
  /** Highest version accepted per object so far. */
  private readonly acceptedVersion = new Map<string, number>();
  private readonly sent: SentEvent[] = [];
  private readonly progress = new Map<string, number>();
  private readonly openDowntimes: { id: string; start: number }[] = [];
  private readonly activeHolds: string[] = [];
  private readonly pendingDowntimes = new Map<string, number>();
  private readonly pendingHolds = new Set<string>();
  private counter = 0;

  constructor(problem: PlantProblem, seed: number) {
    this.rng = new Prng(seed);
    this.plant = problem.plant.id;
    this.nowMs = Date.parse(problem.now!);
    this.orders = problem.workOrders;
    this.lots = [...(problem.lots ?? [])];
    this.receipts = [...(problem.receipts ?? [])];
    this.workCenters = problem.workCenters.map((wc) => wc.id);
    this.items = (problem.items ?? []).map((i) => i.id);
  }

  /** The next batch; `size` events, some of them repeats or stale on purpose. */
  batch(size: number): readonly SentEvent[] {
    const out: SentEvent[] = [];
    while (out.length < size) {
      const roll = this.rng.next();
      const made = roll < 0.08 ? this.repeat() : roll < 0.13 ? this.staleOrder() : this.change();
      if (made !== null) out.push(made);
    }
    this.sent.push(...out.filter((s) => s.intent !== 'repeat'));
    return out;
  }

  /** Learns the outcomes of a batch (in order) from whichever send of it answered. */
  learn(batch: readonly SentEvent[], outcomes: readonly EventOutcome[]): void {
    for (const [i, sent] of batch.entries()) {
      const outcome = outcomes[i];
      if (outcome?.status !== 'accepted') continue;
      const version = sent.event.version;
      if (version > (this.acceptedVersion.get(sent.object) ?? 0)) this.acceptedVersion.set(sent.object, version);
      if (sent.event.type === 'downtime.started') {
        const start = this.pendingDowntimes.get(sent.event.id);
        if (start !== undefined) this.openDowntimes.push({ id: (sent.event.data as { id: string }).id, start });
      }
      if (sent.event.type === 'hold.placed') this.activeHolds.push((sent.event.data as { id: string }).id);
    }
  }

  private envelope(source: Source, type: string, object: string, version: number, data: object, intent: Intent, id?: string): SentEvent {
    this.counter += 1;
    return {
      event: {
        id: id ?? `chaos-${this.counter}-${type}`, source, type, plant: this.plant,
        occurredAt: new Date(this.nowMs).toISOString(), version, data: data as Record<string, unknown>,
      },
      intent,
      object,
    };
  }

  private bump(object: string): number {
    const version = this.nextVersion.get(object) ?? 2;
    this.nextVersion.set(object, version + 1);
    return version;
  }

  private repeat(): SentEvent | null {
    if (this.sent.length === 0) return null;
    const original = this.rng.pick(this.sent);
    return { ...original, intent: 'repeat' };
  }

  /** An order update older than one already accepted: must come back stale. */
  private staleOrder(): SentEvent | null {
    const candidates = this.orders.filter((o) => (this.acceptedVersion.get(`erp|work_order|${o.id}`) ?? 1) >= 2);
    if (candidates.length === 0) return null;
    const order = this.rng.pick(candidates);
    const object = `erp|work_order|${order.id}`;
    const accepted = this.acceptedVersion.get(object)!;
    return this.envelope('erp', 'work_order.upserted', object, this.rng.int(1, accepted - 1),
      { ...orderPayload(order), priority: 99 }, 'stale');
  }

  private change(): SentEvent {
    const kind = this.rng.weighted(
      ['priority', 'progress', 'downtime', 'downtime-end', 'hold', 'release', 'lot', 'receipt'] as const,
      [30, 15, 8, 6, 6, 5, 15, 15],
    );
    switch (kind) {
      case 'priority': {
        const order = this.rng.pick(this.orders);
        const object = `erp|work_order|${order.id}`;
        const due = new Date(Date.parse(order.due) + this.rng.int(-3, 3) * 24 * HOUR).toISOString();
        return this.envelope('erp', 'work_order.upserted', object, this.bump(object),
          { ...orderPayload(order), priority: this.rng.int(1, 5), due }, 'new');
      }
      case 'progress': {
        const order = this.rng.pick(this.orders);
        const op = order.operations[0]!;
        const key = JSON.stringify([order.id, op.id]);
        const object = `mes|operation|${key}`;
        const done = Math.min(order.quantity - 1, (this.progress.get(key) ?? 0) + this.rng.int(0, 2));
        this.progress.set(key, done);
        return this.envelope('mes', 'operation.progressed', object, this.bump(object),
          { workOrder: order.id, operation: op.id, quantityGood: Math.max(0, done), workCenter: op.modes[0]!.workCenter, unit: 1 }, 'new');
      }
      case 'downtime': {
        this.counter += 1;
        const id = `DT-CHAOS-${this.counter}`;
        const start = this.nowMs + this.rng.int(1, 72) * HOUR;
        const made = this.envelope('mes', 'downtime.started', `mes|downtime|${id}`, 1, {
          id, workCenter: this.rng.pick(this.workCenters), start: new Date(start).toISOString(),
          expectedEnd: new Date(start + this.rng.int(2, 12) * HOUR).toISOString(), reason: 'chaos breakdown',
        }, 'new');
        this.pendingDowntimes.set(made.event.id, start);
        return made;
      }
      case 'downtime-end': {
        const open = this.openDowntimes.shift();
        if (open === undefined) return this.change();
        return this.envelope('mes', 'downtime.ended', `mes|downtime|${open.id}`, 2,
          { id: open.id, end: new Date(open.start + HOUR).toISOString() }, 'new');
      }
      case 'hold': {
        this.counter += 1;
        const id = `QH-CHAOS-${this.counter}`;
        const target = this.rng.weighted(['lot', 'item', 'work_order'] as const, [this.lots.length > 0 ? 2 : 0, 1, 2]);
        const targetId = target === 'lot' ? this.rng.pick(this.lots).id : target === 'item' ? this.rng.pick(this.items) : this.rng.pick(this.orders).id;
        this.pendingHolds.add(id);
        return this.envelope('qms', 'hold.placed', `qms|hold|${id}`, 1, { id, target: { kind: target, id: targetId }, reason: 'chaos hold' }, 'new');
      }
      case 'release': {
        if (this.activeHolds.length === 0) return this.change();
        const id = this.activeHolds.splice(this.rng.int(0, this.activeHolds.length - 1), 1)[0]!;
        return this.envelope('qms', 'hold.released', `qms|hold|${id}`, 2, { id, reason: 'released' }, 'new');
      }
      case 'lot': {
        if (this.lots.length === 0) return this.change();
        const lot = this.rng.pick(this.lots);
        const object = `wms|lot|${lot.id}`;
        return this.envelope('wms', 'lot.upserted', object, this.bump(object), {
          ...lot, quantity: Math.max(1, Math.round(lot.quantity * this.rng.float(0.5, 1.5))),
          status: this.rng.weighted(['available', 'held', 'blocked'] as const, [6, 2, 1]),
        }, 'new');
      }
      case 'receipt': {
        if (this.receipts.length === 0 || this.rng.chance(0.3)) {
          this.counter += 1;
          const receipt: ReceiptSpec = {
            id: `PO-CHAOS-${this.counter}`, item: this.rng.pick(this.items),
            quantity: this.rng.int(10, 500), expectedAt: new Date(this.nowMs + this.rng.int(1, 30) * 24 * HOUR).toISOString(),
          };
          this.receipts.push(receipt);
          return this.envelope('erp', 'receipt.upserted', `erp|receipt|${receipt.id}`, 1, receipt, 'new');
        }
        const receipt = this.rng.pick(this.receipts);
        const object = `erp|receipt|${receipt.id}`;
        return this.envelope('erp', 'receipt.upserted', object, this.bump(object), {
          ...receipt, expectedAt: new Date(Date.parse(receipt.expectedAt) + this.rng.int(-2, 5) * 24 * HOUR).toISOString(),
        }, 'new');
      }
    }
  }
}
