/** `takt jssp`: a classic instance through the engine, and the proof of optimality stated as such. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsspCommand } from '../../cli/commands/jssp.ts';

const ft06 = fileURLToPath(new URL('../../examples/ft06.txt', import.meta.url));

describe('takt jssp', () => {
  it('says when the makespan is proved optimal, and stops long before its time limit', async () => {
    const lines: string[] = [];
    const started = performance.now();
    expect(await jsspCommand([ft06, '--time-limit', '20'], (line) => void lines.push(line))).toBe(0);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(lines[0]).toMatch(/6 jobs × 6 machines, makespan 55 \(proved optimal\)$/);
  });

  it('gives the proof in JSON too, with one start per operation', async () => {
    const lines: string[] = [];
    await jsspCommand([ft06, '--time-limit', '20', '--json'], (line) => void lines.push(line));
    const answer = JSON.parse(lines[0]!) as { makespan: number; provedOptimal: boolean; starts: number[][] };
    expect(answer).toMatchObject({ makespan: 55, provedOptimal: true });
    expect(answer.starts.map((job) => job.length)).toEqual([6, 6, 6, 6, 6, 6]);
  });
});
