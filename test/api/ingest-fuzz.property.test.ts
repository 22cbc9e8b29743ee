/**
 * Fuzzing the ingest path through the API on the real core and both stores: batches of valid
 * events with hostile changes (control characters, NULs, lone surrogates, huge and tiny numbers,
 * sentinel and impossible dates, missing and extra fields, wrong types), arbitrary JSON in
 * their place, and bodies that are not JSON at all. Whatever comes: never a 5xx; a 202 answers
 * every event; the inbox gains exactly the events answered accepted or stale, nothing of a
 * rejected one; the plant changes only when an event is accepted; a refused request writes nothing.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { InProcessQueue } from '../../sync/queue/in-process-queue.ts';
import { createApiKey } from '../../sync/store/api-keys.ts';
import type { Db } from '../../sync/store/database.ts';
import { createTakt } from '../../sync/takt.ts';
import { smallPlant } from '../sync/support/events.ts';
import { backends } from '../sync/support/backends.ts';

const NOW = Date.parse('2026-11-23T06:00:00Z');

/** Valid events for the small plant, each a template the fuzzer bends. */
const templates: readonly Record<string, unknown>[] = [
  { source: 'erp', type: 'item.upserted', data: { id: 'NUT', name: 'Nut', uom: 'pcs' } },
  { source: 'erp', type: 'work_order.upserted', data: {
    id: 'WO9', item: 'PUMP', quantity: 5, due: '2026-11-30T16:00:00Z', priority: 1,
    operations: [{ id: '10', modes: [{ workCenter: 'CNC', setupMinutes: 10, runMinutesPerUnit: 3 }] }],
    materials: [{ item: 'STEEL', quantity: 5 }],
  } },
  { source: 'erp', type: 'receipt.upserted', data: { id: 'PO-1', item: 'BOLT', quantity: 100, expectedAt: '2026-11-25T08:00:00Z' } },
  { source: 'wms', type: 'lot.upserted', data: { id: 'L-1', item: 'STEEL', quantity: 50, status: 'available' } },
  { source: 'qms', type: 'hold.placed', data: { id: 'H-1', target: { kind: 'lot', id: 'L-1' }, reason: 'inspection' } },
  { source: 'mes', type: 'operation.started', data: { workOrder: 'WO1', operation: '10', workCenter: 'CNC', startedAt: '2026-11-23T05:00:00Z' } },
  { source: 'mes', type: 'operation.completed', data: { workOrder: 'WO1', operation: '10', quantityGood: 10, completedAt: '2026-11-23T05:50:00Z' } },
  { source: 'mes', type: 'downtime.started', data: { id: 'BD-1', workCenter: 'CNC', start: '2026-11-23T05:30:00Z', expectedEnd: '2026-11-23T09:00:00Z' } },
  { source: 'mes', type: 'downtime.ended', data: { id: 'BD-1', end: '2026-11-23T05:55:00Z' } },
];

const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\u202E\u200B', '\r\n\t', 'x'.repeat(3000), '../../package.json',
    '9999-12-31T00:00:00Z', '0001-01-01T00:00:00Z', '0050-06-15T00:00:00Z', '2999-01-01T00:00:00Z', '2026-02-30T00:00:00Z',
    '2026-11-23T06:00:00', '2026-11-23', 'yesterday', 'NaN', 'Infinity', '1e309', 'P1', 'WO1', 'CNC',
  ),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 0.5, 1e308, -1e308, 1e-320, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 2 ** 31, -(2 ** 31) - 1),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }) },
);

/** Every path to a value in an object (envelope and data alike). */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

type Change = { readonly path: number; readonly to: unknown } | { readonly path: number; readonly remove: true } | { readonly extra: string; readonly to: unknown };

function applyChange(target: Record<string, unknown>, change: Change): void {
  if ('extra' in change) {
    const data = target['data'];
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) Object.defineProperty(data, change.extra, { value: change.to, enumerable: true, writable: true, configurable: true });
    return;
  }
  const paths = pathsOf(target).filter((p) => p.length > 0);
  const path = paths[change.path % paths.length]!;
  let parent = target as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if ('remove' in change) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = change.to;
}

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ path: fc.nat(), to: hostileValue }),
  fc.record({ path: fc.nat(), remove: fc.constant(true as const) }),
  fc.record({ extra: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('unknown', 'constructor', '') }, { weight: 1, arbitrary: fc.constant('__proto__') }), to: hostileValue }),
);

