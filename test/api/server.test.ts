import { expect, it } from 'vitest';
import { startServer } from '../../api/server.ts';
import { testApp } from './helpers.ts';

it('startServer listens and returns the base URL with the real port', async () => {
  const { app } = await testApp();
  const url = await startServer(app, { host: '127.0.0.1', port: 0 });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(url).not.toBe('http://127.0.0.1:0');
  const res = await fetch(`${url}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});
