/**
 * Where a service process spent its CPU: self time by package or file and by function, from a
 * `.cpuprofile` that `--sync-profile DIR` makes (DIR/<role>/CPU.*.cpuprofile; the largest file
 * of a role is its main thread).
 *
 *   node bin/run-ts.mjs solver-bench/sync/profile-summary.ts FILE [TOP]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

/** node_modules/<pkg> (or @scope/pkg), a repository file, or the native frame's name. */
function place(url: string, functionName: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const path = url.replace(/^file:\/\//, '');
  if (path.startsWith(repoRoot)) return path.slice(repoRoot.length);
  return url === '' ? functionName : path;
}

export function selfTimes(profile: CpuProfile): { readonly totalMs: number; readonly byPlace: readonly SelfTime[]; readonly byFunction: readonly SelfTime[] } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const perNode = new Map<number, number>();
  profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...perNode.values()].reduce((a, b) => a + b, 0);
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of perNode) {
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined) continue;
    const where = place(frame.url, frame.functionName);
    byPlace.set(where, (byPlace.get(where) ?? 0) + us);
    const fn = frame.url === '' ? where : `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const rank = (m: Map<string, number>): SelfTime[] =>
    [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: total === 0 ? 0 : us / total }));
  return { totalMs: total / 1000, byPlace: rank(byPlace), byFunction: rank(byFunction) };
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: profile-summary.ts FILE.cpuprofile [TOP]');
  const top = Number(process.argv[3] ?? 25);
  const summary = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const line = (t: SelfTime): string => `${t.ms.toFixed(0).padStart(8)} ms ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.name}`;
  process.stdout.write(`${summary.totalMs.toFixed(0)} ms sampled\n\nby package / file:\n${summary.byPlace.slice(0, top).map(line).join('\n')}\n\nby function:\n${summary.byFunction.slice(0, top).map(line).join('\n')}\n`);
}
