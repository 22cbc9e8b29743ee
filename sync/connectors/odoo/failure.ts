/**
 * What a failed Odoo call means for the caller: try again later, or Odoo refused the data and
 * the same call will fail again. Both APIs name the Python exception (`error.data.name` in a
 * JSON-RPC answer, which is always HTTP 200; `name` in a JSON-2 error body, with an HTTP status).
 */
import { parseRetryAfter } from '../../writeback/outcome.ts';

export type OdooFailure =
  /** Down, slow, throttled, misconfigured or an Odoo bug: a later retry may succeed. */
  | { readonly kind: 'unavailable'; readonly reason: string; readonly status: number | null; readonly retryAfterMs: number | null }
  /** Odoo refused the call (a UserError and its kin): the same call fails again. */
  | { readonly kind: 'refused'; readonly reason: string; readonly status: number | null; readonly exception: string };

export type OdooAnswer<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & OdooFailure);

/**
 * The exceptions of `odoo.exceptions` that are the data's fault: UserError and its subclasses
 * (ValidationError, AccessError, MissingError, RedirectWarning). AccessDenied is not among them:
 * it is a wrong login or key, which says nothing about the record (fix the configuration, retry).
 */
const REFUSALS = /(^|\.)(UserError|ValidationError|AccessError|MissingError|RedirectWarning|Warning|except_orm)$/;

export function isRefusal(exception: string): boolean {
  return REFUSALS.test(exception);
}

const MAX_REASON = 1_000;

export function unavailable(reason: string, status: number | null = null, retryAfterMs: number | null = null): OdooFailure {
  return { kind: 'unavailable', reason: reason.slice(0, MAX_REASON), status, retryAfterMs };
}

/** An error Odoo named: refused when it is the data's fault, otherwise worth a retry. */
export function fromException(exception: string, message: string, status: number | null): OdooFailure {
  const reason = (message === '' ? exception : `${exception}: ${message}`).slice(0, MAX_REASON);
  if (isRefusal(exception)) return { kind: 'refused', reason, status, exception };
  if (/AccessDenied$/.test(exception)) return unavailable(`Odoo refused the credentials (${reason}): check login, password or API key`, status);
  return unavailable(reason, status);
}

/** HTTP statuses that are the server's or the network's state, not the request's. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export function transientHttp(status: number, headers: Headers, what: string, now: number = Date.now()): OdooFailure {
  return unavailable(`${what} answered HTTP ${status}`, status, parseRetryAfter(headers.get('retry-after'), now));
}
