/**
 * Path parameters, query strings and bodies with strings PostgreSQL cannot store (a NUL, an
 * unpaired surrogate) are bad input: 400 `validation_failed` with the field, before a handler
 * runs. A route that judges its items one by one (the event batch) says so and does it itself.
 */
import type { FastifyInstance } from 'fastify';
import { firstUnstorableString, UNSTORABLE_REASON } from '../sync/ingest/storable-strings.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The body's items are judged one by one (and rejected alone), strings included. */
    itemsJudged?: boolean;
  }
}

export function installStorableStrings(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts: [string, unknown][] = [['params', request.params], ['query', request.query]];
    if (request.routeOptions.config?.itemsJudged !== true) parts.push(['body', request.body]);
    for (const [part, value] of parts) {
      const field = firstUnstorableString(value, part);
      if (field !== null) throw new ApiError('validation_failed', `${field} ${UNSTORABLE_REASON}`, field);
    }
  });
}
