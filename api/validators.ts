/**
 * Request validation: bodies are checked strictly (a string is never taken for a number), while
 * the query string and path parameters, which arrive as text, are coerced to their types. One
 * Ajv per mode, both with the standard formats and unknown fields reported, never dropped.
 */
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

function ajvFor(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, addUsedSchema: false });
  // ajv-formats is CommonJS: its function is the module's default export.
  (formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
  return ajv;
}

export function installValidators(app: FastifyInstance): void {
  const strict = ajvFor(false);
  const coercing = ajvFor('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}
