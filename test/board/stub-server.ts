/**
 * A stand-in for the takt API while the board is tested on its own: serves api/web/ as static
 * files and answers the /v1 routes the board uses from fixture plants, with the same shapes
 * (sync/ports.ts) and the same error envelope. It records what the board sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { DeadLetterView, OrderChange, ScheduleVersionView, SyncStatusView, WhatIfRequest, WhatIfView, WorkOrderView } from '../../sync/ports.ts';
import type { ScheduledOperation, ScheduledOrder } from '../../scheduler/result.ts';
import type { SyntheticPlant } from './fixtures/synthetic.ts';

const WEB_ROOT = new URL('../../api/web/', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StubOptions {
  readonly apiKey: string;
  readonly plants: Readonly<Record<string, SyntheticPlant>>;
  readonly sync: { readonly status: SyncStatusView; readonly deadLetters: readonly DeadLetterView[] };
}

export interface StubServer {
  readonly url: string;
  /** Requests the board made, in order: method, path, Authorization header, parsed body. */
  readonly requests: readonly { method: string; path: string; authorization: string | undefined; body: unknown }[];
  schedule(plant: string): ScheduleVersionView;
  close(): Promise<void>;
}

const MINUTE = 60_000;

/** A plausible what-if: every operation of an order that touches a new downtime's work center slides by its length. */
export function stubWhatIf(current: ScheduleVersionView, request: WhatIfRequest): WhatIfView {
  let operations: ScheduledOperation[] = [...current.operations];
  for (const d of request.downtimes ?? []) {
    const start = Date.parse(d.start);
    const shift = Date.parse(d.end) - start;
    const hit = new Set(operations.filter((op) => op.workCenter === d.workCenter && Date.parse(op.end) > start).map((op) => op.workOrder));
    operations = operations.map((op) => hit.has(op.workOrder) && Date.parse(op.end) > start
      ? { ...op, start: new Date(Math.max(Date.parse(op.start), start) + shift).toISOString(), end: new Date(Date.parse(op.end) + shift).toISOString() }
      : op);
  }
  const orders: ScheduledOrder[] = current.orders.map((o) => {
    const ends = operations.filter((op) => op.workOrder === o.workOrder).map((op) => Date.parse(op.end));
    if (!ends.length) return o;
    const plannedEnd = Math.max(...ends);
    return { ...o, plannedEnd: new Date(plannedEnd).toISOString(), latenessMinutes: Math.round((plannedEnd - Date.parse(o.due)) / MINUTE) };
  });
  const changes: OrderChange[] = orders.flatMap((after) => {
    const before = current.orders.find((o) => o.workOrder === after.workOrder)!;
    if (before.plannedEnd === after.plannedEnd) return [];
    const pick = (o: ScheduledOrder) => ({ plannedStart: o.plannedStart, plannedEnd: o.plannedEnd, dispatchPriority: o.dispatchPriority });
    return [{ workOrder: after.workOrder, before: pick(before), after: pick(after) }];
  });
  const scheduled = orders.filter((o) => o.status === 'scheduled');
  const late = scheduled.filter((o) => (o.latenessMinutes ?? 0) > 0);
  const lastEnd = Math.max(...operations.map((op) => Date.parse(op.end)));
  const kpis = {
    ...current.kpis,
    lateOrders: late.length,
    onTimeRate: scheduled.length ? (scheduled.length - late.length) / scheduled.length : 1,
    totalWeightedTardinessMinutes: late.reduce((s, o) => s + (o.latenessMinutes ?? 0), 0),
    makespanMinutes: Math.round((lastEnd - Date.parse(current.now)) / MINUTE),
    operationsMoved: operations.filter((op, i) => op !== current.operations[i]).length,
  };
  return { kpis, baseKpis: current.kpis, changes, operations, orders, problems: current.problems };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const fail = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
  const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
  const file = join(WEB_ROOT, relative);
  if (!file.startsWith(WEB_ROOT) || relative.split(sep).includes('..')) return fail(res, 404, 'not_found', 'No such file');
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    fail(res, 404, 'not_found', 'No such file');
  }
}

