/**
 * Odoo over JSON-RPC (`POST <url>/jsonrpc`, method `call`, service `object`, `execute_kw`).
 *
 * Mapping of the canonical write-back:
 * - the order is the `mrp.production` whose `name` is `workOrder` (e.g. `WH/MO/00012`); one in
 *   state `done` or `cancel` is never written (rejected → dead letter);
 * - plannedStart / plannedEnd → `date_start` / `date_finished` (Odoo 17+), or
 *   `date_planned_start` / `date_planned_finished` with `fieldSet: 'legacy'` (Odoo ≤ 16);
 * - each operation → the `mrp.workorder` of that production whose `name` (or operation name)
 *   equals `operation`, same date fields; work orders done or cancelled are left alone, and
 *   unmatched operations are skipped (Odoo has no such work order to move);
 * - datetimes are written as Odoo expects them: `YYYY-MM-DD HH:MM:SS` in UTC;
 * - dispatchPriority and work centers are not written (Odoo's `priority` is a 0/1 star and
 *   `workcenter_id` needs an id mapping takt does not hold).
 * Odoo answers errors inside a 200: ValidationError, UserError, AccessError, MissingError and
 * AccessDenied are the ERP refusing (dead letter); any other server error is retried.
 */
import type { WritebackAdapter } from './adapter.ts';
import { DEFAULT_TIMEOUT_MS, exchange } from './http.ts';
import { classifyResponse, type DeliveryOutcome } from './outcome.ts';
import type { WritebackPayload } from './payload.ts';

export interface OdooAdapterConfig {
  /** Base URL of the Odoo server, e.g. `https://erp.example.com`. */
  readonly url: string;
  readonly database: string;
  readonly login: string;
  /** Password or API key. */
  readonly password: string;
  readonly fieldSet?: 'v17' | 'legacy';
  readonly timeoutMs?: number;
}

const REFUSALS = ['ValidationError', 'UserError', 'AccessError', 'MissingError', 'AccessDenied'];
const CLOSED_STATES = new Set(['done', 'cancel']);

type RpcAnswer = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly outcome: DeliveryOutcome };

/** `2026-11-22T08:00:00Z` → `2026-11-22 08:00:00` (UTC). */
export function toOdooDatetime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

export function odooAdapter(config: OdooAdapterConfig): WritebackAdapter {
  const endpoint = `${config.url.replace(/\/$/, '')}/jsonrpc`;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fields = config.fieldSet === 'legacy'
    ? { start: 'date_planned_start', end: 'date_planned_finished' }
    : { start: 'date_start', end: 'date_finished' };
  let uid: number | null = null;
  let requestId = 0;

  async function call(service: string, method: string, args: readonly unknown[]): Promise<RpcAnswer> {
    requestId += 1;
    const answer = await exchange(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: requestId }),
    }, timeoutMs);
    if (!answer.ok) return answer;
    const http = classifyResponse(answer.status, answer.headers, answer.body);
    if (http.kind !== 'delivered') return { ok: false, outcome: http };
    let json: { result?: unknown; error?: { message?: string; data?: { name?: string; message?: string } } };
    try {
      json = JSON.parse(answer.body) as typeof json;
    } catch {
      return { ok: false, outcome: { kind: 'retry', reason: 'Odoo answered with non-JSON', status: answer.status, retryAfterMs: null } };
    }
    if (json.error !== undefined) {
      const name = json.error.data?.name ?? '';
      const reason = json.error.data?.message ?? json.error.message ?? 'Odoo error';
      const refused = REFUSALS.some((r) => name.endsWith(r));
      return { ok: false, outcome: refused ? { kind: 'rejected', reason, status: answer.status } : { kind: 'retry', reason, status: answer.status, retryAfterMs: null } };
    }
    return { ok: true, result: json.result };
  }

  function execute(model: string, method: string, args: readonly unknown[], kwargs: Record<string, unknown> = {}): Promise<RpcAnswer> {
    return call('object', 'execute_kw', [config.database, uid, config.password, model, method, args, kwargs]);
  }

  async function login(): Promise<DeliveryOutcome | null> {
    if (uid !== null) return null;
    const answer = await call('common', 'login', [config.database, config.login, config.password]);
    if (!answer.ok) return answer.outcome;
    // A failed login says nothing about this write-back: retry it (and fix the credentials) rather than dead-letter it.
    if (typeof answer.result !== 'number') return { kind: 'retry', reason: 'Odoo login failed: check ODOO_DATABASE, ODOO_LOGIN, ODOO_PASSWORD', status: null, retryAfterMs: null };
    uid = answer.result;
    return null;
  }

  return {
    kind: 'odoo',
    async deliver(payload: WritebackPayload): Promise<DeliveryOutcome> {
      const failedLogin = await login();
      if (failedLogin !== null) return failedLogin;

      const found = await execute('mrp.production', 'search_read', [[['name', '=', payload.workOrder]]], { fields: ['id', 'state'], limit: 1 });
      if (!found.ok) return found.outcome;
      const production = (found.result as readonly { id: number; state: string }[])[0];
      if (production === undefined) return { kind: 'rejected', reason: `mrp.production ${payload.workOrder} not found`, status: null };
      if (CLOSED_STATES.has(production.state)) {
        return { kind: 'rejected', reason: `mrp.production ${payload.workOrder} is ${production.state}`, status: null };
      }

      const written = await execute('mrp.production', 'write', [[production.id], {
        [fields.start]: toOdooDatetime(payload.plannedStart),
        [fields.end]: toOdooDatetime(payload.plannedEnd),
      }]);
      if (!written.ok) return written.outcome;

      const workorders = await execute('mrp.workorder', 'search_read', [[['production_id', '=', production.id]]], { fields: ['id', 'name', 'state', 'operation_id'] });
      if (!workorders.ok) return workorders.outcome;
      const rows = workorders.result as readonly { id: number; name: string; state: string; operation_id: false | readonly [number, string] }[];
      for (const op of payload.operations) {
        const row = rows.find((r) => r.name === op.operation || (r.operation_id !== false && r.operation_id[1] === op.operation));
        if (row === undefined || CLOSED_STATES.has(row.state)) continue;
        const wo = await execute('mrp.workorder', 'write', [[row.id], {
          [fields.start]: toOdooDatetime(op.plannedStart),
          [fields.end]: toOdooDatetime(op.plannedEnd),
        }]);
        if (!wo.ok) return wo.outcome;
      }
      return { kind: 'delivered', status: 200 };
    },
  };
}
