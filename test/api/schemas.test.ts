/** The response schemas accept what the core really returns (here: the fake's views). */
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { PlantViewSchema } from '../../api/schemas/plant-problem.ts';
import { DispatchListSchema, ScheduleVersionSchema, WhatIfViewSchema, WorkOrderViewSchema } from '../../api/schemas/schedule.ts';
import { DeadLetterSchema, SyncStatusSchema } from '../../api/schemas/sync.ts';
import { FakeTakt } from './fake-takt.ts';

// The API checks instants with ajv-formats; this is the same rule for TypeBox's checker: an offset is required.
FormatRegistry.Set('date-time', (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v) && !Number.isNaN(Date.parse(v)));

function expectValid(schema: TSchema, value: unknown): void {
  const errors = [...Value.Errors(schema, value)].map((e) => `${e.path}: ${e.message}`);
  expect(errors).toEqual([]);
}

describe('response schemas', () => {
  it('accept the core’s views', async () => {
    const takt = new FakeTakt();
    const ok = <T>(r: { ok: true; value: T } | { ok: false }) => (r.ok ? r.value : expect.unreachable());
    expectValid(ScheduleVersionSchema, await takt.schedule('P1'));
    expectValid(WhatIfViewSchema, ok(await takt.whatIf('P1', {})));
    expectValid(WorkOrderViewSchema, ok(await takt.workOrder('P1', 'WO1')));
    expectValid(DispatchListSchema, ok(await takt.dispatchList('P1', 'WC1', 24)));
    expectValid(PlantViewSchema, ok(await takt.plantState('P1')));
    expectValid(SyncStatusSchema, await takt.syncStatus());
    for (const dl of await takt.deadLetters()) expectValid(DeadLetterSchema, dl);
  });

  it('reject what the core never returns', () => {
    expect(Value.Check(ScheduleVersionSchema, { plant: 'P1' })).toBe(false);
    const schedule = new FakeTakt().plants.get('P1')?.schedule;
    expect(Value.Check(ScheduleVersionSchema, { ...schedule, createdAt: '2026-11-23 07:00' })).toBe(false);
  });
});
