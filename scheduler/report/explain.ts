/**
 * Why an order ends where it does: walk back from its last operation along the constraints that
 * set each start (capacity behind another order, calendar, predecessor, material, release),
 * following pegged material into the producing order's own chain. An operation that waited for
 * a machine or a shift was first ready when its predecessor, its material or its release let
 * it: the chain goes on from whichever that was, so a wait for material is named even when a
 * last hour behind another order was the final push.
 */
import { earliestStart } from '../dispatch/constructive.ts';
import type { MaterialPlan, Placement } from '../dispatch/placement.ts';
import type { Model } from '../model.ts';
import { toIso } from '../model.ts';
import type { ReasonLink } from '../result.ts';

const MAX_LINKS = 12;

export function reasonChain(model: Model, placement: Placement, materials: MaterialPlan, order: number): ReasonLink[] {
  const links: ReasonLink[] = [];
  const visited = new Set<number>();
  let op: number | undefined = model.orders[order]!.operations.at(-1);
  while (op !== undefined && !visited.has(op) && links.length < MAX_LINKS) {
    visited.add(op);
    const spec = model.operations[op]!;
    const cause = placement.cause[op];
    const at = toIso(model, placement.start[op]!);
    const routingPredecessor: number | undefined = model.orders[spec.order]!.operations[model.orders[spec.order]!.operations.indexOf(op) - 1];
    if (!cause) break;
    switch (cause.kind) {
      case 'capacity': {
        const resource = model.resources[placement.resource[op]!]!;
        const ready = earliestStart(model, placement, materials, routingPredecessor ?? -1, op);
        links.push({
          kind: 'capacity', operation: label(model, op), workCenter: model.workCenters[resource.workCenter]!.id, unit: resource.unit,
          behind: label(model, cause.blocker), at, waitMinutes: Math.max(0, placement.start[op]! - ready.earliest),
        });
        // The blocker has its own chain; this one follows what made the operation ready.
        op = followReady(model, placement, materials, op, routingPredecessor, ready, links);
        break;
      }
      case 'calendar': {
        const resource = model.resources[placement.resource[op]!]!;
        const ready = earliestStart(model, placement, materials, routingPredecessor ?? -1, op);
        links.push({
          kind: 'calendar', operation: label(model, op), workCenter: model.workCenters[resource.workCenter]!.id, at,
          waitMinutes: Math.max(0, placement.start[op]! - ready.earliest),
        });
        op = followReady(model, placement, materials, op, routingPredecessor, ready, links);
        break;
      }
      case 'predecessor':
        links.push({ kind: 'predecessor', operation: label(model, op), after: label(model, cause.op), at });
        op = cause.op;
        break;
      case 'material':
        links.push(materialLink(model, placement, materials, op, cause.demand, cause.source, cause.at, routingPredecessor));
        op = undefined;
        break;
      case 'producer':
        links.push(producerLink(model, placement, op, cause.demand, cause.producerOp, placement.start[op]!, routingPredecessor));
        op = cause.producerOp;
        break;
      case 'release':
        links.push(releaseLink(model, placement, op, placement.start[op]!, routingPredecessor));
        op = undefined;
        break;
      case 'now':
        links.push({ kind: 'now', operation: label(model, op), at });
        op = undefined;
        break;
      case 'fixed':
        // A pin or a frozen slot later than the operation could start holds it back too.
        links.push({
          kind: 'fixed', operation: label(model, op), by: cause.by, at,
          waitMinutes: Math.max(0, placement.start[op]! - earliestStart(model, placement, materials, routingPredecessor ?? -1, op).earliest),
        });
        op = undefined;
        break;
    }
  }
  return links;
}

/**
 * What made `op` ready to start (`ready`, before it waited for a machine or a shift): its
 * predecessor (the chain goes on there), a producing order (there too), or material or the
 * release, which end the chain with a link of their own. Ready now: the chain ends.
 */
