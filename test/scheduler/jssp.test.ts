import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isParseError, JSSP_NOW, jobShopPlacements, jsspToPlantProblem, parseJsspInstance, type JsspInstance } from '../../scheduler/jssp.ts';
import type { SolveResult } from '../../scheduler/result.ts';

const ft06Text = readFileSync(new URL('../../examples/ft06.txt', import.meta.url), 'utf8');

function parsed(text: string): JsspInstance {
  const result = parseJsspInstance(text);
  if (isParseError(result)) throw new Error(`${result.line}: ${result.error}`);
  return result;
}

describe('parseJsspInstance', () => {
  it('reads ft06 (examples/ft06.txt), skipping comment lines', () => {
    const ft06 = parsed(ft06Text);
    expect(ft06.jobs).toBe(6);
    expect(ft06.machines).toBe(6);
    expect(ft06.operations).toHaveLength(6);
    expect(ft06.operations.every((job) => job.length === 6)).toBe(true);
    // First line of ft06: `2 1 0 3 1 6 3 7 5 3 4 6`.
    expect(ft06.operations[0]).toEqual([
      { machine: 2, duration: 1 },
      { machine: 0, duration: 3 },
      { machine: 1, duration: 6 },
      { machine: 3, duration: 7 },
      { machine: 5, duration: 3 },
      { machine: 4, duration: 6 },
    ]);
    expect(ft06.operations[5]![5]).toEqual({ machine: 2, duration: 1 });
  });

  it('accepts blank lines and CRLF line ends', () => {
    expect(parsed('\r\n# c\r\n2 2\r\n\r\n0 5 1 3\r\n1 2 0 4\r\n').operations[1]).toEqual([
      { machine: 1, duration: 2 },
      { machine: 0, duration: 4 },
    ]);
  });

  it.each([
    ['', 1, /empty/],
    ['# only a comment\n2 x\n', 2, /jobs machines/],
    ['2 2\n0 5 1 3\n', 3, /expected 2 job lines/],
    ['2 2\n0 5 1 3\n1 2 0\n', 3, /pairs/],
    ['# header\n2 2\n0 5 1 3\n1 2 2 4\n', 4, /machine 2 is out of range/],
    ['2 2\n0 5 1 3\n1 -2 0 4\n', 3, /non-negative integers/],
    ['1 2\n0 5 1 3\n1 2 0 4\n', 3, /unexpected line/],
  ])('reports malformed input %j with its line', (text, line, message) => {
    const result = parseJsspInstance(text);
    expect(isParseError(result)).toBe(true);
    if (!isParseError(result)) return;
    expect(result.line).toBe(line);
    expect(result.error).toMatch(message);
  });
});

describe('jsspToPlantProblem', () => {
  const ft06 = parsed(ft06Text);
  const problem = jsspToPlantProblem(ft06, 'ft06');

  it('makes one single-unit, always-open work center per machine and a makespan objective', () => {
    expect(problem.plant).toMatchObject({ id: 'ft06', timeZone: 'UTC', objective: 'makespan' });
    expect(problem.now).toBe(JSSP_NOW);
    expect(problem.calendars).toEqual([{ id: expect.any(String), shifts: [], alwaysOpen: true }]);
    expect(problem.workCenters.map((wc) => wc.id)).toEqual(['M0', 'M1', 'M2', 'M3', 'M4', 'M5']);
    expect(problem.workCenters.every((wc) => wc.units === 1 && wc.calendar === problem.calendars[0]!.id)).toBe(true);
  });

  it('turns jobs into orders of quantity 1 with one single-mode operation per step', () => {
    expect(problem.workOrders.map((o) => o.id)).toEqual(['J0', 'J1', 'J2', 'J3', 'J4', 'J5']);
    const j1 = problem.workOrders[1]!;
    expect(j1.quantity).toBe(1);
    expect(j1.due).toBe(JSSP_NOW);
    expect(j1.operations.map((op) => op.id)).toEqual(['O0', 'O1', 'O2', 'O3', 'O4', 'O5']);
    // Second line of ft06: `1 8 2 5 4 10 5 10 0 10 3 4`.
    expect(j1.operations[0]!.modes).toEqual([{ workCenter: 'M1', setupMinutes: 0, runMinutesPerUnit: 8 }]);
    expect(j1.operations[5]!.modes).toEqual([{ workCenter: 'M3', setupMinutes: 0, runMinutesPerUnit: 4 }]);
  });

  it('sizes the horizon to hold every operation in sequence', () => {
    // ft06 durations sum to 197 minutes: ceil(197 / 1440) + 1.
    expect(problem.plant.horizonDays).toBe(2);
    const big = jsspToPlantProblem({ jobs: 1, machines: 1, operations: [[{ machine: 0, duration: 3000 }]] }, 'big');
    expect(big.plant.horizonDays).toBe(4);
  });

  it('reads a result back as per-job placements in minutes from now', () => {
    const at = (minutes: number): string => new Date(Date.parse(JSSP_NOW) + minutes * 60_000).toISOString();
    const tiny = { jobs: 1, machines: 2, operations: [[{ machine: 1, duration: 2 }, { machine: 0, duration: 3 }]] };
    const result = {
      now: JSSP_NOW,
      operations: [
        { workOrder: 'J0', operation: 'O1', workCenter: 'M0', start: at(2), end: at(5) },
        { workOrder: 'J0', operation: 'O0', workCenter: 'M1', start: at(0), end: at(2) },
      ],
    } as unknown as SolveResult;
    expect(jobShopPlacements(tiny.operations, result)).toEqual([[{ machine: 1, start: 0 }, { machine: 0, start: 2 }]]);
    const missing = { ...result, operations: result.operations.slice(0, 1) } as SolveResult;
    expect(jobShopPlacements(tiny.operations, missing)).toEqual({ error: expect.stringMatching(/O0 of J0/) });
  });
});
