/**
 * Clients that trickle their request, over a real socket: an authorised one is cut off (408)
 * once the request timeout has passed; one answered before its body arrived (a bad key) has its
 * connection closed at once instead of being read for as long as it sends.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../api/server.ts';
import { KEYS } from './fake-takt.ts';
import { testApp } from './helpers.ts';

/** Sends the head of a 1 MB POST, then a byte every 200 ms; resolves with what came back once the server closed. */
async function trickle(url: URL, authorization: string): Promise<{ text: string; ms: number }> {
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{`);
      const timer = setInterval(() => { if (!socket.destroyed) socket.write(' '); }, 200);
      socket.on('close', () => clearInterval(timer));
    });
    let text = '';
    socket.on('data', (chunk) => { text += chunk; });
    socket.on('close', () => resolve({ text, ms: Date.now() - began }));
    socket.on('error', (error) => (text === '' ? reject(error) : undefined));
  });
}

describe('a slow client', () => {
  it('is cut off with 408 when the whole request has not arrived within the timeout, or closed once answered', async () => {
    const { app } = await testApp({ requestTimeoutMs: 1_000 });
    const base = new URL(await startServer(app, { host: '127.0.0.1', port: 0 }));
    try {
      const [authorised, refused] = await Promise.all([trickle(base, `Bearer ${KEYS.erp}`), trickle(base, 'Bearer wrong')]);
      expect(authorised.text).toMatch(/^HTTP\/1\.1 408/);
      expect(authorised.ms).toBeLessThan(5_000);
      expect(refused.text).toMatch(/^HTTP\/1\.1 401/);
      expect(refused.ms).toBeLessThan(2_000);
    } finally {
      await app.close();
    }
  }, 20_000);
});
