/**
 * When could a short demand be covered if it were given priority? The earliest minute at which
 * the cumulative quantity of the supply it may use (in availability order, regardless of what
 * others were given) reaches its quantity; null when all of it together never does. A cover
 * time of `now` tells the planner that raising the order's priority would take the material
 * from the orders that got it.
 */
import { TOLERANCE, type ItemDemand, type ItemProblem } from './item-problem.ts';

export function earliestCoverAt(problem: ItemProblem, demand: ItemDemand): number | null {
  let cumulative = 0;
  for (const s of demand.eligible) {
    const supply = problem.supplies[s]!;
    cumulative += supply.quantity;
    if (cumulative >= demand.input.quantity - TOLERANCE) return supply.availableAt;
  }
  return null;
}
