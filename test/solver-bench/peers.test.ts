import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isParseError, parseJsspInstance, type JsspInstance } from '../../scheduler/jssp.ts';
import { buildDisjunctiveMip, decodeStarts } from '../../solver-bench/peers/disjunctive-mip.ts';
import { solveWithHighs, toLpText } from '../../solver-bench/peers/highs-peer.ts';
import { solveWithLpSolver } from '../../solver-bench/peers/lp-solver-peer.ts';
import { checkJobShopSchedule, shapeOfJssp } from '../../solver-bench/schedule-check.ts';

function ft06(): JsspInstance {
  const result = parseJsspInstance(readFileSync(new URL('../../examples/ft06.txt', import.meta.url), 'utf8'));
  if (isParseError(result)) throw new Error(result.error);
  return result;
}

const twoJobs: JsspInstance = {
  jobs: 2,
  machines: 2,
  operations: [
    [{ machine: 0, duration: 3 }, { machine: 1, duration: 2 }],
    [{ machine: 1, duration: 4 }, { machine: 0, duration: 1 }],
  ],
};

describe('disjunctive MIP', () => {
  it('has one binary per pair of operations of different jobs sharing a machine', () => {
    const mip = buildDisjunctiveMip(ft06());
    // 6 machines, each visited once by each of 6 jobs: 6 × C(6,2) pairs.
    expect(mip.binaries).toHaveLength(6 * 15);
    expect(mip.bigM).toBe(197);
    expect(toLpText(mip)).toMatch(/^Minimize\n obj: cmax\nSubject To\n/);
  });

  it('decodes start values into a left-shifted schedule', () => {
    const mip = buildDisjunctiveMip(twoJobs);
    // Job 1 first on machine 1, job 0 first on machine 0, with slack the decoder removes.
    const values: Record<string, number> = { s_0_0: 1, s_0_1: 9, s_1_0: 0.5, s_1_1: 6 };
    const placements = decodeStarts(twoJobs, mip, (v) => values[v]);
    expect(placements).toEqual([
      [{ machine: 0, start: 0 }, { machine: 1, start: 4 }],
      [{ machine: 1, start: 0 }, { machine: 0, start: 4 }],
    ]);
    expect(checkJobShopSchedule(shapeOfJssp(twoJobs.operations), placements!)).toEqual({ makespan: 6 });
  });
});

describe('checkJobShopSchedule', () => {
  const shape = shapeOfJssp(twoJobs.operations);
  it('rejects overlap on a machine and a start before the predecessor ends', () => {
    const overlap = [
      [{ machine: 0, start: 0 }, { machine: 1, start: 3 }],
      [{ machine: 1, start: 0 }, { machine: 0, start: 4 }],
    ];
    expect(checkJobShopSchedule(shape, overlap)).toEqual({ error: expect.stringMatching(/machine 1: .* overlap/) });
    const early = [
      [{ machine: 0, start: 0 }, { machine: 1, start: 2 }],
      [{ machine: 1, start: 4 }, { machine: 0, start: 8 }],
    ];
    expect(checkJobShopSchedule(shape, early)).toEqual({ error: expect.stringMatching(/before its predecessor/) });
  });
});

describe('HiGHS peer', () => {
  it('solves ft06 to its optimum 55 within a short limit, with a valid schedule', async () => {
    // Generous limit: the machine is shared; HiGHS usually proves ft06 in one to a few seconds.
    const outcome = await solveWithHighs(ft06(), 15_000);
    expect(outcome.peer).toBe('highs');
    expect(outcome.elapsedMs).toBeLessThan(20_000);
    // The makespan is recomputed from the checked schedule, not taken from the objective.
    expect(outcome).toMatchObject({ makespan: 55, provenOptimal: true, status: 'Optimal' });
  });

  it('returns null, not a wrong answer, when the limit is far too short for a larger instance', async () => {
    const text = readFileSync(new URL('../fixtures/instances/la16.txt', import.meta.url), 'utf8');
    const la16 = parseJsspInstance(text);
    if (isParseError(la16)) throw new Error(la16.error);
    const outcome = await solveWithHighs(la16, 50);
    expect(outcome.provenOptimal).toBe(false);
    if (outcome.makespan !== null) expect(outcome.makespan).toBeGreaterThanOrEqual(945);
    expect(outcome.elapsedMs).toBeLessThan(3000);
  });
});

describe('javascript-lp-solver peer', () => {
  it('solves a tiny job shop through the engine wrapper to its optimum', async () => {
    const outcome = await solveWithLpSolver(twoJobs, 20_000);
    expect(outcome).toMatchObject({ peer: 'javascript-lp-solver', makespan: 6, provenOptimal: true });
  });

  it('reports a timeout as no schedule when killed at the limit', async () => {
    const outcome = await solveWithLpSolver(ft06(), 300);
    expect(outcome).toMatchObject({ makespan: null, status: 'Time limit reached' });
    expect(outcome.elapsedMs).toBeLessThan(5000);
  });
});
