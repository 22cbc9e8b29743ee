/**
 * Changes a plant makes in Tryton, each one commit, as its users and its MRP would make them:
 * a draft production's quantity changed (its BOM exploded again, as the client's
 * `on_change_quantity` does), a new production created, a purchase's delivery date moved (the
 * incoming move's planned date, as Tryton 6.0 has the user edit it), and an MRP run re-dating
 * every production in one `write`. Each returns the instants around the commit and the inbox
 * event id prefix under which takt will have ingested the change.
 */
import { TrytonDate, type TrytonRpc } from '../../../sync/connectors/tryton/rpc.ts';
import type { Db } from '../../../sync/store/database.ts';
import * as T from '../../../test/sync/connectors/tryton/tryton-plant.ts';
import { Prng } from '../../prng.ts';
import { productionValues, type BuiltPlant, type BuiltProduction } from './build-plant.ts';

export type ChangeKind = 'quantity' | 'new production' | 'delivery date';
export const CHANGE_KINDS: readonly ChangeKind[] = ['quantity', 'new production', 'delivery date'];

export interface MadeChange {
  readonly kind: ChangeKind;
  /** The RPC was sent / its answer came back (the commit is in between, right before the answer). */
  readonly sent: number;
  readonly committed: number;
  readonly eventPrefix: string;
  /** The production whose own write-back is awaited (none for a delivery date). */
  readonly workOrder: string | null;
  readonly productionId: number | null;
}

const CONNECTION = 'tryton';

export class PlantChanges {
  private readonly rng: Prng;
  private readonly quantities = new Map<number, number>();
  private drafts: BuiltProduction[];
  private nextDraft = 0;
  private nextMove = 0;

  constructor(private readonly rpc: TrytonRpc, private readonly db: Db, private readonly plant: BuiltPlant, seed: number, quantities: ReadonlyMap<number, number>) {
    this.rng = new Prng(seed + 7919);
    this.drafts = plant.productions.filter((p) => p.draft);
    for (const [id, q] of quantities) this.quantities.set(id, q);
  }

  make(kind: ChangeKind): Promise<MadeChange> {
    switch (kind) {
      case 'quantity': return this.changeQuantity();
      case 'new production': return this.createProduction();
      case 'delivery date': return this.moveDelivery();
    }
  }

  /**
   * 150 more units on a draft production, its input and output moves replaced by the new
   * explosion: about one more working day on its machines, so its planned dates must move and
   * a write-back of its own is due (a smaller change often stays within the same dates, which
   * is all Tryton holds).
   */
  private async changeQuantity(): Promise<MadeChange> {
    const p = this.drafts[this.nextDraft++ % this.drafts.length]!;
    const ctx = this.plant.ctx;
    const [row] = await T.read(this.rpc, ctx.context, 'production', [p.id], ['inputs', 'outputs']);
    const quantity = (this.quantities.get(p.id) ?? 0) + 150;
    this.quantities.set(p.id, quantity);
    const template = this.plant.templates.get(p.product)!;
    const values = productionValues(template, this.plant.today, { quantity, dueDay: 0, startDay: 0 });
    const sent = Date.now();
    await T.call(this.rpc, 'production', 'write', [[p.id], {
      quantity,
      inputs: [['delete', row!.inputs as number[]], ...(values.inputs as unknown[])],
      outputs: [['delete', row!.outputs as number[]], ...(values.outputs as unknown[])],
    }], ctx.context);
    return { kind: 'quantity', sent, committed: Date.now(), eventPrefix: `${CONNECTION}:work_order:${p.number}:`, workOrder: p.number, productionId: p.id };
  }

  private async createProduction(): Promise<MadeChange> {
    const ctx = this.plant.ctx;
    const product = this.rng.pick([...this.plant.templates.keys()]);
    const dueDay = this.rng.int(5, 30);
    const values = productionValues(this.plant.templates.get(product)!, this.plant.today, { quantity: this.rng.int(5, 40), dueDay, startDay: dueDay - 1 });
    const sent = Date.now();
    const [id] = await T.call<number[]>(this.rpc, 'production', 'create', [[values]], ctx.context);
    const committed = Date.now();
    const { number } = await T.readOne(this.rpc, ctx.context, 'production', id!, ['number']);
    return { kind: 'new production', sent, committed, eventPrefix: `${CONNECTION}:work_order:${String(number)}:`, workOrder: String(number), productionId: id! };
  }

  /** Four days later, and back on the next visit of the same move (dates stay ahead of today). */
  private async moveDelivery(): Promise<MadeChange> {
    const move = this.plant.purchaseMoves[this.nextMove++ % this.plant.purchaseMoves.length]!;
    const later = Math.floor((this.nextMove - 1) / this.plant.purchaseMoves.length) % 2 === 0;
    move.deliveryDay += later ? 4 : -4;
    const links = await this.db.selectFrom('erp_links').select(['key', 'ref']).where('connection', '=', CONNECTION).where('kind', '=', 'receipt').execute();
    const key = links.find((l) => (l.ref as { move?: number } | null)?.move === move.move)?.key;
    if (key === undefined) throw new Error(`takt holds no receipt for Tryton move ${move.move}`);
    const sent = Date.now();
    await T.moveDeliveryDate(this.rpc, this.plant.ctx, move.move, T.addDays(this.plant.today, move.deliveryDay));
    return { kind: 'delivery date', sent, committed: Date.now(), eventPrefix: `${CONNECTION}:receipt:${key}:`, workOrder: null, productionId: null };
  }

  /**
   * An MRP run: every given production gets a new planned (due) date and start, in one
   * `production.write(ids, values, ids, values, …)` grouped by date pair.
   */
  async redate(productions: readonly BuiltProduction[]): Promise<{ sent: number; committed: number }> {
    const groups = new Map<string, number[]>();
    for (const p of productions) {
      const due = this.rng.int(3, 45);
      const key = `${due}/${Math.max(1, due - this.rng.int(1, 3))}`;
      groups.set(key, [...(groups.get(key) ?? []), p.id]);
    }
    const args = [...groups].flatMap(([key, ids]) => {
      const [due, start] = key.split('/').map(Number) as [number, number];
      return [ids, { planned_date: new TrytonDate(T.addDays(this.plant.today, due)), planned_start_date: new TrytonDate(T.addDays(this.plant.today, start)) }];
    });
    const sent = Date.now();
    await T.call(this.rpc, 'production', 'write', args, this.plant.ctx.context);
    return { sent, committed: Date.now() };
  }
}
