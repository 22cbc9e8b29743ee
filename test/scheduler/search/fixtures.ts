/**
 * Small plant problems for the search tests: a random one (calendars, alternates and
 * parallel units, waits, non-interruptible work, material with receipts, producer orders,
 * a pin, due dates) drawn from a seed, and the classic job-shop files.
 */
import { readFileSync } from 'node:fs';
import { isParseError, jsspToPlantProblem, parseJsspInstance } from '../../../scheduler/jssp.ts';
import type { OperationSpec, PlantProblem, WorkOrderSpec } from '../../../scheduler/problem.ts';
import { SearchRandom } from '../../../scheduler/search/prng.ts';

const NOW = '2026-03-02T06:00:00Z';
const MINUTE = 60_000;
const at = (minutes: number): string => new Date(Date.parse(NOW) + minutes * MINUTE).toISOString();

/** A classic job shop kept in the repository (test/fixtures/instances, ft06 in examples/). */
export function jobShop(name: string): PlantProblem {
  const file = name === 'ft06' ? new URL('../../../examples/ft06.txt', import.meta.url) : new URL(`../../fixtures/instances/${name}.txt`, import.meta.url);
  const instance = parseJsspInstance(readFileSync(file, 'utf8'));
  if (isParseError(instance)) throw new Error(instance.error);
  return jsspToPlantProblem(instance, name);
}

export interface SmallPlantShape {
  readonly orders: number;
  readonly seed: number;
  /** Objective; due dates are tight enough for tardiness either way. */
  readonly makespan?: boolean;
  readonly shifts?: boolean;
  readonly pin?: boolean;
}

export function smallPlant({ orders, seed, makespan = false, shifts = true, pin = false }: SmallPlantShape): PlantProblem {
  const rng = new SearchRandom(seed);
  const int = (lo: number, hi: number): number => lo + rng.below(hi - lo + 1);
  const centers = ['CUT', 'MILL', 'PAINT', 'PACK'];
  const workOrders: WorkOrderSpec[] = [];
  for (let o = 0; o < orders; o++) {
    const length = int(1, 4);
    const operations: OperationSpec[] = Array.from({ length }, (_, k) => {
      const primary = centers[rng.below(centers.length)]!;
      const modes = [{ workCenter: primary, setupMinutes: int(0, 3) * 10, runMinutesPerUnit: int(1, 6) }];
      if (rng.next() < 0.3) {
        const alternate = centers.filter((c) => c !== primary)[rng.below(centers.length - 1)]!;
        modes.push({ workCenter: alternate, setupMinutes: int(0, 3) * 10, runMinutesPerUnit: int(1, 8) });
      }
      return {
        id: `OP${k + 1}`,
        modes,
        ...(rng.next() < 0.2 ? { minWaitAfterMinutes: int(10, 120) } : {}),
        ...(rng.next() < 0.15 ? { nonInterruptible: true } : {}),
        ...(pin && o === 0 && k === 0 ? { pin: { workCenter: primary, start: at(120) } } : {}),
      };
    });
    const materials = rng.next() < 0.3 ? [{ item: 'STEEL', quantity: int(1, 5) }] : [];
    if (o > 0 && rng.next() < 0.2) materials.push({ item: `P${o - 1}`, quantity: 1 });
    workOrders.push({
      id: `WO${o}`, item: `P${o}`, quantity: int(5, 40),
      due: at(int(6, 60) * 60),
      ...(rng.next() < 0.2 ? { release: at(int(1, 24) * 60) } : {}),
      priority: int(1, 5),
      operations, materials,
    });
  }
  return {
    plant: { id: `small-${seed}`, timeZone: 'UTC', objective: makespan ? 'makespan' : 'weighted-tardiness', horizonDays: 60 },
    now: NOW,
    calendars: [
      { id: 'always', shifts: [], alwaysOpen: true },
      { id: 'two-shift', shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '22:00' }] },
      { id: 'day', shifts: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '07:00', end: '15:30' }] },
    ],
    workCenters: centers.map((id, i) => ({
      id, units: i === 0 ? 2 : 1,
      calendar: !shifts ? 'always' : i === 1 ? 'day' : i === 3 ? 'always' : 'two-shift',
      ...(shifts && i === 2 ? { downtimes: [{ start: at(600), end: at(900), reason: 'maintenance' }] } : {}),
    })),
    items: [{ id: 'STEEL' }, ...workOrders.map((w) => ({ id: w.item }))],
    workOrders,
    lots: [{ id: 'L1', item: 'STEEL', quantity: 30, status: 'available' }],
    receipts: [{ id: 'R1', item: 'STEEL', quantity: 500, expectedAt: at(1440) }],
  };
}
