/**
 * Strings PostgreSQL cannot store: a NUL character (text columns and JSON refuse it) and an
 * unpaired UTF-16 surrogate (not valid UTF-8). Found at the edge, with the path of the first,
 * so that one bad field is a rejection with its field, never a failed transaction.
 */
import { childPath } from './field-path.ts';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

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

/** The string with each character the store cannot hold written as its `\\uXXXX` escape: still readable, now storable. */
export function storableText(value: string): string {
  return value.replace(UNSTORABLE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A copy of a JSON value with every key and string made storable (for records of what was refused). */
export function storableCopy(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableCopy);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storableText(key), storableCopy(inner)]));
  }
  return value;
}

export const UNSTORABLE_REASON = 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored';
