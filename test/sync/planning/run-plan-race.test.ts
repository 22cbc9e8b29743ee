/**
 * The solve runs outside any transaction, so another run may commit meanwhile: the slower run
 * must then not commit a version built on stale state, and the plant must stay readable while
 * a solve is under way (PGlite has a single session).
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../../sync/planning/run-plan.ts';
import { inThreadSolver, type SolverPool } from '../../../sync/planning/solver-pool.ts';
import type { Database } from '../../../sync/store/database.ts';
import { latestVersionNumber } from '../../../sync/store/schedule-versions.ts';
import { pgliteBackend } from '../support/backends.ts';
import { NOW, seedPlant } from './plant-fixture.ts';

describe('plan runs that overlap', () => {
  const backend = pgliteBackend();
  let db: Kysely<Database>;

  beforeAll(async () => {
    db = await backend.open();
    await seedPlant(db);
  });
  afterAll(() => backend.close());

  it('a run whose plant got a newer version while it solved answers busy and commits nothing', async () => {
    const interleaving: SolverPool = {
      async solve(problem, request) {
        // While this run solves, another one reads, solves and commits (and the store stays usable).
        const other = await runPlan(db, 'P1', { now: NOW, timeLimitMs: 0, reason: 'the other run' });
        expect(other.status).toBe('planned');
        return inThreadSolver.solve(problem, request);
      },
      close: async () => undefined,
    };
    const before = await latestVersionNumber(db, 'P1');
    const slow = await runPlan(db, 'P1', { now: NOW, timeLimitMs: 0, reason: 'slow run', solver: interleaving });
    expect(slow.status).toBe('busy');
    expect(await latestVersionNumber(db, 'P1')).toBe((before ?? 0) + 1);

    const next = await runPlan(db, 'P1', { now: NOW, timeLimitMs: 0, reason: 'retry' });
    expect(next.status).toBe('planned');
    expect(await latestVersionNumber(db, 'P1')).toBe((before ?? 0) + 2);
  });
});
