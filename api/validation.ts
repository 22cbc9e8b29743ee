/**
 * Turns fastify's schema-validation errors (ajv) into one `validation_failed` error naming the
 * offending field: `body.events[0].version`, `query.horizonHours`, `params.plant`.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { INSTANT_PATTERN, LOCAL_DATE_PATTERN, LOCAL_TIME_PATTERN } from '../sync/ingest/formats.ts';
import { ApiError } from './errors.ts';

const INSTANT_TEXT = 'must be an ISO-8601 instant with an offset, e.g. 2026-11-22T08:00:00Z';

/** Plain words for the patterns and formats the schemas use, instead of a raw regular expression. */
const knownShapes: Readonly<Record<string, string>> = {
  [INSTANT_PATTERN]: INSTANT_TEXT,
  'date-time': INSTANT_TEXT,
  [LOCAL_DATE_PATTERN]: 'must be a local date YYYY-MM-DD',
  date: 'must be a local date YYYY-MM-DD',
  [LOCAL_TIME_PATTERN]: 'must be a local time HH:mm',
};

/** JSON Pointer (`/events/0/version`) → `events[0].version`. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^\d+$/.test(segment) ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  }
  return path;
}

function join(base: string, key: string): string {
  if (key === '') return base;
  if (base === '') return key;
  return /^\d+$/.test(key) ? `${base}[${key}]` : `${base}.${key}`;
}

/** The field an ajv error is about; `required` and `additionalProperties` name the child. */
export function fieldOf(part: string, error: FastifySchemaValidationError): string {
  const relative = pointerToPath(error.instancePath);
  let path = relative.startsWith('[') ? `${part}${relative}` : join(part, relative);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    path = join(path, params['missingProperty']);
  } else if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    path = join(path, params['additionalProperty']);
  }
  return path;
}

function describe(error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not an allowed field';
    case 'enum':
      return Array.isArray(params['allowedValues'])
        ? `must be one of ${params['allowedValues'].map((v) => JSON.stringify(v)).join(', ')}`
        : (error.message ?? 'is invalid');
    case 'const':
      return `must be ${JSON.stringify(params['allowedValue'])}`;
    case 'pattern':
    case 'format': {
      const shape = params[error.keyword];
      return (typeof shape === 'string' ? knownShapes[shape] : undefined) ?? error.message ?? 'is invalid';
    }
    default:
      return error.message ?? 'is invalid';
  }
}

/**
 * A union of literals fails as one `const` error per branch then an `anyOf` error at the same
 * place; say which values are allowed rather than "must be equal to constant".
 */
function allowedLiterals(errors: readonly FastifySchemaValidationError[]): readonly unknown[] | null {
  const first = errors[0];
  if (first?.keyword !== 'const') return null;
  const values: unknown[] = [];
  for (const error of errors) {
    if (error.instancePath !== first.instancePath) return null;
    if (error.keyword === 'anyOf') return values;
    if (error.keyword !== 'const') return null;
    values.push((error.params as Record<string, unknown>)['allowedValue']);
  }
  return null;
}

export function validationError(part: string, errors: readonly FastifySchemaValidationError[]): ApiError {
  const first = errors[0];
  if (first === undefined) return new ApiError('validation_failed', `${part} is invalid`, part);
  const field = fieldOf(part, first);
  const literals = allowedLiterals(errors);
  const message = literals === null ? describe(first) : `must be one of ${literals.map((v) => JSON.stringify(v)).join(', ')}`;
  return new ApiError('validation_failed', `${field} ${message}`, field);
}
