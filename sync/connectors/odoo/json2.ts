/**
 * Odoo 19's JSON-2 API: `POST <url>/json/2/<model>/<method>` with `Authorization: bearer <key>`,
 * `X-Odoo-Database` (needed when one server hosts several databases) and a JSON object of
 * `ids`, `context` and the method's named parameters. Success is HTTP 200 with the method's
 * return value as the body; an error is a 4xx/5xx whose body names the exception
 * (`{name: "odoo.exceptions.ValidationError", message, arguments, context, debug}` in 19.0;
 * later builds send the message alone as a JSON string). Each call is its own transaction.
 */
import { exchange } from '../../writeback/http.ts';
import type { ResolvedOdooConfig } from './config.ts';
import { fromException, isTransientStatus, transientHttp, unavailable, type OdooAnswer, type OdooFailure } from './failure.ts';
import type { OdooCall, OdooTransport } from './transport.ts';

export function json2Transport(config: ResolvedOdooConfig): OdooTransport {
  let requests = 0;
  return {
    get requests() { return requests; },
    async call<T>(call: OdooCall): Promise<OdooAnswer<T>> {
      requests += 1;
      const url = `${config.url}/json/2/${encodeURIComponent(call.model)}/${encodeURIComponent(call.method)}`;
      const answer = await exchange(url, {
        method: 'POST',
        headers: {
          ...config.headers,
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          authorization: `bearer ${config.secret}`,
          'x-odoo-database': config.database,
          'user-agent': 'takt-odoo-connector',
        },
        body: JSON.stringify({ ...(call.ids !== null && { ids: call.ids }), ...call.params, context: call.context }),
      }, config.timeoutMs);
      if (!answer.ok) {
        const outcome = answer.outcome;
        return { ok: false, ...unavailable(outcome.kind === 'delivered' ? 'no answer' : `Odoo: ${outcome.reason}`) };
      }
      if (isTransientStatus(answer.status)) return { ok: false, ...transientHttp(answer.status, answer.headers, 'Odoo') };
      let body: unknown;
      try {
        body = answer.body === '' ? null : JSON.parse(answer.body);
      } catch {
        return { ok: false, ...unavailable(`Odoo answered HTTP ${answer.status} with non-JSON`, answer.status) };
      }
      if (answer.status >= 200 && answer.status < 300) return { ok: true, value: body as T };
      return { ok: false, ...classifyJson2Error(answer.status, body) };
    },
  };
}

/** A JSON-2 error: the exception named in the body decides; without a name, the status does. */
export function classifyJson2Error(status: number, body: unknown): OdooFailure {
  const record = typeof body === 'object' && body !== null ? body as Record<string, unknown> : {};
  const name = typeof record.name === 'string' ? record.name : '';
  const message = typeof record.message === 'string' ? record.message : typeof body === 'string' ? body : '';
  if (name !== '' && !name.startsWith('werkzeug.')) return fromException(name, message, status);
  if (status === 400 || status === 422) {
    // Bad or unexpected parameters (or a UserError without its name): the same call fails again.
    return { kind: 'refused', reason: message === '' ? `HTTP ${status}` : message, status, exception: name === '' ? `HTTP ${status}` : name };
  }
  if (status === 401) return unavailable(`Odoo refused the API key (HTTP 401${message === '' ? '' : `: ${message}`}): check apiKey`, status);
  // 403/404 without an Odoo exception: a key without the scope, a module not installed, a wrong URL.
  return unavailable(`Odoo answered HTTP ${status}${message === '' ? '' : `: ${message}`}`, status);
}
