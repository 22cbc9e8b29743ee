/**
 * Every error answer, whatever raised it, leaves as `{ error: { code, message, field? } }`:
 * ApiErrors as they are, schema validation as `validation_failed`, fastify's body errors as
 * `payload_too_large` / `unsupported_media_type` / `invalid_json`, plugins' client errors by their
 * status (a refused file path as `not_found`), anything else as `internal`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorBody } from './errors.ts';
import { validationError } from './validation.ts';

const fastifyCodes: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

const messages: Readonly<Record<string, string>> = {
  payload_too_large: 'request body is larger than the limit',
  unsupported_media_type: 'request body must be application/json',
  invalid_json: 'request body is not valid JSON',
};

/** fastify says `querystring`; the field convention says `query`. */
function partName(context: string | undefined): string {
  return context === undefined ? 'body' : context === 'querystring' ? 'query' : context;
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && 'code' in error;
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isFastifyError(error)) {
    if (error.validation !== undefined) return validationError(partName(error.validationContext), error.validation);
    const code = fastifyCodes[error.code];
    if (code !== undefined) return new ApiError(code, messages[code] ?? error.message);
    // Other client errors fastify raises (e.g. a malformed URL) keep their status.
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return new ApiError('validation_failed', error.message, undefined, error.statusCode);
    }
  }
  // Plugins' client errors (@fastify/static's `send` refusing `..` or a NUL in a path) carry a
  // status but no fastify code: a path that names no file is not found, whatever the trick.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return status === 403 || status === 404
      ? new ApiError('not_found', 'not found')
      : new ApiError('validation_failed', error instanceof Error ? error.message : 'bad request', undefined, status);
  }
  return new ApiError('internal', 'internal server error');
}

/** Refusals of work that will be possible again in a moment (a run or a solver finishing). */
const RETRY_SOON = new Set(['plan_run_in_progress', 'solver_busy']);

function send(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.code === 'unauthorized' || error.code === 'bad_signature') reply.header('www-authenticate', 'Bearer');
  if (RETRY_SOON.has(error.code)) reply.header('retry-after', '1');
  // Answered before its body arrived (a bad key, say): close rather than keep reading a body
  // nobody will use from a client that may trickle it forever.
  if (!reply.request.raw.complete) reply.header('connection', 'close');
  return reply.code(error.status).type('application/json; charset=utf-8').send(errorBody(error.code, error.message, error.field));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    if (apiError.code === 'internal') request.log.error({ err: error }, 'request failed');
    return send(reply, apiError);
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, new ApiError('not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}
