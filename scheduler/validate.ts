/**
 * Checks of the plant problem that do not need the model: shapes, numbers, instants, unique ids.
 * Each finding is a typed problem with the JSON path of the offending field.
 */
import type { Problem } from './result.ts';

export type Finding = Extract<Problem, { type: 'invalid-data' }>;

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
}

export function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Collects findings; `check` records one when the condition fails and returns the condition. */
export class Findings {
  readonly list: Finding[] = [];

  check(condition: boolean, path: string, message: string, entity?: string): boolean {
    if (!condition) this.list.push(entity === undefined ? { type: 'invalid-data', path, message } : { type: 'invalid-data', path, message, entity });
    return condition;
  }

  instant(value: unknown, path: string, entity?: string): boolean {
    return this.check(isIsoInstant(value), path, 'must be an ISO-8601 instant with an offset', entity);
  }

  quantity(value: unknown, path: string, entity?: string): boolean {
    return this.check(isNonNegativeNumber(value), path, 'must be a finite number ≥ 0', entity);
  }

  /** Reports ids that repeat within one list and returns the set of ids seen. */
  uniqueIds(list: readonly { readonly id: string }[], path: string): Set<string> {
    const seen = new Set<string>();
    list.forEach((entry, i) => {
      this.check(typeof entry.id === 'string' && entry.id.length > 0, `${path}[${i}].id`, 'must be a non-empty string');
      this.check(!seen.has(entry.id), `${path}[${i}].id`, `duplicate id "${entry.id}"`, entry.id);
      seen.add(entry.id);
    });
    return seen;
  }
}