function followReady(
  model: Model, placement: Placement, materials: MaterialPlan, op: number, predecessor: number | undefined,
  ready: ReturnType<typeof earliestStart>, links: ReasonLink[],
): number | undefined {
  const { earliest, cause } = ready;
  switch (cause.kind) {
    case 'predecessor': return cause.op;
    case 'material':
      links.push(materialLink(model, placement, materials, op, cause.demand, cause.source, cause.at, predecessor));
      return undefined;
    case 'producer':
      links.push(producerLink(model, placement, op, cause.demand, cause.producerOp, earliest, predecessor));
      return cause.producerOp;
    case 'release':
      links.push(releaseLink(model, placement, op, earliest, predecessor));
      return undefined;
    default:
      return undefined;
  }
}

/** A wait, until `readyAt`, for the output of the order that makes the demand's item. */
function producerLink(model: Model, placement: Placement, op: number, demand: number, producerOp: number, readyAt: number, predecessor: number | undefined): ReasonLink {
  return {
    kind: 'material', operation: label(model, op), item: model.demands[demand]!.item,
    source: model.orders[model.operations[producerOp]!.order]!.id, at: toIso(model, readyAt),
    waitMinutes: Math.max(0, readyAt - readyWithout(model, placement, op, predecessor)),
  };
}

/** A wait, until `readyAt`, for the order's release. */
function releaseLink(model: Model, placement: Placement, op: number, readyAt: number, predecessor: number | undefined): ReasonLink {
  return { kind: 'release', operation: label(model, op), at: toIso(model, readyAt), waitMinutes: Math.max(0, readyAt - predecessorReady(model, placement, predecessor)) };
}

/** A wait for a lot or a receipt, with the orders that got the item's earlier stock. */
function materialLink(
  model: Model, placement: Placement, materials: MaterialPlan, op: number, demand: number, source: string, at: number, predecessor: number | undefined,
): ReasonLink {
  const { item, order } = model.demands[demand]!;
  const takers = [...new Set((stockTakers(model, materials).get(item) ?? []).filter((t) => t.order !== order && t.at < at).map((t) => model.orders[t.order]!.id))].sort();
  return {
    kind: 'material', operation: label(model, op), item, source, at: toIso(model, at),
    waitMinutes: Math.max(0, at - readyWithout(model, placement, op, predecessor)),
    ...(takers.length > 0 && { stockTakenBy: takers.slice(0, 5) }),
  };
}

const takersByPlan = new WeakMap<MaterialPlan, Map<string, { order: number; at: number }[]>>();

/** Per item, which order drew a lot or receipt available when: built once per material plan. */
function stockTakers(model: Model, materials: MaterialPlan): Map<string, { order: number; at: number }[]> {
  let index = takersByPlan.get(materials);
  if (index !== undefined) return index;
  index = new Map();
  model.demands.forEach((d, i) => {
    for (const s of materials.sources[i] ?? []) {
      const supply = model.supplies[s]!;
      if (supply.kind === 'order') continue;
      const list = index!.get(d.item) ?? [];
      list.push({ order: d.order, at: supply.availableAt });
      index!.set(d.item, list);
    }
  });
  takersByPlan.set(materials, index);
  return index;
}

/** When `op` would be ready but for its material: now, its release, its predecessor done. */
function readyWithout(model: Model, placement: Placement, op: number, predecessor: number | undefined): number {
  return Math.max(model.orders[model.operations[op]!.order]!.release, predecessorReady(model, placement, predecessor));
}

function predecessorReady(model: Model, placement: Placement, predecessor: number | undefined): number {
  if (predecessor === undefined || placement.resource[predecessor]! < 0) return 0;
  return placement.end[predecessor]! + model.operations[predecessor]!.waitAfter;
}

/** `order/operation`, how operations are named in explanations. */
export function label(model: Model, op: number): string {
  const spec = model.operations[op]!;
  return `${model.orders[spec.order]!.id}/${spec.id}`;
}
