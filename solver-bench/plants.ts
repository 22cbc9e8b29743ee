/**
 * Part (b): generated plants at growing sizes, each in its own child process so every peak
 * RSS is that size's alone, plus the fitted growth exponent of time against size.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { PlantSizeRow } from './plant-size.ts';

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

export async function measurePlantSize(targetOperations: number, seed: number): Promise<PlantSizeRow | { readonly targetOperations: number; readonly error: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=6144', 'bin/run-ts.mjs', 'solver-bench/plant-size.ts', '--ops', String(targetOperations), '--seed', String(seed)],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024, timeout: 30 * 60_000 },
    );
    const line = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(line) as PlantSizeRow;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
    return { targetOperations, error: message };
  }
}

/** Least-squares slope of log(y) on log(x): y grows like x^slope. Null with fewer than two points. */
export function logLogSlope(points: readonly { readonly x: number; readonly y: number }[]): number | null {
  const usable = points.filter((p) => p.x > 0 && p.y > 0).map((p) => ({ x: Math.log(p.x), y: Math.log(p.y) }));
  if (usable.length < 2) return null;
  const mx = usable.reduce((s, p) => s + p.x, 0) / usable.length;
  const my = usable.reduce((s, p) => s + p.y, 0) / usable.length;
  const sxx = usable.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  return usable.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}
