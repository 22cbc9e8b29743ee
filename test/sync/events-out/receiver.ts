/**
 * A webhook receiver on 127.0.0.1 that a test scripts per request (status, headers, body), takes
 * down (connections refused: the port stops listening) and brings up again on the same port. It
 * does what a careful receiver does: verifies the signature (with api/signature.ts, the verifier
 * of takt's own inbound webhooks) and de-duplicates by event id, counting how often it accepted
 * each id so a test can assert none twice and none missing.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../../api/signature.ts';

export interface ReceivedRequest {
  /** Path and query (a test tells subscribers apart by it). */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly eventId: string;
  /** By the receiver's clock (the test's, possibly compressed). */
  readonly at: number;
  readonly signatureOk: boolean;
}

export type Answer = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string; readonly delayMs?: number };

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** 2xx answers per event id (what the receiver processed, once each if it de-duplicates). */
  readonly accepted: Map<string, number>;
  respond(answer: (request: ReceivedRequest, index: number) => Answer): void;
  /** The secrets the receiver verifies with (any one matching passes). */
  trust(secrets: readonly string[]): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(clock: () => number = Date.now): Promise<Receiver> {
  let answer: (request: ReceivedRequest, index: number) => Answer = () => ({ status: 200 });
  let secrets: readonly string[] = [];
  const requests: ReceivedRequest[] = [];
  const accepted = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = req.headers['x-takt-signature'];
      // Verified against the header's own time: a compressed test clock is not the signer's concern.
      const t = Number(/t=(\d+)/.exec(String(header))?.[1] ?? 0);
      const request: ReceivedRequest = {
        url: req.url ?? '', headers: req.headers, body: raw.toString('utf8'), eventId: String(req.headers['idempotency-key'] ?? ''), at: clock(),
        signatureOk: verifySignature(typeof header === 'string' ? header : undefined, raw, secrets, t).ok,
      };
      requests.push(request);
      const reply = request.signatureOk ? answer(request, requests.length - 1) : { status: 401, body: 'bad signature' };
      if (reply.status >= 200 && reply.status < 300) accepted.set(request.eventId, (accepted.get(request.eventId) ?? 0) + 1);
      const send = () => {
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.body ?? '');
      };
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs);
    });
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}/hooks/takt`,
    requests,
    accepted,
    respond(next) { answer = next; },
    trust(next) { secrets = next; },
    down: stop,
    async up() {
      if (listening) return;
      await listen(port);
      listening = true;
    },
    close: stop,
  };
}
