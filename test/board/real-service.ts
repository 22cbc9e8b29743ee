/**
 * The real takt service for the board's browser test, as `takt start` assembles it but in
 * memory: PGlite, the in-process queue, no write-back deliveries, and a clock fixed at the
 * example's `now` so that every run plans the same week. The demo plant is loaded through the
 * event path and planned once, like on a first start.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { startServer } from '../../api/server.ts';
import type { PlantProblem } from '../../scheduler/problem.ts';
import { loadPlant } from '../../sync/demo/load-plant.ts';
import type { ScheduleVersionView } from '../../sync/ports.ts';
import { InProcessQueue } from '../../sync/queue/in-process-queue.ts';
import { createApiKey } from '../../sync/store/api-keys.ts';
import type { Db } from '../../sync/store/database.ts';
import { migrateToLatest } from '../../sync/store/migrate.ts';
import { openDatabase } from '../../sync/store/open-database.ts';
import { createTakt, type TaktCore } from '../../sync/takt.ts';

export const DEMO_PROBLEM = JSON.parse(
  readFileSync(new URL('../../examples/machining-job-shop.json', import.meta.url), 'utf8'),
) as PlantProblem;

export interface RealService {
  readonly url: string;
  /** An API key with every scope (the board needs planner for schedules and admin for sync health). */
  readonly token: string;
  readonly db: Db;
  readonly takt: TaktCore;
  /** The service's clock (fixed): events it is sent should not lie after it. */
  readonly nowMs: number;
  /** The version the demo plant got when it was loaded. */
  readonly initial: ScheduleVersionView;
  close(): Promise<void>;
}

export interface RealServiceOptions {
  /** Solver budget per reschedule and what-if; small keeps the test fast, the plant is small. */
  readonly timeLimitMs?: number;
}

export async function startRealService(options: RealServiceOptions = {}): Promise<RealService> {
  const now = Date.parse(DEMO_PROBLEM.now!);
  const db = await openDatabase({ dataDir: ':memory:' });
  let app: FastifyInstance | undefined;
  const queue = new InProcessQueue();
  try {
    const migrated = await migrateToLatest(db);
    if (!migrated.ok) throw new Error(`migration failed: ${migrated.message}`);
    const takt = createTakt({ db, queue, writebacks: false, clock: () => now, timeLimitMs: options.timeLimitMs ?? 500 });
    // Sent "now" by the wall clock, as `takt start` does: the sources show no lag.
    const rejected = await loadPlant(db, DEMO_PROBLEM, new Date(), 'demo');
    if (rejected.length > 0) throw new Error(`demo plant events rejected: ${JSON.stringify(rejected)}`);
    const planned = await takt.reschedule(DEMO_PROBLEM.plant.id, { reason: 'demo plant loaded' });
    if (!planned.ok) throw new Error(`first reschedule failed: ${planned.message}`);
    const { token } = await createApiKey(db, { name: 'board test', scopes: ['admin', 'planner', 'erp', 'wms', 'qms', 'mes'] });
    app = await buildApp({ takt });
    const url = await startServer(app, { host: '127.0.0.1', port: 0 });
    const started = app;
    return {
      url, token, db, takt, nowMs: now, initial: planned.value,
      async close() {
        await started.close();
        await takt.close();
        await db.destroy();
      },
    };
  } catch (error) {
    await app?.close();
    await queue.close();
    await db.destroy();
    throw error;
  }
}
