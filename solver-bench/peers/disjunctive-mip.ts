/**
 * The textbook disjunctive MIP of the job shop (Manne 1960): a start variable per operation,
 * one binary order variable per pair of operations sharing a machine, big-M disjunctions and a
 * makespan variable. Built once as plain rows so each peer solver only has to spell it.
 *
 *   minimise  C
 *   s[j,k+1] - s[j,k]           >= p[j,k]            (routing order)
 *   C - s[j,last]               >= p[j,last]
 *   s[b] - s[a] - M*y[a,b]      >= p[a] - M          (y = 1: a before b)
 *   s[a] - s[b] + M*y[a,b]      >= p[b]              (y = 0: b before a)
 *   s >= 0, y binary, M = sum of all durations (a valid makespan, so a safe big-M).
 */
import { totalDuration, type JsspInstance, type JobShopPlacement } from '../../scheduler/jssp.ts';

export interface Term {
  readonly variable: string;
  readonly coefficient: number;
}

/** `sum(terms) >= rhs`: every row of this model has that form. */
export interface Row {
  readonly name: string;
  readonly terms: readonly Term[];
  readonly rhs: number;
}

export interface DisjunctiveMip {
  readonly makespanVariable: string;
  readonly startVariables: readonly (readonly string[])[];
  readonly binaries: readonly string[];
  readonly rows: readonly Row[];
  readonly bigM: number;
}

export const startVariable = (j: number, k: number): string => `s_${j}_${k}`;

export function buildDisjunctiveMip(instance: JsspInstance): DisjunctiveMip {
  const bigM = totalDuration(instance.operations);
  const rows: Row[] = [];
  const binaries: string[] = [];
  const startVariables = instance.operations.map((ops, j) => ops.map((_, k) => startVariable(j, k)));
  const makespanVariable = 'cmax';

  instance.operations.forEach((ops, j) => {
    for (let k = 0; k + 1 < ops.length; k++) {
      rows.push({
        name: `prec_${j}_${k}`,
        terms: [
          { variable: startVariable(j, k + 1), coefficient: 1 },
          { variable: startVariable(j, k), coefficient: -1 },
        ],
        rhs: ops[k]!.duration,
      });
    }
    const last = ops.length - 1;
    if (last >= 0) {
      rows.push({
        name: `end_${j}`,
        terms: [
          { variable: makespanVariable, coefficient: 1 },
          { variable: startVariable(j, last), coefficient: -1 },
        ],
        rhs: ops[last]!.duration,
      });
    }
  });

  const onMachine = new Map<number, { j: number; k: number; duration: number }[]>();
  instance.operations.forEach((ops, j) =>
    ops.forEach((op, k) => {
      const list = onMachine.get(op.machine) ?? [];
      list.push({ j, k, duration: op.duration });
      onMachine.set(op.machine, list);
    }),
  );
  for (const list of onMachine.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let z = x + 1; z < list.length; z++) {
        const a = list[x]!;
        const b = list[z]!;
        if (a.j === b.j) continue; // same job: the routing already orders them
        const y = `y_${a.j}_${a.k}_${b.j}_${b.k}`;
        const sa = startVariable(a.j, a.k);
        const sb = startVariable(b.j, b.k);
        binaries.push(y);
        rows.push({
          name: `ab_${y}`,
          terms: [
            { variable: sb, coefficient: 1 },
            { variable: sa, coefficient: -1 },
            { variable: y, coefficient: -bigM },
          ],
          rhs: a.duration - bigM,
        });
        rows.push({
          name: `ba_${y}`,
          terms: [
            { variable: sa, coefficient: 1 },
            { variable: sb, coefficient: -1 },
            { variable: y, coefficient: bigM },
          ],
          rhs: b.duration,
        });
      }
    }
  }
  return { makespanVariable, startVariables, binaries, rows, bigM };
}

/**
 * Turns a solver's start values into an integer schedule: operations are sequenced on each
 * machine by their (possibly fractional) start, then left-shifted to their earliest starts.
 * Returns null when the values imply a cyclic order (a wrong answer, not a schedule).
 */
export function decodeStarts(
  instance: JsspInstance,
  mip: DisjunctiveMip,
  value: (variable: string) => number | undefined,
): JobShopPlacement[][] | null {
  const raw = mip.startVariables.map((row) => row.map((v) => value(v) ?? 0));
  const machineOrder = new Map<number, { j: number; k: number }[]>();
  instance.operations.forEach((ops, j) =>
    ops.forEach((op, k) => {
      const list = machineOrder.get(op.machine) ?? [];
      list.push({ j, k });
      machineOrder.set(op.machine, list);
    }),
  );
  for (const list of machineOrder.values()) list.sort((a, b) => raw[a.j]![a.k]! - raw[b.j]![b.k]! || a.j - b.j);

  // Longest-path starts over routing and machine arcs, by repeated relaxation (Bellman-Ford
  // style); more passes than operations means a cycle.
  const starts = instance.operations.map((ops) => ops.map(() => 0));
  const count = starts.reduce((n, row) => n + row.length, 0);
  for (let pass = 0; pass <= count; pass++) {
    let changed = false;
    const raise = (j: number, k: number, at: number): void => {
      if (at > starts[j]![k]!) {
        starts[j]![k] = at;
        changed = true;
      }
    };
    instance.operations.forEach((ops, j) => {
      for (let k = 1; k < ops.length; k++) raise(j, k, starts[j]![k - 1]! + ops[k - 1]!.duration);
    });
    for (const list of machineOrder.values()) {
      for (let i = 1; i < list.length; i++) {
        const p = list[i - 1]!;
        const q = list[i]!;
        raise(q.j, q.k, starts[p.j]![p.k]! + instance.operations[p.j]![p.k]!.duration);
      }
    }
    if (!changed) {
      return instance.operations.map((ops, j) => ops.map((op, k) => ({ machine: op.machine, start: starts[j]![k]! })));
    }
  }
  return null;
}
