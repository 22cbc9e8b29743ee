/**
 * Dates an event may carry. Sentinels (0001-01-01, 9999-12-31) and typos (2999) are not facts a
 * plan can use: they push horizons to the end of time or, as `occurredAt`, blind lag monitoring
 * for good (the source's last event would lie in the future from then on). Every instant in an
 * event must lie within a window around now: at most `historyDays` back, at most `horizonDays`
 * ahead, and `occurredAt` at most `clockSkewMs` ahead (a source's clock may run a little fast).
 */
import type { TSchema } from '@sinclair/typebox';
import type { EventEnvelope } from '../ports.ts';
import { childPath } from './field-path.ts';
import { eventDataSchemas, type EventType } from './schemas.ts';
import type { Rejection } from './validate.ts';

export interface DateWindow {
  readonly historyDays: number;
  readonly horizonDays: number;
  readonly clockSkewMs: number;
}

export const DEFAULT_DATE_WINDOW: DateWindow = { historyDays: 3650, horizonDays: 730, clockSkewMs: 5 * 60_000 };

const DAY_MS = 86_400_000;

export function firstImplausibleDate(event: EventEnvelope, type: EventType, nowMs: number, window: DateWindow): Rejection | null {
  const earliest = nowMs - window.historyDays * DAY_MS;
  const occurred = Date.parse(event.occurredAt);
  if (occurred > nowMs + window.clockSkewMs) {
    return implausible('occurredAt', `occurredAt ${event.occurredAt} is in the future (now ${iso(nowMs)}); a source's clock may be ahead by at most ${window.clockSkewMs / 60_000} min`);
  }
  if (occurred < earliest) return implausible('occurredAt', `occurredAt ${event.occurredAt} is more than ${window.historyDays} days ago`);
  const latest = nowMs + window.horizonDays * DAY_MS;
  for (const [field, value] of instantsIn(eventDataSchemas[type], event.data, 'data')) {
    const at = Date.parse(value);
    if (at > latest) return implausible(field, `${value} is more than ${window.horizonDays} days ahead, beyond the planning horizon (TAKT_DATE_HORIZON_DAYS)`);
    if (at < earliest) return implausible(field, `${value} is more than ${window.historyDays} days ago (TAKT_DATE_HISTORY_DAYS)`);
  }
  return null;
}

function implausible(field: string, reason: string): Rejection {
  return { code: 'implausible-date', field, reason };
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Each instant field of a value that passed its schema, with its path. */
function* instantsIn(schema: TSchema, value: unknown, path: string): Generator<readonly [string, string]> {
  if (schema.format === 'date-time') {
    if (typeof value === 'string') yield [path, value];
    return;
  }
  if (schema.type === 'array' && Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* instantsIn(schema.items as TSchema, item, childPath(path, i));
    return;
  }
  if (schema.type === 'object' && schema.properties !== undefined && typeof value === 'object' && value !== null) {
    for (const [key, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) yield* instantsIn(property, child, childPath(path, key));
    }
  }
}
