import { describe, expect, it } from 'vitest';
import { advance, parseCursor, serializeCursor, windowDomain } from '../../../../sync/connectors/odoo/cursor.ts';

describe('read cursor', () => {
  it('re-reads a caught-up stream from its stamp minus the overlap', () => {
    expect(windowDomain({ at: '2026-11-22 08:00:00', id: 17, resume: false }, 5)).toEqual([['write_date', '>=', '2026-11-22 07:59:55']]);
    expect(windowDomain(undefined, 5)).toEqual([]);
  });

  it('resumes a stream cut at a full page strictly after its last record', () => {
    expect(windowDomain({ at: '2026-11-22 08:00:00', id: 17, resume: true }, 5)).toEqual([
      '|', ['write_date', '>', '2026-11-22 08:00:00'], '&', ['write_date', '=', '2026-11-22 08:00:00'], ['id', '>', 17],
    ]);
  });

  it('moves forward only', () => {
    const page = [{ id: 3, write_date: '2026-11-22 07:59:58' }, { id: 9, write_date: '2026-11-22 08:00:01' }];
    expect(advance(undefined, page, false)).toEqual({ at: '2026-11-22 08:00:01', id: 9, resume: false });
    expect(advance(undefined, page, true)).toEqual({ at: '2026-11-22 08:00:01', id: 9, resume: true });
    // An overlap re-read that ends before the stamp reached keeps the stamp.
    expect(advance({ at: '2026-11-22 08:00:05', id: 12, resume: false }, page, false)).toEqual({ at: '2026-11-22 08:00:05', id: 12, resume: false });
    expect(advance({ at: '2026-11-22 08:00:05', id: 12, resume: true }, [], false)).toEqual({ at: '2026-11-22 08:00:05', id: 12, resume: true });
  });

  it('is JSON text with sorted streams; an unreadable one starts over', () => {
    const text = serializeCursor({ v: 1, streams: { 'stock.quant': { at: '2026-11-22 08:00:00', id: 1, resume: false }, 'mrp.production': { at: '2026-11-21 08:00:00', id: 2, resume: true } } });
    expect(text).toBe('{"v":1,"streams":{"mrp.production":{"at":"2026-11-21 08:00:00","id":2,"resume":true},"stock.quant":{"at":"2026-11-22 08:00:00","id":1,"resume":false}}}');
    expect(parseCursor(text).streams['mrp.production']).toEqual({ at: '2026-11-21 08:00:00', id: 2, resume: true });
    expect(parseCursor('not json')).toEqual({ v: 1, streams: {} });
    expect(parseCursor('{"v":2}')).toEqual({ v: 1, streams: {} });
  });
});
