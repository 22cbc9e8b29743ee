/** Building blocks shared by every route schema. */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** ISO-8601 instant with an offset (UTC recommended). */
export const Instant = Type.String({ format: 'date-time', examples: ['2026-11-22T08:00:00Z'] });

/**
 * An array schema whose static type is a readonly array, so the core's readonly views
 * (sync/ports.ts) can be sent without copying or casting.
 */
export function ReadonlyArrayOf<T extends TSchema>(
  items: T,
  options?: Parameters<typeof Type.Array>[1],
): TUnsafe<readonly Static<T>[]> {
  // A plain TypeBox array at runtime (so TypeBox's own checks still know it); only the static type is widened.
  return Type.Array(items, options) as unknown as TUnsafe<readonly Static<T>[]>;
}

/** A string enum as JSON Schema `enum` (clearer validation messages than a union of literals). */
export function StringEnum<const T extends readonly string[]>(values: T, options?: { description?: string }) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, see api/errors.ts.' }),
      message: Type.String(),
      field: Type.Optional(Type.String({ description: 'Offending field, e.g. `body.events[0].version`.' })),
    }),
  },
  { title: 'Error' },
);

type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 503;

/** `{ 400: ErrorSchema, 401: ErrorSchema, … }` for a route's response map. */
export function errorResponses<const S extends readonly ErrorStatus[]>(...statuses: S): { [K in S[number]]: typeof ErrorSchema } {
  const out: Partial<Record<ErrorStatus, typeof ErrorSchema>> = {};
  for (const status of [...statuses, 500 as const]) out[status] = ErrorSchema;
  return out as { [K in S[number]]: typeof ErrorSchema };
}

/** The answers every authenticated route can give besides its own. */
export const authErrors = [400, 401, 403] as const;

export const PlantParams = Type.Object({ plant: Type.String({ minLength: 1, maxLength: 200 }) });
