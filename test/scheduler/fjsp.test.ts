import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fjspToPlantProblem, parseFjspInstance, type FjspInstance } from '../../scheduler/fjsp.ts';
import { isParseError } from '../../scheduler/jssp.ts';

function parsed(text: string): FjspInstance {
  const result = parseFjspInstance(text);
  if (isParseError(result)) throw new Error(`${result.line}: ${result.error}`);
  return result;
}

describe('parseFjspInstance', () => {
  it('reads Brandimarte mk01 with 0-based machines', () => {
    const mk01 = parsed(readFileSync(new URL('../fixtures/instances/mk01.txt', import.meta.url), 'utf8'));
    expect(mk01.jobs).toBe(10);
    expect(mk01.machines).toBe(6);
    // Job 0 line: `6  2 1 5 3 4  3 5 3 3 5 2 1  2 3 4 6 2 ...`.
    expect(mk01.operations[0]).toHaveLength(6);
    expect(mk01.operations[0]![0]).toEqual([
      { machine: 0, duration: 5 },
      { machine: 2, duration: 4 },
    ]);
    expect(mk01.operations[0]![1]).toEqual([
      { machine: 4, duration: 3 },
      { machine: 2, duration: 5 },
      { machine: 1, duration: 1 },
    ]);
  });

  it('reads a Hurink instance whose header average is fractional', () => {
    const abz5 = parsed(readFileSync(new URL('../fixtures/instances/abz5-edata.txt', import.meta.url), 'utf8'));
    expect(abz5.jobs).toBe(10);
    expect(abz5.operations.every((job) => job.length === 10)).toBe(true);
  });

  it.each([
    ['2 2 1\n1 1 1 5\n', 3, /expected 2 job lines/],
    ['1 2 1\n2 1 1 5 1 3 4\n', 2, /machine 3 is out of range/],
    ['1 2 1\n2 1 1 5 2 1 4\n', 2, /2 "machine duration" pairs/],
    ['1 2 1\n1 1 1 5 7\n', 2, /numbers after the last operation/],
    ['1 2 1\n1 1 0 5\n', 2, /machine 0 is out of range/],
  ])('reports malformed input %j with its line', (text, line, message) => {
    const result = parseFjspInstance(text);
    expect(isParseError(result)).toBe(true);
    if (!isParseError(result)) return;
    expect(result.line).toBe(line);
    expect(result.error).toMatch(message);
  });
});

describe('fjspToPlantProblem', () => {
  it('gives each operation one mode per alternative machine', () => {
    const instance = parsed('2 3 1.5\n2 2 1 5 3 7 1 2 4\n1 1 3 6\n');
    const problem = fjspToPlantProblem(instance, 'tiny');
    expect(problem.plant.objective).toBe('makespan');
    expect(problem.workCenters.map((wc) => wc.id)).toEqual(['M0', 'M1', 'M2']);
    expect(problem.workOrders[0]!.operations[0]!.modes).toEqual([
      { workCenter: 'M0', setupMinutes: 0, runMinutesPerUnit: 5 },
      { workCenter: 'M2', setupMinutes: 0, runMinutesPerUnit: 7 },
    ]);
    expect(problem.workOrders[1]!.operations.map((op) => op.modes.length)).toEqual([1]);
  });
});
