import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testApp } from './helpers.ts';

const webRoot = mkdtempSync(join(tmpdir(), 'takt-web-'));
writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>board</title>');
writeFileSync(join(webRoot, 'board.js'), 'export const x = 1;');
afterAll(() => rmSync(webRoot, { recursive: true, force: true }));

describe('the board’s static files', () => {
  it('serves index.html at / without a key', async () => {
    const { app } = await testApp({ webRoot });
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toBe('<!doctype html><title>board</title>');
  });

  it('serves other files with their media type', async () => {
    const { app } = await testApp({ webRoot });
    const res = await app.inject('/board.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('answers a missing file with the JSON not_found error', async () => {
    const { app } = await testApp({ webRoot });
    const res = await app.inject('/nope.css');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('does not serve files outside the web root', async () => {
    const { app } = await testApp({ webRoot });
    for (const url of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).not.toBe(200);
    }
  });

  it('leaves API routes to the API', async () => {
    const { app } = await testApp({ webRoot });
    const res = await app.inject('/v1/plants');
    expect(res.statusCode).toBe(401);
  });
});
