import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstUnstorableString, isStorableString, storableCopy, storableText } from '../../../sync/ingest/storable-strings.ts';

describe('strings the store cannot hold', () => {
  it('are a NUL and an unpaired surrogate, found with their path; a paired surrogate is fine', () => {
    expect(isStorableString('Pump \u{1F527}')).toBe(true);
    expect(firstUnstorableString({ a: ['ok', { b: 'x\u0000' }] }, 'data')).toBe('data.a[1].b');
    expect(firstUnstorableString({ ['\uDC00']: 1 }, 'data')).not.toBeNull();
    expect(firstUnstorableString({ a: '\uD83D\uDD27' }, 'data')).toBeNull();
  });

  it('are written as their escapes in a storable copy, keys included, the rest unchanged', () => {
    expect(storableText('a\u0000b\uD800c\u{1F527}')).toBe('a\\u0000b\\ud800c\u{1F527}');
    expect(storableCopy({ ['k\u0000']: ['\uDFFF', 3, null, true] })).toEqual({ 'k\\u0000': ['\\udfff', 3, null, true] });
  });

  it('leave nothing unstorable in a storable copy of any JSON value', () => {
    // fast-check's own units never give a lone surrogate: mix them in.
    const hostile = fc.string({ unit: fc.oneof(fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\u0000'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) });
    const value = fc.oneof(hostile, fc.dictionary(hostile, fc.oneof(hostile, fc.array(hostile), fc.integer(), fc.constant(null))), fc.array(fc.dictionary(hostile, hostile)));
    fc.assert(fc.property(value, hostile, (value, text) => {
      expect(firstUnstorableString(storableCopy(value), 'v')).toBeNull();
      expect(isStorableString(storableText(text))).toBe(true);
    }));
  });
});
