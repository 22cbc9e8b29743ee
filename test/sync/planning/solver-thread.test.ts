import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlantProblem } from '../../../scheduler/problem.ts';
import { runPlan } from '../../../sync/planning/run-plan.ts';
import { inThreadSolver, type SolverPool } from '../../../sync/planning/solver-pool.ts';
import { startSolverThreads, type SolverThreads } from '../../../sync/planning/solver-thread.ts';
import { backends } from '../support/backends.ts';
import { NOW, seedPlant } from './plant-fixture.ts';

const gearbox = JSON.parse(readFileSync(new URL('../../../examples/gearbox-assembly.json', import.meta.url), 'utf8')) as PlantProblem;
const gearboxNow = Date.parse(gearbox.now!);
const faultyEntry = new URL('./fixtures/faulty-solver-worker.mjs', import.meta.url);
const withPlantId = (id: string): PlantProblem => ({ ...gearbox, plant: { ...gearbox.plant, id } });

/** Runs `work` while a 10 ms interval ticks; returns the longest gap between ticks. */
async function longestTickGap(work: () => Promise<unknown>): Promise<{ gapMs: number; ticks: number }> {
  let last = performance.now();
  let gapMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gapMs = Math.max(gapMs, now - last);
    last = now;
    ticks++;
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  gapMs = Math.max(gapMs, performance.now() - last);
  return { gapMs, ticks };
}

describe('solver threads', () => {
  const pools: SolverPool[] = [];
  const start = (...args: Parameters<typeof startSolverThreads>): SolverThreads => {
    const pool = startSolverThreads(...args);
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });

  it('returns what the in-thread solve returns for a fixed problem', async () => {
    const pool = start();
    const request = { now: gearboxNow, timeLimitMs: 0 };
    const [threaded, direct] = [await pool.solve(gearbox, request), await inThreadSolver.solve(gearbox, request)];
    expect(threaded.operations.length).toBeGreaterThan(0);
    expect(threaded.status).toBe(direct.status);
    expect(threaded.operations).toEqual(direct.operations);
    expect(threaded.orders).toEqual(direct.orders);
    expect(threaded.kpis).toEqual(direct.kpis);
    // An ISO `now` means the same instant as its epoch milliseconds.
    expect((await pool.solve(gearbox, { now: gearbox.now!, timeLimitMs: 0 })).operations).toEqual(direct.operations);
  });

  it('keeps the event loop turning during a 1 s solve (which blocks it in-thread)', async () => {
    const pool = start();
    await pool.solve(gearbox, { now: gearboxNow, timeLimitMs: 0 }); // thread loaded
    const request = { now: gearboxNow, timeLimitMs: 1_000 };

    let improvementMs = 0;
    const threaded = await longestTickGap(async () => {
      improvementMs = (await pool.solve(gearbox, request)).stats.improvementMs;
    });
    expect(improvementMs).toBeGreaterThanOrEqual(900);
    expect(threaded.gapMs).toBeLessThan(250);
    expect(threaded.ticks).toBeGreaterThan(30);

    const blocked = await longestTickGap(() => inThreadSolver.solve(gearbox, request));
    expect(blocked.gapMs).toBeGreaterThanOrEqual(900);
  });

  it('runs solves handed in together one after the other on one thread', async () => {
    const pool = start({ size: 1 });
    const request = { now: gearboxNow, timeLimitMs: 0 };
    const results = await Promise.all([pool.solve(gearbox, request), pool.solve(withPlantId('OTHER'), request), pool.solve(gearbox, request)]);
    expect(results.map((r) => r.operations.length > 0)).toEqual([true, true, true]);
    expect(results[2]!.operations).toEqual(results[0]!.operations);
    expect(pool.liveThreads()).toBe(1);
  });

  it('rejects with the message of an error the engine throws, and the thread goes on', async () => {
    const pool = start({ entry: faultyEntry });
    await expect(pool.solve(withPlantId('CLOCK'), { now: gearboxNow, timeLimitMs: 0 })).rejects.toThrow('clock failed');
    expect(pool.liveThreads()).toBe(1);
    const next = await pool.solve(gearbox, { now: gearboxNow, timeLimitMs: 0 });
    expect(next.operations.length).toBeGreaterThan(0);
  });

  it('rejects the solve of a thread that dies and replaces the thread', async () => {
    const pool = start({ entry: faultyEntry });
    const request = { now: gearboxNow, timeLimitMs: 0 };
    await pool.solve(gearbox, request); // the thread is up: a dead one is replaced at once
    await expect(pool.solve(withPlantId('EXIT'), request)).rejects.toThrow('solver thread exited with code 7');
    expect(pool.liveThreads()).toBe(1);
    await expect(pool.solve(withPlantId('THROW'), request)).rejects.toThrow('boom outside the solve');
    const after = await pool.solve(gearbox, request);
    expect(after.operations).toEqual((await inThreadSolver.solve(gearbox, request)).operations);
    expect(pool.liveThreads()).toBe(1);
  });

  it('rejects what cannot be copied to a thread without losing the thread', async () => {
    const pool = start();
    const problem = { ...gearbox, extra: () => 1 } as unknown as PlantProblem;
    await expect(pool.solve(problem, { now: gearboxNow, timeLimitMs: 0 })).rejects.toThrow(/could not be cloned/);
    expect((await pool.solve(gearbox, { now: gearboxNow, timeLimitMs: 0 })).operations.length).toBeGreaterThan(0);
  });

  it('close() stops the threads mid-solve and rejects running and later solves', async () => {
    const pool = start({ size: 2 });
    await pool.solve(gearbox, { now: gearboxNow, timeLimitMs: 0 });
    expect(pool.liveThreads()).toBe(2);
    const running = pool.solve(gearbox, { now: gearboxNow, timeLimitMs: 20_000 });
    const settled = running.then(() => 'resolved', (error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const began = performance.now();
    await pool.close();
    expect(performance.now() - began).toBeLessThan(2_000);
    expect(await settled).toBe('solver pool closed');
    expect(pool.liveThreads()).toBe(0);
    await expect(pool.solve(gearbox, { now: gearboxNow, timeLimitMs: 0 })).rejects.toThrow('solver pool closed');
    await pool.close(); // twice is harmless
  });
});

describe.each(backends)('runPlan through solver threads on $name', (makeBackend) => {
  const backend = makeBackend();
  it('commits the same schedule as the in-thread solve', async () => {
    const db = await backend.open();
    const pool = startSolverThreads();
    try {
      await seedPlant(db, 'P1');
      await seedPlant(db, 'P2');
      const threaded = await runPlan(db, 'P1', { now: NOW, timeLimitMs: 0, reason: 'thread', solver: pool });
      const direct = await runPlan(db, 'P2', { now: NOW, timeLimitMs: 0, reason: 'direct' });
      expect(threaded.status).toBe('planned');
      expect(direct.status).toBe('planned');
      if (threaded.status !== 'planned' || direct.status !== 'planned') return;
      expect(threaded.result.operations.length).toBe(3);
      expect(threaded.result.operations).toEqual(direct.result.operations);
    } finally {
      await pool.close();
      await backend.close();
    }
  });
});
