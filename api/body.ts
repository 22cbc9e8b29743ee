/**
 * The only body parser: JSON. It reads the raw bytes first so a webhook's signature is verified over
 * exactly what was sent, before any parsing; then parses with fastify's own safe JSON parser.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';
import { SIGNATURE_HEADER, secretsFor, verifySignature, type WebhookSecrets } from './signature.ts';

export interface JsonBodyOptions {
  readonly webhookSecrets: WebhookSecrets;
  /** Current time in milliseconds. */
  readonly clock: () => number;
}

export function installJsonParser(app: FastifyInstance, options: JsonBodyOptions): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // JSON only: any other media type (text/plain included) is 415 unsupported_media_type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    const body = raw as Buffer;
    const principal = request.principal;
    if (request.routeOptions.config.webhook === true && principal !== null) {
      const secrets = secretsFor(principal, options.webhookSecrets);
      if (secrets.length > 0) {
        const header = request.headers[SIGNATURE_HEADER];
        const value = Array.isArray(header) ? header[0] : header;
        const check = verifySignature(value, body, secrets, Math.floor(options.clock() / 1000));
        if (!check.ok) {
          done(new ApiError('bad_signature', check.reason, `headers.${SIGNATURE_HEADER}`), undefined);
          return;
        }
      }
    }
    // An empty JSON body reads as no body; the route's schema decides whether that is allowed.
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    const text = body.toString('utf8');
    parseJson(request, text, (error, value) => done(error === null ? null : whyNotParsed(text, error), value));
  });
}

/**
 * fastify's parser says only "not valid JSON", also for valid JSON it refuses on purpose (a
 * `__proto__` or `constructor.prototype` key, which could poison objects): say which it is.
 */
function whyNotParsed(text: string, error: Error): Error {
  try {
    JSON.parse(text);
  } catch (syntax) {
    return new ApiError('invalid_json', `request body is not valid JSON: ${syntax instanceof Error ? syntax.message : String(syntax)}`);
  }
  return (error as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY'
    ? new ApiError('forbidden_json_key', 'request body holds a "__proto__" or "constructor.prototype" key, which takt refuses')
    : error;
}

/** A route's `preValidation` that lets a client POST with no body at all: the schema then sees `{}`. */
export async function emptyBodyIsEmptyObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
