/** A schedule's operations as the `previous` of the next problem: where each ran and when, for the stability term and the warm start. */
import type { PlantProblem, PreviousAssignment } from './problem.ts';
import type { ScheduledOperation } from './result.ts';

export function previousAssignments(operations: readonly ScheduledOperation[]): PreviousAssignment[] {
  return operations.map((op) => ({ workOrder: op.workOrder, operation: op.operation, workCenter: op.workCenter, unit: op.unit, start: op.start, end: op.end }));
}

/** The problem with `operations` (a solve's result) as its previous schedule. */
export function withPrevious(problem: PlantProblem, operations: readonly ScheduledOperation[]): PlantProblem {
  return { ...problem, previous: previousAssignments(operations) };
}
