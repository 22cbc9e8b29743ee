/**
 * Odoo's JSON-RPC external API (16-18; still served by 19): `POST <url>/jsonrpc` with
 * `{jsonrpc: "2.0", method: "call", params: {service, method, args}, id}`. `common.login`
 * gives the uid; every model call is `object.execute_kw` carrying database, uid and password
 * (or API key). Odoo answers every error inside an HTTP 200 as
 * `{error: {code: 200, message: "Odoo Server Error", data: {name: "odoo.exceptions.UserError", message, arguments, debug}}}`.
 */
import { exchange } from '../../writeback/http.ts';
import type { ResolvedOdooConfig } from './config.ts';
import { fromException, isTransientStatus, transientHttp, unavailable, type OdooAnswer } from './failure.ts';
import type { OdooCall, OdooTransport } from './transport.ts';

interface RpcBody {
  readonly result?: unknown;
  readonly error?: { readonly message?: unknown; readonly data?: { readonly name?: unknown; readonly message?: unknown } };
}

export function jsonRpcTransport(config: ResolvedOdooConfig): OdooTransport {
  const endpoint = `${config.url}/jsonrpc`;
  let uid: number | null = null;
  let requestId = 0;
  let requests = 0;

  async function post(service: string, method: string, args: readonly unknown[]): Promise<OdooAnswer<unknown>> {
    requestId += 1;
    requests += 1;
    const answer = await exchange(endpoint, {
      method: 'POST',
      headers: { ...config.headers, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: requestId }),
    }, config.timeoutMs);
    if (!answer.ok) {
      const outcome = answer.outcome;
      return { ok: false, ...unavailable(outcome.kind === 'delivered' ? 'no answer' : `Odoo: ${outcome.reason}`) };
    }
    if (isTransientStatus(answer.status)) return { ok: false, ...transientHttp(answer.status, answer.headers, 'Odoo') };
    // JSON-RPC answers 200 even for refusals; any other status is a proxy or a wrong URL, not the data.
    if (answer.status < 200 || answer.status >= 300) {
      return { ok: false, ...unavailable(`Odoo answered HTTP ${answer.status} at ${endpoint}: check the url and the proxy headers`, answer.status) };
    }
    let body: RpcBody;
    try {
      body = JSON.parse(answer.body) as RpcBody;
    } catch {
      return { ok: false, ...unavailable('Odoo answered with non-JSON', answer.status) };
    }
    if (body.error !== undefined && body.error !== null) {
      const name = typeof body.error.data?.name === 'string' ? body.error.data.name : 'Odoo Server Error';
      const message = typeof body.error.data?.message === 'string' ? body.error.data.message
        : typeof body.error.message === 'string' ? body.error.message : '';
      return { ok: false, ...fromException(name, message, answer.status) };
    }
    return { ok: true, value: body.result };
  }

  async function login(): Promise<OdooAnswer<number>> {
    if (uid !== null) return { ok: true, value: uid };
    const answer = await post('common', 'login', [config.database, config.login, config.secret]);
    if (!answer.ok) return answer;
    // `login` answers false for wrong credentials: the configuration's fault, never the data's.
    if (typeof answer.value !== 'number') {
      return { ok: false, ...unavailable(`Odoo login failed for "${config.login}" on database "${config.database}": check login and password or API key`) };
    }
    uid = answer.value;
    return { ok: true, value: uid };
  }

  return {
    get requests() { return requests; },
    async call<T>(call: OdooCall): Promise<OdooAnswer<T>> {
      const user = await login();
      if (!user.ok) return user;
      const args = call.ids === null ? [] : [call.ids];
      const answer = await post('object', 'execute_kw', [
        config.database, user.value, config.secret, call.model, call.method, args, { ...call.params, context: call.context },
      ]);
      // A changed password or revoked key: log in again next time.
      if (!answer.ok && /AccessDenied/.test(answer.reason)) uid = null;
      return answer as OdooAnswer<T>;
    },
  };
}
