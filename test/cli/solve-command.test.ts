/** `takt solve` on bad files: JSON errors with line and column, invalid data writes no schedule and exits 2; long lists say what they left out. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError } from '../../cli/command-error.ts';
import { jsonErrorAt, solveCommand } from '../../cli/commands/solve.ts';
import { plantTimeFormatter } from '../../cli/plant-time.ts';

describe('takt solve on bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'takt-solve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const print = (line: string) => void lines.push(line);

  it('names the line and column of malformed JSON', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"plant": {"id": "P",\n  "timeZone": "UTC",}}');
    await expect(solveCommand([file], print)).rejects.toThrow(/broken\.json is not JSON: .* at line 2, column 21$/);
    expect(jsonErrorAt('[1,\n2,,3]', 'Unexpected token \',\', "[1,\n2,,3]" is not valid JSON')).toBe('Unexpected token \',\', "[1,\n2,,3]" is not valid JSON');
  });

  it('writes no schedule for data it cannot schedule, lists why and exits 2', async () => {
    const problem = JSON.parse(readFileSync(new URL('../../examples/gearbox-assembly.json', import.meta.url), 'utf8'));
    problem.plant.timeZone = 'Mars/Olympus_Mons';
    const file = join(dir, 'bad-zone.json');
    writeFileSync(file, JSON.stringify(problem));
    lines.length = 0;
    const failed = await solveCommand([file, '--time-limit', '0'], print).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(CommandError);
    expect((failed as CommandError).exitCode).toBe(2);
    expect(lines).toContain('  - invalid data at plant.timeZone: must be an IANA time zone');
    expect(lines.join('\n')).not.toContain('on-time');
    expect(existsSync(join(dir, 'bad-zone.schedule.json'))).toBe(false);
  });

  it('prints instants in the plant\'s zone with the offset', async () => {
    const file = join(dir, 'gearbox.json');
    writeFileSync(file, readFileSync(new URL('../../examples/gearbox-assembly.json', import.meta.url)));
    lines.length = 0;
    expect(await solveCommand([file, '--time-limit', '0'], print)).toBe(0);
    // The gearbox plant is in America/Chicago: -06:00 in winter.
    expect(lines.join('\n')).toMatch(/\(\d{4}-\d\d-\d\d \d\d:\d\d -06:00\)/);
    const berlin = plantTimeFormatter('Europe/Berlin');
    expect(berlin('2026-07-01T07:00:00Z')).toBe('2026-07-01 09:00 +02:00');
    expect(berlin('2026-11-23T07:00:00Z')).toBe('2026-11-23 08:00 +01:00');
    expect(plantTimeFormatter('Mars/Olympus_Mons')('2026-11-23T07:00:00Z')).toBe('2026-11-23T07:00:00Z');
  });
});
