import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { startServer } from '../../api/server.ts';
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

  it('answers path tricks sent raw over a socket with 404 (a NUL with 400), never 500 or a file', async () => {
    // `inject` normalises `..` away; a real client sends it as is.
    const { app } = await testApp({ webRoot });
    const base = new URL(await startServer(app, { host: '127.0.0.1', port: 0 }));
    const get = (path: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      http.get({ host: base.hostname, port: base.port, path }, (res) => {
        let body = '';
        res.on('data', (chunk) => { body += chunk; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    try {
      for (const path of ['/../package.json', '/%2e%2e/package.json', '/js/../../app.ts', '/static/../../package.json', '/js/%2e%2e/%2e%2e/app.ts']) {
        const res = await get(path);
        expect(res.status, path).toBe(404);
        expect(JSON.parse(res.body).error.code, path).toBe('not_found');
      }
      for (const path of ['/index.html%00.js', '/%00']) {
        const res = await get(path);
        expect(res.status, path).toBe(400);
        expect(res.body, path).not.toContain('<title>');
      }
    } finally {
      await app.close();
    }
  });

  it('leaves API routes to the API', async () => {
    const { app } = await testApp({ webRoot });
    const res = await app.inject('/v1/plants');
    expect(res.statusCode).toBe(401);
  });
});
