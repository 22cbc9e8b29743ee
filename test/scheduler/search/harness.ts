/**
 * Runs the engine's pipeline up to the search (compile → peg → construct) so tests can call
 * `improveSchedule` directly, and checks a placement against the schedule's invariants.
 */
import { compileProblem } from '../../../scheduler/compile.ts';
import { constructSchedule } from '../../../scheduler/dispatch/constructive.ts';
import type { Placement } from '../../../scheduler/dispatch/placement.ts';
import type { Model } from '../../../scheduler/model.ts';
import { pegMaterials } from '../../../scheduler/pegging.ts';
import type { PlantProblem } from '../../../scheduler/problem.ts';
import type { SearchStart } from '../../../scheduler/search/improve.ts';

export interface Prepared {
  readonly model: Model;
  readonly start: SearchStart;
}

export function prepare(problem: PlantProblem): Prepared {
  const compiled = compileProblem(problem, Date.parse(problem.now!));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  const { model } = compiled.compiled;
  const unschedulable = new Set(model.orders.flatMap((order, o) => (order.heldBy.length > 0 || order.completed ? [o] : [])));
  const pegging = pegMaterials(model, unschedulable, new Set());
  const excluded = new Set([...unschedulable, ...pegging.short.keys()]);
  const built = constructSchedule({ model, materials: pegging.plan, excluded });
  return {
    model,
    start: { placement: built.placement, materials: built.materials, excluded: new Set([...excluded, ...built.failed.keys()]) },
  };
}

/** Every broken invariant, as readable lines (empty when the schedule is valid). */
export function violations({ model, start }: Prepared, placement: Placement): string[] {
  const out: string[] = [];
  const base = start.placement;
  const byResource = new Map<number, number[]>();
  model.operations.forEach((spec, op) => {
    const r = placement.resource[op]!;
    if ((base.resource[op]! >= 0) !== (r >= 0)) out.push(`op ${op}: placed ${r >= 0}, was ${base.resource[op]! >= 0}`);
    if (r < 0) return;
    if (base.cause[op]?.kind === 'fixed') {
      if (r !== base.resource[op] || placement.start[op] !== base.start[op] || placement.end[op] !== base.end[op]) out.push(`op ${op}: fixed work moved`);
      return;
    }
    const mode = spec.modes[placement.mode[op]!];
    const resource = model.resources[r]!;
    if (!mode || mode.workCenter !== resource.workCenter) out.push(`op ${op}: resource ${r} not in its mode`);
    else if (resource.working.workBetween(placement.start[op]!, placement.end[op]!) !== mode.duration) out.push(`op ${op}: works outside working time`);
    if (mode && spec.nonInterruptible && mode.duration > 0 && placement.end[op]! > resource.working.stretchEnd(placement.start[op]!)) {
      out.push(`op ${op}: non-interruptible work interrupted`);
    }
    byResource.set(r, [...(byResource.get(r) ?? []), op]);
    const order = model.orders[spec.order]!;
    if (placement.start[op]! < order.release) out.push(`op ${op}: before release`);
    const k = order.operations.indexOf(op);
    const pred = k > 0 ? order.operations[k - 1]! : -1;
    if (pred >= 0 && placement.resource[pred]! >= 0 && placement.start[op]! < placement.end[pred]! + model.operations[pred]!.waitAfter) {
      out.push(`op ${op}: starts before its predecessor ${pred} ends plus wait`);
    }
    for (const d of spec.demands) {
      if (placement.start[op]! < start.materials.readyAt[d]!) out.push(`op ${op}: before its material is there`);
      for (const producer of start.materials.producers[d]!) {
        const last = model.orders[producer]!.operations.at(-1);
        if (last !== undefined && placement.resource[last]! >= 0 && placement.start[op]! < placement.end[last]!) out.push(`op ${op}: before producer op ${last} ends`);
      }
    }
  });
  // Fixed work counts as occupying its machine too.
  for (let op = 0; op < model.operations.length; op++) {
    const r = placement.resource[op]!;
    if (r >= 0 && base.cause[op]?.kind === 'fixed') byResource.set(r, [...(byResource.get(r) ?? []), op]);
  }
  for (const [r, ops] of byResource) {
    const busy = ops.filter((op) => placement.end[op]! > placement.start[op]!).sort((a, b) => placement.start[a]! - placement.start[b]!);
    for (let i = 1; i < busy.length; i++) {
      const a = busy[i - 1]!;
      const b = busy[i]!;
      const bothStarted = base.cause[a]?.kind === 'fixed' && base.cause[b]?.kind === 'fixed';
      if (!bothStarted && placement.start[b]! < placement.end[a]!) out.push(`resource ${r}: ops ${a} and ${b} overlap`);
    }
  }
  return out;
}
