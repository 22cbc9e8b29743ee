import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { PlantProblem } from '../../scheduler/problem.ts';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const schema = read('../../scheduler/problem.schema.json') as object;
// Formats are annotations here; the instant, time and date shapes are enforced by patterns.
const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
const validate = ajv.compile<PlantProblem>(schema);

const minimal = (): PlantProblem => ({
  plant: { id: 'P1', timeZone: 'UTC' },
  calendars: [{ id: 'always', shifts: [], alwaysOpen: true }],
  workCenters: [{ id: 'M1', units: 1, calendar: 'always' }],
  workOrders: [{
    id: 'WO1', item: 'A', quantity: 2, due: '2026-01-05T00:00:00Z',
    operations: [{ id: '10', modes: [{ workCenter: 'M1', runMinutesPerUnit: 5 }] }],
  }],
});

/** Instance paths of the errors, to say which field was refused. */
function errorsOf(value: unknown): string[] {
  validate(value);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
}

describe('problem.schema.json', () => {
  it.each(['machining-job-shop.json', 'gearbox-assembly.json'])('accepts examples/%s', (file) => {
    expect(errorsOf(read(`../../examples/${file}`))).toEqual([]);
  });

  it('accepts a minimal problem', () => {
    expect(errorsOf(minimal())).toEqual([]);
  });

  it('refuses a missing required field', () => {
    const { workOrders: _, ...rest } = minimal();
    expect(errorsOf(rest)).toContain(' required');
  });

  it('refuses unknown fields (additionalProperties false)', () => {
    const bad = { ...minimal(), plant: { id: 'P1', timeZone: 'UTC', timezone: 'UTC' } };
    expect(errorsOf(bad)).toContain('/plant additionalProperties');
  });

  it('refuses an instant without an offset', () => {
    const bad = minimal();
    const order = { ...bad.workOrders[0]!, due: '2026-01-05T00:00:00' };
    expect(errorsOf({ ...bad, workOrders: [order] })).toContain('/workOrders/0/due pattern');
  });

  it('refuses a bad weekday, a 25:00 shift end and a start of 24:00', () => {
    const bad = { ...minimal(), calendars: [{ id: 'c', shifts: [{ days: ['mon', 'funday'], start: '24:00', end: '25:00' }] }] };
    expect(errorsOf(bad)).toEqual(expect.arrayContaining([
      '/calendars/0/shifts/0/days/1 enum', '/calendars/0/shifts/0/start pattern', '/calendars/0/shifts/0/end pattern',
    ]));
  });

  it('refuses zero units, an empty routing, a negative quantity and an unknown hold kind', () => {
    const base = minimal();
    const bad = {
      ...base,
      workCenters: [{ id: 'M1', units: 0, calendar: 'always' }],
      workOrders: [{ ...base.workOrders[0]!, quantity: -1, operations: [] }],
      holds: [{ id: 'H1', target: { kind: 'machine', id: 'M1' } }],
    };
    expect(errorsOf(bad)).toEqual(expect.arrayContaining([
      '/workCenters/0/units minimum', '/workOrders/0/quantity minimum', '/workOrders/0/operations minItems', '/holds/0/target/kind enum',
    ]));
  });

  it('describes every property', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (record.properties && typeof record.properties === 'object') {
        for (const [key, prop] of Object.entries(record.properties)) {
          if (typeof (prop as { description?: unknown }).description !== 'string') missing.push(`${path}.${key}`);
        }
      }
      for (const [key, child] of Object.entries(record)) walk(child, `${path}.${key}`);
    };
    walk(schema, '$');
    expect(missing).toEqual([]);
  });
});
