/**
 * Plan runs and what-ifs side by side, in the runtime `takt start` assembles (solver threads for
 * the plan runs, threads of their own for the what-ifs): a breakdown or a planner's reschedule
 * during a long what-if is planned without waiting for it; a second reschedule of a plant being
 * planned is refused at once (in one process and from another process on the same PostgreSQL);
 * a what-if with every what-if thread busy and its line full is refused at once.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlant, GENERATED_NOW } from '../../../solver-bench/generator.ts';
import { problemToEvents } from '../../../sync/demo/problem-events.ts';
import type { Principal, Result } from '../../../sync/ports.ts';
import { openRuntime, type Runtime, type RuntimeConfig } from '../../../sync/runtime.ts';
import { getPlantState } from '../../../sync/store/plant-state.ts';
import { latestScheduleVersion } from '../../../sync/store/schedule-versions.ts';
import { event } from '../support/events.ts';
import { ADMIN_URL, postgresBackend, withDatabase } from '../support/backends.ts';

const NOW = Date.parse(GENERATED_NOW);
const everyone: Principal = { keyId: 'test', name: 'test', scopes: ['erp', 'wms', 'qms', 'mes', 'planner'], plants: null };
const problem = generatePlant({ targetOperations: 300, seed: 7 });
const PLANT = problem.plant.id;
const WHAT_IF_MS = 4_000;

const baseConfig: RuntimeConfig = {
  databaseUrl: undefined, dataDir: ':memory:', redisUrl: undefined, workers: true, feeds: [], writeback: { kind: 'none' },
  timeLimitMs: 100, solverThreads: 1, whatIfThreads: 1, sweepIntervalMs: 60_000, clock: () => NOW,
};

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves to the result and how long it took. */
async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

const codeOf = (result: Result<unknown>): string => (result.ok ? 'ok' : result.code);

/** Loads the plant and waits until its queued runs are over (the plant clean, the queue idle). */
async function loadPlant(runtime: Runtime): Promise<number> {
  await runtime.takt.ingest(problemToEvents(problem, GENERATED_NOW), everyone);
  const first = await until('the first schedule', () => latestScheduleVersion(runtime.db, PLANT));
  await until('the plant planned and the queue idle', async () => {
    const state = await getPlantState(runtime.db, PLANT);
    const busy = (await runtime.queue.counts()).some((c) => c.name === 'reschedule' && (c.active > 0 || c.waiting > 0));
    return state?.dirty === false && !busy ? true : null;
  });
  return first.version;
}

describe('what-ifs and plan runs in one process (PGlite)', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await openRuntime(baseConfig, () => undefined);
    await loadPlant(runtime);
  }, 60_000);
  afterAll(async () => { await runtime?.close(); });

  it('plans a breakdown and a planner\'s reschedule while a long what-if runs', async () => {
    const before = (await latestScheduleVersion(runtime.db, PLANT))!.version;
    let whatIfDone = false;
    const whatIf = timed(runtime.takt.whatIf(PLANT, { timeLimitMs: WHAT_IF_MS })).finally(() => { whatIfDone = true; });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const workCenter = problem.workCenters[0]!.id;
    await runtime.takt.ingest([event('downtime.started', {
      id: 'BD-1', workCenter, start: GENERATED_NOW, expectedEnd: new Date(NOW + 4 * 3_600_000).toISOString(),
    }, { plant: PLANT, occurredAt: GENERATED_NOW })], everyone);
    const breakdownPlanned = await timed(until('the breakdown\'s plan', async () => {
      const latest = await latestScheduleVersion(runtime.db, PLANT);
      return latest !== null && latest.version > before ? latest : null;
    }));
    expect(whatIfDone).toBe(false);
    expect(breakdownPlanned.ms).toBeLessThan(2_500);

    const rescheduled = await timed(runtime.takt.reschedule(PLANT, { timeLimitMs: 100 }));
    expect(codeOf(rescheduled.value)).toBe('ok');
    expect(whatIfDone).toBe(false);

    const finished = await whatIf;
    expect(codeOf(finished.value)).toBe('ok');
    // The what-if ran its budget: the runs above really happened beside it.
    expect(finished.ms).toBeGreaterThanOrEqual(WHAT_IF_MS - 200);
  }, 30_000);

  it('refuses a what-if at once when the what-if thread is busy and one already waits', async () => {
    const running = runtime.takt.whatIf(PLANT, { timeLimitMs: 1_000 });
    const waiting = runtime.takt.whatIf(PLANT, { timeLimitMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await timed(runtime.takt.whatIf(PLANT, { timeLimitMs: 100 }));
    expect(codeOf(refused.value)).toBe('solver_busy');
    expect(refused.ms).toBeLessThan(500);
    expect((await running).ok).toBe(true);
    expect((await waiting).ok).toBe(true);
  }, 30_000);

  it('runs one of many concurrent reschedules and refuses the others before solving', async () => {
    const calls = Array.from({ length: 20 }, () => timed(runtime.takt.reschedule(PLANT, { timeLimitMs: 1_500 })));
    const answers = await Promise.all(calls);
    const ok = answers.filter((a) => a.value.ok);
    const refused = answers.filter((a) => codeOf(a.value) === 'plan_run_in_progress');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const answer of refused) expect(answer.ms).toBeLessThan(1_000);
    expect(ok[0]!.ms).toBeGreaterThanOrEqual(1_400);
  }, 30_000);
});

describe('plan runs across processes on one PostgreSQL', () => {
  const backend = postgresBackend();
  let first: Runtime;
  let second: Runtime;
  beforeAll(async () => {
    const db = await backend.open();
    const name = (await sql<{ db: string }>`select current_database() as db`.execute(db)).rows[0]!.db;
    const databaseUrl = withDatabase(ADMIN_URL, name);
    first = await openRuntime({ ...baseConfig, databaseUrl }, () => undefined);
    // An API-only process: no queue workers, its own pool and solver threads.
    second = await openRuntime({ ...baseConfig, databaseUrl, workers: false }, () => undefined);
    await loadPlant(first);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await backend.close();
  });

  it('refuses a reschedule at once while another process plans the plant, and runs it afterwards', async () => {
    const running = timed(first.takt.reschedule(PLANT, { timeLimitMs: 2_000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await timed(second.takt.reschedule(PLANT, { timeLimitMs: 100 }));
    expect(codeOf(refused.value)).toBe('plan_run_in_progress');
    expect(refused.ms).toBeLessThan(500);
    expect(codeOf((await running).value)).toBe('ok');
    expect(codeOf(await second.takt.reschedule(PLANT, { timeLimitMs: 100 }))).toBe('ok');
  }, 30_000);
});
