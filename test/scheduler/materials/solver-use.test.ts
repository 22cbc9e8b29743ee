import { beforeEach, describe, expect, it, vi } from 'vitest';

// Count the calls that reach the LP solver, passing them through to the real one.
const calls = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../scheduler/materials/lp.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../scheduler/materials/lp.ts')>();
  return {
    ...real,
    solveLinearProgram: (program: Parameters<typeof real.solveLinearProgram>[0]) => {
      calls.count += 1;
      return real.solveLinearProgram(program);
    },
  };
});

const { allocateMaterials } = await import('../../../scheduler/materials/allocate.ts');
const { demand, lot, receipt } = await import('./fixtures.ts');

describe('allocateMaterials: when the solver runs', () => {
  beforeEach(() => {
    calls.count = 0;
  });

  it('does not call the solver for an uncontended item', () => {
    const result = allocateMaterials([lot('L1', 20), receipt('R1', 5, 30)], [demand(0, 6, 100), demand(1, 6, 50), demand(2, 5, 40)]);
    expect(result.shortages).toEqual([]);
    expect(result.methods.get('X')).toBe('uncontended');
    expect(calls.count).toBe(0);
  });

  it('calls the solver when supply is short or late', () => {
    allocateMaterials([lot('L1', 10)], [demand(0, 6, 100), demand(1, 6, 100)]);
    expect(calls.count).toBeGreaterThan(0);
    calls.count = 0;
    // Enough in total, but the receipt is late for the demand that needs it.
    const late = allocateMaterials([lot('L1', 6), receipt('R1', 6, 200)], [demand(0, 6, 100), demand(1, 6, 100)]);
    expect(late.methods.get('X')).toBe('mip');
    expect(calls.count).toBe(1); // everyone can be served: only the lateness phase runs
  });

  it('does not call the solver past maxLpVariables', () => {
    const result = allocateMaterials([lot('L1', 10)], [demand(0, 6, 100), demand(1, 6, 100)], { maxLpVariables: 3 });
    expect(result.methods.get('X')).toBe('greedy-fallback');
    expect(calls.count).toBe(0);
  });
});
