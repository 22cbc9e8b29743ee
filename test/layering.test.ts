/**
 * The layering of design.md, checked on the sources' static imports: `api → sync → scheduler`;
 * the scheduler is pure (no I/O package, no node: module, no clock, env or logging); nothing in
 * sync/ or scheduler/ imports api/; and `takt --help` or `takt jssp` never loads the service's
 * database, queue or HTTP libraries (the CLI loads each command only when it runs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function sourcesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Static imports and re-exports of a file (not `import()`): specifiers as written. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]/gm)) specifiers.push(match[1]!);
  return specifiers;
}

const isRelative = (specifier: string): boolean => specifier.startsWith('.');
const packageOf = (specifier: string): string => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
const rel = (file: string): string => relative(ROOT, file);

/** Every repository file reachable from `entry` through static imports, and the packages they import. */
function staticClosure(entry: string): { readonly files: Set<string>; readonly packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of staticImports(file)) {
      if (isRelative(specifier)) visit(resolve(dirname(file), specifier));
      else if (!packages.has(packageOf(specifier))) packages.set(packageOf(specifier), rel(file));
    }
  };
  visit(entry);
  return { files, packages };
}

describe('layering', () => {
  it('keeps the scheduler pure: its own files and its two libraries, no node: module, no clock, env or logging', () => {
    const allowed = new Set(['javascript-lp-solver', '@date-fns/tz']);
    const offences: string[] = [];
    for (const file of sourcesUnder('scheduler')) {
      for (const specifier of staticImports(file)) {
        const outside = isRelative(specifier) && !resolve(dirname(file), specifier).startsWith(join(ROOT, 'scheduler'));
        if (outside || (!isRelative(specifier) && !allowed.has(packageOf(specifier)))) offences.push(`${rel(file)} imports ${specifier}`);
      }
      const text = readFileSync(file, 'utf8');
      for (const [pattern, what] of [[/\bDate\.now\(|\bnew Date\(\)|performance\.now\(/, 'reads the clock'], [/\bprocess\./, 'reads the process'], [/\bconsole\./, 'logs']] as const) {
        if (pattern.test(text)) offences.push(`${rel(file)} ${what}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('has nothing in sync/ or scheduler/ import api/', () => {
    const api = join(ROOT, 'api');
    const offences = [...sourcesUnder('sync'), ...sourcesUnder('scheduler')].flatMap((file) =>
      staticImports(file).filter((s) => isRelative(s) && resolve(dirname(file), s).startsWith(api)).map((s) => `${rel(file)} imports ${s}`));
    expect(offences).toEqual([]);
  });

  it('starts the CLI without the service libraries, and `takt jssp` with the engine only', () => {
    const heavy = ['fastify', 'kysely', 'pg', 'bullmq', 'ioredis', '@electric-sql/pglite'];
    const main = staticClosure(join(ROOT, 'cli/main.ts'));
    expect(heavy.filter((p) => main.packages.has(p)).map((p) => `${p} (from ${main.packages.get(p)})`)).toEqual([]);
    const jssp = staticClosure(join(ROOT, 'cli/commands/jssp.ts'));
    expect(heavy.filter((p) => jssp.packages.has(p)).map((p) => `${p} (from ${jssp.packages.get(p)})`)).toEqual([]);
    expect([...jssp.files].map(rel).filter((f) => f.startsWith('sync/') || f.startsWith('api/'))).toEqual([]);
  });
});
