/**
 * A local stand-in for an ERP: a node:http server on 127.0.0.1 and a random port whose answers
 * the test scripts per request (status, headers, body, or never answering to force a timeout).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly at: number;
}

export type Reply =
  | { readonly status: number; readonly headers?: Record<string, string | readonly string[]>; readonly body?: unknown }
  | 'hang';

export type Responder = (request: RecordedRequest, index: number) => Reply;

export interface TestErp {
  readonly url: string;
  readonly requests: RecordedRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export async function startTestErp(responder: Responder = () => ({ status: 200, body: { ok: true } })): Promise<TestErp> {
  let current = responder;
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: RecordedRequest = {
        method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(),
      };
      requests.push(request);
      const reply = current(request, requests.length - 1);
      if (reply === 'hang') { hanging.add(res); return; }
      const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json', ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(next) { current = next; },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
