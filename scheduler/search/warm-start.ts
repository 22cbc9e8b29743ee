/**
 * The previous schedule as a starting point: each movable operation on the unit (and a mode of
 * it) it had, in the order it had; operations new since then keep the constructive pass's unit
 * and slot in by their constructive start. A reschedule after one event then starts near the
 * plan the shop is following and spends its budget improving it, not rebuilding it.
 */
import type { Placement } from '../dispatch/placement.ts';
import type { SearchContext } from './context.ts';
import { SequenceState } from './sequences.ts';

/** Null when the problem carries no previous schedule for any movable operation. */
export function previousSequences(ctx: SearchContext, placement: Placement): SequenceState | null {
  const { model } = ctx;
  const resource = placement.resource.slice();
  const mode = placement.mode.slice();
  const orderKey = new Float64Array(model.operations.length);
  let kept = 0;
  for (const op of ctx.movable) {
    orderKey[op] = placement.start[op]!;
    const previous = model.previous.get(op);
    if (previous === undefined) continue;
    const options = ctx.options[op]!;
    const option = options.find((o) => o.resource === previous.resource && o.mode === mode[op]) ?? options.find((o) => o.resource === previous.resource);
    if (option === undefined) continue;
    resource[op] = option.resource;
    mode[op] = option.mode;
    orderKey[op] = previous.start;
    kept++;
  }
  if (kept === 0) return null;
  const sequences: number[][] = Array.from({ length: model.resources.length }, () => []);
  for (const op of ctx.movable) sequences[resource[op]!]!.push(op);
  for (const seq of sequences) seq.sort((a, b) => orderKey[a]! - orderKey[b]! || placement.start[a]! - placement.start[b]! || a - b);
  return new SequenceState(sequences, resource, mode);
}
