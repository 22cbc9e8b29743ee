/**
 * A keep-alive JSON client for the load generator, on node:http (lighter than fetch per
 * request, so the clients take less of the machine's two cores from the service under test).
 */
import { Agent, request } from 'node:http';

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
  /** Wall time from sending to the whole answer read. */
  readonly ms: number;
}

export class JsonClient {
  private readonly agent: Agent;

  constructor(private readonly baseUrl: string, private readonly token: string, sockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  post(path: string, payload: unknown, timeoutMs = 30_000): Promise<JsonAnswer> {
    return this.send('POST', path, JSON.stringify(payload), timeoutMs);
  }

  get(path: string, timeoutMs = 30_000): Promise<JsonAnswer> {
    return this.send('GET', path, undefined, timeoutMs);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, body: string | undefined, timeoutMs: number): Promise<JsonAnswer> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.baseUrl), {
        method,
        agent: this.agent,
        timeout: timeoutMs,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
          resolve({ status: res.statusCode ?? 0, body: parsed, ms: performance.now() - started });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
