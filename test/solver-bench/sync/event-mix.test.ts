import { describe, expect, it } from 'vitest';
import { generatePlant } from '../../../solver-bench/generator.ts';
import { EventMix, operationsInProgress, startEvents } from '../../../solver-bench/sync/event-mix.ts';
import { percentile, summarize } from '../../../solver-bench/sync/stats.ts';
import { eventDataSchemas } from '../../../sync/ingest/schemas.ts';
import { validateEnvelope, validateEventData } from '../../../sync/ingest/validate.ts';

const problem = generatePlant({ targetOperations: 300, seed: 3 });
const plant = problem.plant.id;

describe('sync bench event mix', () => {
  const inProgress = operationsInProgress(problem, 24);

  it('puts at most one running operation on each work center, only for released orders without materials', () => {
    expect(inProgress.length).toBeGreaterThan(0);
    expect(new Set(inProgress.map((op) => op.workCenter)).size).toBe(inProgress.length);
    for (const op of inProgress) {
      const order = problem.workOrders.find((o) => o.id === op.workOrder)!;
      expect(order.status).toBe('released');
      expect(order.materials ?? []).toEqual([]);
    }
  });

  it('sends valid events with ids unique across clients and each object\'s versions rising', () => {
    const clients = 3;
    const events = Array.from({ length: clients }, (_, c) => new EventMix(plant, problem, inProgress, c, clients, 'run')).flatMap((m) => [...m.batch(40), ...m.batch(40)]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['lot.upserted', 'operation.progressed', 'receipt.upserted']));
    const last = new Map<string, { version: number; client: string }>();
    for (const event of [...events, ...startEvents(plant, inProgress, problem.now!)]) {
      expect(validateEnvelope(event)).toBeNull();
      expect(event.type in eventDataSchemas).toBe(true);
      expect(validateEventData(event.type as keyof typeof eventDataSchemas, event.data, plant)).toBeNull();
    }
    for (const event of events) {
      const data = event.data as { id?: string; workOrder?: string; operation?: string };
      const key = `${event.type}:${data.id ?? `${data.workOrder}/${data.operation}`}`;
      const client = event.id.split('-')[2]!;
      const before = last.get(key);
      // One client owns each object, and its versions only go up, starting above the loaded 1.
      if (before) {
        expect(client).toBe(before.client);
        expect(event.version).toBeGreaterThan(before.version);
      } else {
        expect(event.version).toBe(2);
      }
      last.set(key, { version: event.version, client });
    }
  });
});

describe('sync bench percentiles', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 0.5)).toBe(50);
    expect(percentile(samples, 0.95)).toBe(95);
    expect(percentile(samples, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(summarize([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
    expect(summarize([3, 1, 2]).max).toBe(3);
  });
});
