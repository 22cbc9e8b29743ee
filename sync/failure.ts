/** The one way the core answers a failure its caller must turn into an error response. */
import type { Failure } from './ports.ts';

export function failure(code: string, message: string, field?: string): Failure {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, message, field };
}
