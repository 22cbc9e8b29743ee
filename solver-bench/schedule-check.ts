/**
 * Independent check of a job-shop schedule, so no makespan is counted (ours or a peer's)
 * unless the schedule behind it is valid: every operation on one of its machines, with that
 * machine's duration, after its job predecessor, and never overlapping on a machine.
 */
import type { JobShopPlacement } from '../scheduler/jssp.ts';

export interface Alternative {
  readonly machine: number;
  readonly duration: number;
}

/** alternatives[j][k]: the machines job j's k-th operation may use (one for classic JSSP). */
export type JobShopShape = readonly (readonly (readonly Alternative[])[])[];

export function shapeOfJssp(operations: readonly (readonly Alternative[])[]): JobShopShape {
  return operations.map((job) => job.map((op) => [op]));
}

export type CheckOutcome = { readonly makespan: number } | { readonly error: string };

export function checkJobShopSchedule(shape: JobShopShape, placements: readonly (readonly JobShopPlacement[])[]): CheckOutcome {
  if (placements.length !== shape.length) return { error: `expected ${shape.length} jobs, got ${placements.length}` };
  const busy = new Map<number, { start: number; end: number; what: string }[]>();
  let makespan = 0;
  for (let j = 0; j < shape.length; j++) {
    const ops = shape[j]!;
    const placed = placements[j]!;
    if (placed.length !== ops.length) return { error: `job ${j}: expected ${ops.length} operations, got ${placed.length}` };
    let previousEnd = 0;
    for (let k = 0; k < ops.length; k++) {
      const { machine, start } = placed[k]!;
      const mode = ops[k]!.find((alt) => alt.machine === machine);
      const what = `job ${j} op ${k}`;
      if (!mode) return { error: `${what}: machine ${machine} is not one of its alternatives` };
      if (!Number.isInteger(start) || start < 0) return { error: `${what}: start ${start} is not a non-negative integer` };
      if (start < previousEnd) return { error: `${what}: starts at ${start} before its predecessor ends at ${previousEnd}` };
      const end = start + mode.duration;
      previousEnd = end;
      makespan = Math.max(makespan, end);
      const list = busy.get(machine) ?? [];
      list.push({ start, end, what });
      busy.set(machine, list);
    }
  }
  for (const [machine, list] of busy) {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!;
      const after = list[i]!;
      if (after.start < before.end) return { error: `machine ${machine}: ${before.what} and ${after.what} overlap` };
    }
  }
  return { makespan };
}
