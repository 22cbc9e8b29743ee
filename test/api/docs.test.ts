import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './helpers.ts';

type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };
let doc: Doc;
beforeAll(async () => {
  const { app } = await testApp();
  doc = (await app.inject('/docs/json')).json() as Doc;
});

interface Operation {
  readonly security?: unknown;
  readonly responses: Record<string, unknown>;
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly requestBody?: unknown;
}

const expected: readonly [string, string, boolean][] = [
  ['post', '/v1/events', true],
  ['get', '/v1/plants', true],
  ['get', '/v1/plants/{plant}/schedule', true],
  ['post', '/v1/plants/{plant}/reschedule', true],
  ['post', '/v1/plants/{plant}/what-if', true],
  ['get', '/v1/plants/{plant}/work-orders/{id}', true],
  ['get', '/v1/plants/{plant}/work-centers/{wc}/dispatch-list', true],
  ['get', '/v1/plants/{plant}/state', true],
  ['put', '/v1/plants/{plant}/work-orders/{id}/operations/{op}/pin', true],
  ['delete', '/v1/plants/{plant}/work-orders/{id}/operations/{op}/pin', true],
  ['get', '/v1/sync/status', true],
  ['get', '/v1/sync/dead-letters', true],
  ['post', '/v1/sync/dead-letters/{id}/replay', true],
  ['post', '/v1/sync/dead-letters/replay', true],
  ['get', '/v1/plants/{plant}/proposal', true],
  ['post', '/v1/plants/{plant}/versions/{version}/approve', true],
  ['post', '/v1/plants/{plant}/versions/{version}/discard', true],
  ['get', '/v1/plants/{plant}/policy', true],
  ['put', '/v1/plants/{plant}/policy', true],
  ['get', '/health', false],
  ['get', '/ready', false],
  ['get', '/metrics', false],
];

describe('OpenAPI at /docs', () => {
  it('/docs/json lists every route and nothing else', async () => {
    const { app } = await testApp();
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toMatch(/^3\./);
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    expect(listed.sort()).toEqual(expected.map(([m, p]) => `${m} ${p}`).sort());
  });

  it.each(expected)('%s %s declares its responses and security', (method, path, secured) => {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    const statuses = Object.keys(op?.responses ?? {});
    expect(statuses.some((s) => s.startsWith('2'))).toBe(true);
    if (secured) {
      expect(op?.security).toEqual([{ bearer: [] }]);
      expect(statuses).toEqual(expect.arrayContaining(['400', '401', '403', '500']));
    } else {
      expect(op?.security).toBeUndefined();
    }
  });

  it('documents the dispatch-list horizon and the event batch body', () => {
    const dispatch = doc.paths['/v1/plants/{plant}/work-centers/{wc}/dispatch-list']?.['get'];
    expect(dispatch?.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['path:plant', 'path:wc', 'query:horizonHours']);
    expect(JSON.stringify(doc.paths['/v1/events']?.['post']?.requestBody)).toContain('"maxItems":1000');
  });

  it('serves the UI at /docs', async () => {
    const { app } = await testApp();
    const res = await app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
