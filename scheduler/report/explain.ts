/**
 * Why an order ends where it does: walk back from its last operation along the constraints that
 * set each start (capacity behind another order, calendar, predecessor, material, release),
 * following pegged material into the producing order's own chain.
 */
import type { Placement } from '../dispatch/placement.ts';
import type { Model } from '../model.ts';
import { toIso } from '../model.ts';
import type { ReasonLink } from '../result.ts';

const MAX_LINKS = 12;

export function reasonChain(model: Model, placement: Placement, order: number): ReasonLink[] {
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
        links.push({
          kind: 'capacity', operation: label(model, op), workCenter: model.workCenters[resource.workCenter]!.id, unit: resource.unit,
          behind: label(model, cause.blocker), at,
        });
        // The blocker has its own chain; this one follows the order's routing.
        op = routingPredecessor;
        break;
      }
      case 'calendar': {
        const resource = model.resources[placement.resource[op]!]!;
        links.push({ kind: 'calendar', operation: label(model, op), workCenter: model.workCenters[resource.workCenter]!.id, at });
        op = routingPredecessor;
        break;
      }
      case 'predecessor':
        links.push({ kind: 'predecessor', operation: label(model, op), after: label(model, cause.op), at });
        op = cause.op;
        break;
      case 'material':
        links.push({ kind: 'material', operation: label(model, op), item: model.demands[cause.demand]!.item, source: cause.source, at: toIso(model, cause.at) });
        op = undefined;
        break;
      case 'producer':
        links.push({
          kind: 'material', operation: label(model, op), item: model.demands[cause.demand]!.item,
          source: model.orders[model.operations[cause.producerOp]!.order]!.id, at,
        });
        op = cause.producerOp;
        break;
      case 'release':
        links.push({ kind: 'release', operation: label(model, op), at });
        op = undefined;
        break;
      case 'now':
        links.push({ kind: 'now', operation: label(model, op), at });
        op = undefined;
        break;
      case 'fixed':
        links.push({ kind: 'fixed', operation: label(model, op), by: cause.by, at });
        op = undefined;
        break;
    }
  }
  return links;
}

/** `order/operation`, how operations are named in explanations. */
export function label(model: Model, op: number): string {
  const spec = model.operations[op]!;
  return `${model.orders[spec.order]!.id}/${spec.id}`;
}
