/** `KeyAdmin` over a running takt's `/v1/keys` routes, for `takt keys` while `takt start` holds the store. */
import type { KeyAdmin, KeyView } from '../sync/keys/port.ts';
import type { Failure, Result } from '../sync/ports.ts';
import { CommandError } from './command-error.ts';

export function httpKeyAdmin(baseUrl: string, token: string): KeyAdmin {
  async function call<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      return { ok: false, code: 'service_unreachable', message: `the running takt at ${baseUrl} did not answer: ${(error as Error).message}` };
    }
    const answer = await response.json().catch(() => null) as { error?: Omit<Failure, 'ok'> } | null;
    if (response.ok) return { ok: true, value: answer as T };
    return { ok: false, code: answer?.error?.code ?? 'http_error', message: answer?.error?.message ?? `HTTP ${response.status}`, ...(answer?.error?.field !== undefined && { field: answer.error.field }) };
  }
  const orThrow = <T>(result: Result<T>): T => {
    if (!result.ok) throw new CommandError(result.message);
    return result.value;
  };
  return {
    create: (request) => call('POST', '/keys', request),
    list: async () => orThrow(await call<{ keys: KeyView[] }>('GET', '/keys')).keys,
    revoke: (id) => call('POST', `/keys/${encodeURIComponent(id)}/revoke`),
  };
}
