/**
 * The one registry of API error codes. Every error answer is `{ error: { code, message, field? } }`
 * with a stable `code` from here (or a core `Failure` code passed through unchanged).
 *
 * `field` convention: the request part, then a dotted path with `[i]` for array items, e.g.
 * `body.events[0].version`, `query.horizonHours`, `params.plant`, `headers.x-takt-signature`.
 */
import type { Failure } from '../sync/ports.ts';

export const errorStatus = {
  /** Missing, malformed or unknown API key. */
  unauthorized: 401,
  /** Webhook signature missing, wrong or older than the tolerance. */
  bad_signature: 401,
  /** The key lacks the scope the route needs. */
  forbidden_scope: 403,
  /** The key is restricted to other plants. */
  forbidden_plant: 403,
  /** Request failed schema validation; `field` names the offending part. */
  validation_failed: 400,
  /** Body is not well-formed JSON. */
  invalid_json: 400,
  /** Body is JSON with a `__proto__` or `constructor.prototype` key, refused as a prototype-poisoning attempt. */
  forbidden_json_key: 400,
  not_found: 404,
  plant_not_found: 404,
  schedule_not_found: 404,
  work_order_not_found: 404,
  work_center_not_found: 404,
  operation_not_found: 404,
  receipt_not_found: 404,
  hold_not_found: 404,
  dead_letter_not_found: 404,
  api_key_not_found: 404,
  /** A pin that starts before now. */
  pin_in_past: 422,
  /** Revoking it would leave no active admin key. */
  last_admin_key: 409,
  webhook_subscription_not_found: 404,
  /** A webhook URL takt will not send to (not http(s), or with credentials in it). */
  invalid_webhook_url: 400,
  method_not_allowed: 405,
  /** The request conflicts with current state (e.g. a dead letter that can no longer be replayed). */
  conflict: 409,
  /** Another run is planning the plant (a planner's, a queued one, another worker's): refused before solving; `Retry-After` says when to ask again. */
  plan_run_in_progress: 409,
  /** The version is not (or no longer) proposed: published, discarded or superseded. */
  not_proposed: 409,
  /** A newer version exists: review and approve that one. */
  proposal_superseded: 409,
  /** Events arrived after the proposal was planned; a new proposal follows. */
  proposal_outdated: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** A well-formed request the core could not carry out. */
  unprocessable: 422,
  /** Over a rate limit (per API key, or failed authentications per address); `Retry-After` says when to retry. */
  rate_limited: 429,
  not_ready: 503,
  /** Every what-if solver is busy and its waiting line is full; `Retry-After` says when to ask again. */
  solver_busy: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

/** Thrown inside hooks and handlers; the app's error handler turns it into an error answer. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;

  constructor(code: ErrorCode | string, message: string, field?: string, status?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status ?? statusOfCode(code);
    this.field = field;
  }
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorStatus, code);
}

/**
 * Status for a code: the registry's, else `*_not_found` → 404, else 422 (a core failure is an
 * expected, well-formed refusal, not a server fault).
 */
export function statusOfCode(code: string): number {
  if (isErrorCode(code)) return errorStatus[code];
  if (code.endsWith('_not_found')) return 404;
  return 422;
}

export function errorBody(code: string, message: string, field?: string): ErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

export function apiErrorFromFailure(failure: Failure): ApiError {
  return new ApiError(failure.code, failure.message, failure.field);
}
