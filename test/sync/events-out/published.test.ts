/**
 * Events out through the whole service (the runtime as `takt start` assembles it, on PGlite):
 * a subscriber registered through the webhook admin gets, signed, the events of each published
 * version: the shortage a plan finds and its end once the material arrives, the late order,
 * and `schedule.published`; a version only proposed (approve policy) sends nothing until it is
 * approved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookAdmin } from '../../../sync/events-out/admin.ts';
import type { Principal } from '../../../sync/ports.ts';
import { openRuntime, type Runtime } from '../../../sync/runtime.ts';
import { setPlantPolicy, DEFAULT_POLICY } from '../../../sync/store/plant-policies.ts';
import { event, smallPlant } from '../support/events.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const PLANT = 'EV-1';
const everyone: Principal = { keyId: 'test', name: 'test', scopes: ['erp', 'wms', 'qms', 'mes', 'planner'], plants: null };

describe('events out from published versions', () => {
  let runtime: Runtime;
  let receiver: Receiver;
  const types = () => receiver.requests.filter((r) => r.signatureOk).map((r) => (JSON.parse(r.body) as { type: string }).type);

  async function until(what: string, probe: () => boolean): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: got ${JSON.stringify(types())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    runtime = await openRuntime({
      databaseUrl: undefined, dataDir: ':memory:', redisUrl: undefined, workers: true, feeds: [], writeback: { kind: 'none' },
      timeLimitMs: 0, solverThreads: 0, sweepIntervalMs: 200,
    }, () => undefined);
    await runtime.takt.ingest(smallPlant(PLANT).slice(0, 1), everyone);
    const admin = createWebhookAdmin(runtime.db);
    const created = await admin.createSubscription({ url: `${receiver.url}/procurement`, plants: [PLANT] });
    if (!created.ok) throw new Error(created.message);
    receiver.trust([created.value.secret]);
  }, 60_000);

  afterAll(async () => {
    await runtime?.close();
    await receiver?.close();
  });

  it('sends the shortage, the published schedule, and the shortage cleared once material arrives', async () => {
    // WO1 needs STEEL and BOLT that nobody has: short.
    await runtime.takt.ingest(smallPlant(PLANT).slice(1), everyone);
    await until('the shortage and the publication', () => types().includes('shortage.raised') && types().includes('schedule.published'));
    const raised = receiver.requests.map((r) => JSON.parse(r.body) as { type: string; data: { item?: string; workOrder?: string } })
      .filter((e) => e.type === 'shortage.raised');
    expect(raised.map((e) => e.data.item)).toContain('STEEL');
    expect(receiver.requests.every((r) => r.signatureOk)).toBe(true);

    await runtime.takt.ingest([
      event('lot.upserted', { id: 'L-STEEL', item: 'STEEL', quantity: 100, status: 'available' }, { plant: PLANT }),
      event('lot.upserted', { id: 'L-BOLT', item: 'BOLT', quantity: 100, status: 'available' }, { plant: PLANT }),
    ], everyone);
    await until('the shortages cleared', () => types().filter((t) => t === 'shortage.cleared').length === raised.length);
    // Each event reached the receiver once.
    expect([...receiver.accepted.values()].every((n) => n === 1)).toBe(true);
  });

  it('sends nothing for a proposed version until a planner approves it', async () => {
    await setPlantPolicy(runtime.db, PLANT, { ...DEFAULT_POLICY, publishing: 'approve' }, 'test');
    // Whatever the earlier versions still send has arrived.
    for (let seen = -1; seen !== receiver.requests.length;) {
      seen = receiver.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 1_200));
    }
    const before = receiver.requests.length;
    const proposed = await runtime.takt.reschedule(PLANT, { reason: 'proposal' });
    if (!proposed.ok) throw new Error(proposed.message);
    expect(proposed.value.state).toBe('proposed');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.requests.length).toBe(before);
    const decided = await runtime.takt.decide(PLANT, proposed.value.version, 'approve', everyone);
    expect(decided.ok).toBe(true);
    await until('the approved version published', () => receiver.requests.slice(before).some((r) => (JSON.parse(r.body) as { type: string; version: number }).version === proposed.value.version));
  });
});
