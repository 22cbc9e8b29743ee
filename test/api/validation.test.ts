import type { FastifySchemaValidationError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { fieldOf, pointerToPath, validationError } from '../../api/validation.ts';

const ajvError = (over: Partial<FastifySchemaValidationError>): FastifySchemaValidationError => ({
  keyword: 'type',
  instancePath: '',
  schemaPath: '#',
  params: {},
  message: 'must be object',
  ...over,
});

describe('validation field paths', () => {
  it('turns JSON pointers into dotted paths with [i]', () => {
    expect(pointerToPath('')).toBe('');
    expect(pointerToPath('/events/0/version')).toBe('events[0].version');
    expect(pointerToPath('/0/a')).toBe('[0].a');
    expect(pointerToPath('/a~1b/c~0d')).toBe('a/b.c~d');
  });

  it('prefixes the request part and names missing and unknown children', () => {
    expect(fieldOf('body', ajvError({ instancePath: '/events/2' , keyword: 'required', params: { missingProperty: 'id' } }))).toBe(
      'body.events[2].id',
    );
    expect(fieldOf('body', ajvError({ keyword: 'additionalProperties', params: { additionalProperty: 'x' } }))).toBe('body.x');
    expect(fieldOf('query', ajvError({ instancePath: '/horizonHours' }))).toBe('query.horizonHours');
    expect(fieldOf('body', ajvError({}))).toBe('body');
  });

  it('reports the first error as validation_failed with its field', () => {
    const error = validationError('body', [
      ajvError({ instancePath: '/events/0/source', keyword: 'enum', params: { allowedValues: ['erp', 'wms'] } }),
      ajvError({ instancePath: '/x' }),
    ]);
    expect({ code: error.code, status: error.status, field: error.field, message: error.message }).toEqual({
      code: 'validation_failed',
      status: 400,
      field: 'body.events[0].source',
      message: 'body.events[0].source must be one of "erp", "wms"',
    });
  });
});