let counter = 0;
/** An event from a template with a fresh id (or a reused one): as it is, or with up to three changes. */
const bentEvent = fc.record({
  template: fc.nat({ max: templates.length - 1 }),
  changes: fc.oneof(fc.constant([]), fc.array(change, { minLength: 1, maxLength: 3 })),
  version: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: hostileNumber }),
  reuseId: fc.boolean(),
}).map(({ template, changes, version, reuseId }) => {
  counter += 1;
  const event: Record<string, unknown> = {
    id: reuseId ? 'fuzz-reused' : `fuzz-${counter}`, plant: 'P1', occurredAt: '2026-11-23T05:59:00Z', version,
    ...structuredClone(templates[template]!),
  };
  for (const c of changes) applyChange(event, c);
  return event;
});

const batchBody = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.oneof({ weight: 6, arbitrary: bentEvent }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }), { minLength: 1, maxLength: 6 }).map((events) => ({ events })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

interface Sent { readonly body: string }
const request: fc.Arbitrary<Sent> = fc.oneof(
  { weight: 9, arbitrary: batchBody.map((body) => ({ body: JSON.stringify(body) ?? 'null' })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((body) => ({ body })) },
);

describe.each(backends.map((make) => [make().name, make] as const))('ingest fuzz on %s', (_name, make) => {
  const backend = make();
  let db: Db;
  let app: FastifyInstance;
  let token = '';

  beforeAll(async () => {
    db = await backend.open();
    app = await buildApp({ takt: createTakt({ db, queue: new InProcessQueue(), writebacks: false, clock: () => NOW }) });
    token = (await createApiKey(db, { name: 'all', scopes: ['erp', 'wms', 'qms', 'mes'] })).token;
    const res = await app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${token}` }, payload: { events: smallPlant('P1') } });
    expect(res.json().accepted, res.body).toBe(smallPlant('P1').length);
  });
  afterAll(async () => {
    await app?.close();
    await backend.close();
  });

  /** What a plant is in the store: changes only when an event is accepted. */
  const STATE_TABLES = ['plants', 'calendars', 'work_centers', 'items', 'operation_times', 'work_orders', 'work_order_operations', 'work_order_materials',
    'lots', 'receipts', 'holds', 'downtimes', 'operation_progress', 'object_versions'] as const;
  const stateDigest = async (): Promise<string> => {
    const parts = await Promise.all(STATE_TABLES.map(async (table) =>
      (await sql<{ d: string | null }>`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as d from ${sql.table(table)} t`.execute(db)).rows[0]!.d));
    return parts.join(',');
  };

  const inboxKeys = async (): Promise<Set<string>> =>
    new Set((await db.selectFrom('inbox').select(['source', 'event_id']).execute()).map((r) => `${r.source}\u0001${r.event_id}`));

  it('never answers 5xx, answers every event, and stores exactly what it accepted', async () => {
    await fc.assert(fc.asyncProperty(request, async ({ body }) => {
      const before = await inboxKeys();
      const stateBefore = await stateDigest();
      const res = await app.inject({
        method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: body,
      });
      expect(res.statusCode, res.body).toBeLessThan(500);
      const after = await inboxKeys();
      const added = [...after].filter((k) => !before.has(k));
      if (res.statusCode !== 202) {
        expect(res.json().error.code).toEqual(expect.any(String));
        expect(added).toEqual([]);
        expect(await stateDigest()).toBe(stateBefore);
        return;
      }
      const sent = (JSON.parse(body) as { events: readonly Record<string, unknown>[] }).events;
      const answer = res.json() as { results: readonly { id: string; status: string; code?: string }[] };
      expect(answer.results).toHaveLength(sent.length);
      const stored = new Set<string>();
      answer.results.forEach((result, i) => {
        if (result.status === 'rejected') expect(result.code).toEqual(expect.any(String));
        if (result.status === 'accepted' || result.status === 'stale') stored.add(`${String(sent[i]!.source)}\u0001${String(sent[i]!.id)}`);
      });
      expect(new Set(added)).toEqual(new Set([...stored].filter((k) => !before.has(k))));
      for (const key of stored) expect(after.has(key)).toBe(true);
      // Nothing but accepted events changes the plant: a batch of refusals, duplicates and stale versions leaves it as it was.
      if (!answer.results.some((r) => r.status === 'accepted')) expect(await stateDigest()).toBe(stateBefore);
    }), { numRuns: 300 });
  }, 120_000);
});
