/**
 * Critical paths on a decoded schedule: from a target operation (the end of the most tardy
 * order, or of the schedule) back along the links that bound each start, and the blocks of
 * that path (runs of consecutive operations on one machine) that the moves work on.
 */
import type { Placement } from '../dispatch/placement.ts';
import type { SearchContext } from './context.ts';
import { LINK_MACHINE, type Decoder } from './decode.ts';
import type { SearchRandom } from './prng.ts';

/** How many of the latest orders (by weighted tardiness) a step may take its target from. */
const TARGET_SPREAD = 256;

/** Ops of the path in time order, and the block each one belongs to (blocks as op lists). */
export interface CriticalPath {
  readonly ops: readonly number[];
  readonly blocks: readonly (readonly number[])[];
}

/**
 * The operation whose start chain matters most: for due dates, the last operation of one of
 * the orders with the largest weighted tardiness (mostly the first, else any of the 256
 * worst); when none is late, the schedule's last operation, sometimes (for flow time) a random
 * order's last operation.
 */
export function pickTarget(ctx: SearchContext, placement: Placement, random: SearchRandom): number {
  const { model, isMovable } = ctx;
  if (model.objective !== 'makespan') {
    const tardy: { op: number; cost: number }[] = [];
    model.orders.forEach((order) => {
      const last = order.operations.at(-1);
      if (last === undefined || !isMovable[last]) return;
      const cost = order.weight * (placement.end[last]! - order.due);
      if (cost > 0) tardy.push({ op: last, cost });
    });
    if (tardy.length > 0) {
      tardy.sort((a, b) => b.cost - a.cost || a.op - b.op);
      // Mostly the worst order; otherwise any of the next worst, so that many get worked on: a
      // plant has hundreds of late orders, and the worst one's path is often stuck for a while.
      const pick = random.next() < 0.6 ? 0 : random.below(Math.min(tardy.length, TARGET_SPREAD));
      return tardy[pick]!.op;
    }
    if (random.next() < 0.3) {
      const lasts = model.orders.map((o) => o.operations.at(-1)).filter((op): op is number => op !== undefined && isMovable[op] === 1);
      if (lasts.length > 0) return lasts[random.below(lasts.length)]!;
    }
  }
  let target = -1;
  let end = -Infinity;
  let ties = 0;
  for (const op of ctx.movable) {
    const e = placement.end[op]!;
    if (e > end) {
      end = e;
      target = op;
      ties = 1;
    } else if (e === end && random.below(++ties) === 0) {
      target = op;
    }
  }
  return target;
}

export function criticalPath(ctx: SearchContext, decoder: Decoder, target: number): CriticalPath {
  const reversed: number[] = [];
  for (let op = target; op >= 0 && ctx.isMovable[op] && reversed.length <= ctx.movable.length; op = decoder.link[op]!) {
    reversed.push(op);
  }
  const ops = reversed.reverse();
  const blocks: number[][] = [];
  let block: number[] = [];
  for (const op of ops) {
    if (block.length > 0 && decoder.linkKind[op] === LINK_MACHINE && decoder.link[op] === block[block.length - 1]) {
      block.push(op);
    } else {
      if (block.length > 1) blocks.push(block);
      block = [op];
    }
  }
  if (block.length > 1) blocks.push(block);
  return { ops, blocks };
}
