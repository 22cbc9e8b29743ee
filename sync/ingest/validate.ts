/**
 * Strict validation of an event: strings that cannot be stored, the envelope, then `data` against its type's schema, then the
 * rules a schema cannot say (unique operation ids, a real time zone, an end after its start).
 * The answer is a rejection with a code and the JSON path of the first offending field.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TObject } from '@sinclair/typebox';
import { EventEnvelopeSchema, eventDataSchemas, type EventData, type EventType } from './schemas.ts';
import { isTimeZone } from './formats.ts';
import { childPath } from './field-path.ts';
import { firstUnstorableString, UNSTORABLE_REASON } from './storable-strings.ts';

export interface Rejection {
  readonly code: string;
  readonly field?: string;
  readonly reason: string;
}

const compiled = new Map<TObject, TypeCheck<TObject>>();
function checker(schema: TObject): TypeCheck<TObject> {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check;
}

/** `/operations/0/modes/0/runMinutesPerUnit` under `data` → `data.operations[0].modes[0].runMinutesPerUnit`. */
export function pointerToPath(root: string, pointer: string): string {
  if (pointer === '' || pointer === '/') return root;
  return pointer.slice(1).split('/').reduce((path, raw) => {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    return childPath(path, /^\d+$/.test(segment) ? Number(segment) : segment);
  }, root);
}

function firstError(schema: TObject, value: unknown, root: string): Rejection | null {
  const check = checker(schema);
  if (check.Check(value)) return null;
  const error = check.Errors(value).First();
  if (error === undefined) return { code: 'invalid-data', field: root, reason: 'invalid value' };
  return { code: 'invalid-data', field: pointerToPath(root, error.path), reason: readable(error.schema, error.message) };
}

/** A pattern's regex means little to a sender: say what the field should look like instead. */
function readable(schema: { readonly description?: string; readonly pattern?: string }, message: string): string {
  return schema.pattern !== undefined && schema.description !== undefined ? `must be: ${schema.description}` : message;
}

/** The envelope apart from `data`; an envelope that fails here has no usable id or source. */
export function validateEnvelope(value: unknown): Rejection | null {
  const { data: _data, ...envelope } = (value !== null && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const unstorable = firstUnstorableString(envelope, '');
  if (unstorable !== null) return { code: 'invalid-envelope', field: unstorable.replace(/^\./, ''), reason: UNSTORABLE_REASON };
  const rejection = firstError(EventEnvelopeSchema, value, '');
  if (rejection === null) return null;
  return { ...rejection, code: 'invalid-envelope', field: rejection.field?.replace(/^\./, '') || undefined };
}

export function validateEventData<T extends EventType>(type: T, data: unknown, plant: string): Rejection | null {
  const unstorable = firstUnstorableString(data, 'data');
  if (unstorable !== null) return invalid(unstorable, UNSTORABLE_REASON);
  const shape = firstError(eventDataSchemas[type], data, 'data');
  if (shape !== null) return shape;
  return checkRules(type, data as EventData<T>, plant);
}

function invalid(field: string, reason: string): Rejection {
  return { code: 'invalid-data', field, reason };
}

function endsAfter(start: string, end: string): boolean {
  return Date.parse(end) > Date.parse(start);
}

function checkRules(type: EventType, data: EventData<EventType>, plant: string): Rejection | null {
  switch (type) {
    case 'plant.upserted': {
      const d = data as EventData<'plant.upserted'>;
      if (d.id !== plant) return { code: 'plant-mismatch', field: 'data.id', reason: `data.id "${d.id}" is not the envelope plant "${plant}"` };
      if (!isTimeZone(d.timeZone)) return invalid('data.timeZone', `unknown time zone "${d.timeZone}"`);
      return null;
    }
    case 'calendar.upserted': {
      const d = data as EventData<'calendar.upserted'>;
      const seen = new Set<string>();
      for (const [i, exception] of (d.exceptions ?? []).entries()) {
        if (seen.has(exception.date)) return invalid(`data.exceptions[${i}].date`, `duplicate exception date ${exception.date}`);
        seen.add(exception.date);
      }
      return null;
    }
    case 'work_center.upserted': {
      const d = data as EventData<'work_center.upserted'>;
      for (const [i, downtime] of (d.downtimes ?? []).entries()) {
        if (!endsAfter(downtime.start, downtime.end)) return invalid(`data.downtimes[${i}].end`, 'end must be after start');
        if (downtime.unit !== undefined && downtime.unit > d.units) return invalid(`data.downtimes[${i}].unit`, `unit ${downtime.unit} exceeds units ${d.units}`);
      }
      return null;
    }
    case 'work_order.upserted': {
      const d = data as EventData<'work_order.upserted'>;
      const ids = new Set<string>();
      for (const [i, op] of d.operations.entries()) {
        if (ids.has(op.id)) return invalid(`data.operations[${i}].id`, `duplicate operation id "${op.id}"`);
        ids.add(op.id);
        const centers = new Set<string>();
        for (const [k, mode] of (op.modes ?? []).entries()) {
          if (centers.has(mode.workCenter)) return invalid(`data.operations[${i}].modes[${k}].workCenter`, `work center "${mode.workCenter}" listed twice`);
          centers.add(mode.workCenter);
        }
      }
      for (const [i, material] of (d.materials ?? []).entries()) {
        if (material.operation !== undefined && !ids.has(material.operation)) {
          return invalid(`data.materials[${i}].operation`, `operation "${material.operation}" is not in this order's routing`);
        }
      }
      return null;
    }
    case 'downtime.started': {
      const d = data as EventData<'downtime.started'>;
      if (d.start !== undefined && !endsAfter(d.start, d.expectedEnd)) return invalid('data.expectedEnd', 'expectedEnd must be after start');
      return null;
    }
    default:
      return null;
  }
}