export async function startStubServer(options: StubOptions): Promise<StubServer> {
  const schedules = new Map(Object.entries(options.plants).map(([id, p]) => [id, p.schedule]));
  const deadLetters = [...options.sync.deadLetters];
  const requests: { method: string; path: string; authorization: string | undefined; body: unknown }[] = [];

  async function api(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : undefined;
    requests.push({ method, path, authorization: req.headers.authorization, body });
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) return fail(res, 401, 'unauthorized', 'Missing or unknown API key');

    if (method === 'GET' && path === '/v1/plants') return send(res, 200, { plants: Object.keys(options.plants) });
    if (method === 'GET' && path === '/v1/sync/status') return send(res, 200, { ...options.sync.status, deadLetters: deadLetters.length });
    if (method === 'GET' && path === '/v1/sync/dead-letters') return send(res, 200, deadLetters);
    const replay = /^\/v1\/sync\/dead-letters\/([^/]+)\/replay$/.exec(path);
    if (method === 'POST' && replay) {
      const i = deadLetters.findIndex((d) => d.id === decodeURIComponent(replay[1]!));
      if (i < 0) return fail(res, 404, 'not_found', 'No such dead letter');
      const [letter] = deadLetters.splice(i, 1);
      return send(res, 202, { id: letter!.id, requeued: true });
    }

    const m = /^\/v1\/plants\/([^/]+)\/(schedule|state|reschedule|what-if|work-orders\/([^/]+))$/.exec(path);
    const plantId = m ? decodeURIComponent(m[1]!) : '';
    const plant = options.plants[plantId];
    const schedule = schedules.get(plantId);
    if (!m || !plant || !schedule) return fail(res, 404, 'not_found', `No route ${method} ${path}`);
    const what = m[2]!;
    if (method === 'GET' && what === 'schedule') return send(res, 200, schedule);
    if (method === 'GET' && what === 'state') return send(res, 200, plant.plant);
    if (method === 'POST' && what === 'reschedule') {
      const next: ScheduleVersionView = {
        ...schedule,
        version: schedule.version + 1,
        createdAt: new Date().toISOString(),
        reason: (body as { reason?: string } | undefined)?.reason ?? 'reschedule',
        kpis: { ...schedule.kpis, operationsMoved: 0 },
      };
      schedules.set(plantId, next);
      return send(res, 200, next);
    }
    if (method === 'POST' && what === 'what-if') return send(res, 200, stubWhatIf(schedule, (body ?? {}) as WhatIfRequest));
    if (method === 'GET' && m[3]) {
      const id = decodeURIComponent(m[3]);
      const order = schedule.orders.find((o) => o.workOrder === id);
      const spec = plant.plant.problem.workOrders.find((w) => w.id === id);
      if (!order || !spec) return fail(res, 404, 'not_found', `No work order ${id}`);
      const view: WorkOrderView = {
        workOrder: id, item: spec.item, quantity: spec.quantity, due: spec.due, priority: spec.priority ?? 1,
        status: spec.status ?? 'released', scheduleVersion: schedule.version,
        plannedStart: order.plannedStart, plannedEnd: order.plannedEnd, latenessMinutes: order.latenessMinutes,
        dispatchPriority: order.dispatchPriority, reasons: order.reasons,
        operations: schedule.operations.filter((op) => op.workOrder === id),
        problems: schedule.problems.filter((p) => 'workOrder' in p && p.workOrder === id),
      };
      return send(res, 200, view);
    }
    return fail(res, 405, 'method_not_allowed', `${method} ${path}`);
  }

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const handle = pathname.startsWith('/v1/') ? api(req, res, pathname) : serveStatic(res, pathname);
    handle.catch((error: unknown) => fail(res, 500, 'internal', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    schedule: (plant) => schedules.get(plant)!,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
