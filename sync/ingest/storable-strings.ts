/**
 * Strings PostgreSQL cannot store: a NUL character (text columns and JSON refuse it) and an
 * unpaired UTF-16 surrogate (not valid UTF-8). Found at the edge, with the path of the first,
 * so that one bad field is a rejection with its field, never a failed transaction.
 */
import { childPath } from './field-path.ts';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableString(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The path (under `root`) of the first string, key or value, that cannot be stored, or null. */
export function firstUnstorableString(value: unknown, root: string): string | null {
  if (typeof value === 'string') return isStorableString(value) ? null : root;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstUnstorableString(value[i], childPath(root, i));
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const path = childPath(root, key);
      if (!isStorableString(key)) return path;
      const found = firstUnstorableString(inner, path);
      if (found !== null) return found;
    }
  }
  return null;
}

export const UNSTORABLE_REASON = 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored';
