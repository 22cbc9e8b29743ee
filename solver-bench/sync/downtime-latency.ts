/**
 * From a breakdown to the ERP: send `downtime.started` (then `downtime.ended`, alternating) for
 * a busy work center, and time, from sending the event, its acceptance (202), the new schedule
 * version seen committed, and the first and last write-back of that version arriving at the test
 * ERP. Each repeat waits for the previous one to settle, so every run reschedules one change.
 */
import type { EventEnvelope } from '../../sync/ports.ts';
import type { Db } from '../../sync/store/database.ts';
import type { JsonClient } from './http-client.ts';
import { deliverableWritebacks, plantProgress, pollUntil, versionSolveMs } from './observe.ts';
import { summarize, type LatencySummary } from './stats.ts';
import type { TestErp } from './test-erp.ts';

export interface DowntimeOptions {
  readonly plant: string;
  readonly workCenter: string;
  readonly repeats: number;
  /** How long a breakdown is expected to last. */
  readonly expectedDowntimeMs: number;
  /** Per repeat, before it counts as timed out. */
  readonly timeoutMs: number;
  readonly runId: string;
}

export interface DowntimeSample {
  readonly event: 'downtime.started' | 'downtime.ended';
  readonly version: number | null;
  readonly writebacks: number;
  readonly ackMs: number;
  /** Solver wall time inside the run (the rest of "committed" is queue, load and commit). */
  readonly solveMs: number | null;
  readonly committedMs: number | null;
  readonly firstWritebackMs: number | null;
  readonly lastWritebackMs: number | null;
  readonly timedOut: boolean;
}

export interface DowntimeResult {
  readonly workCenter: string;
  readonly repeats: number;
  readonly samples: readonly DowntimeSample[];
  readonly ackMs: LatencySummary;
  readonly solveMs: LatencySummary;
  readonly committedMs: LatencySummary;
  readonly firstWritebackMs: LatencySummary;
  readonly lastWritebackMs: LatencySummary;
  readonly writebacksPerVersion: LatencySummary;
  /** Repeats whose version wrote nothing back (nothing moved beyond the threshold). */
  readonly withoutWritebacks: number;
  readonly timedOut: number;
}

function downtimeEvent(options: DowntimeOptions, repeat: number): EventEnvelope {
  const breakdown = Math.floor(repeat / 2);
  const id = `bench-${options.runId}-BD-${breakdown}`;
  const now = new Date();
  const base = { source: 'mes' as const, plant: options.plant, occurredAt: now.toISOString() };
  return repeat % 2 === 0
    ? {
      ...base, id: `${id}:started`, type: 'downtime.started', version: 1,
      data: { id, workCenter: options.workCenter, start: now.toISOString(), expectedEnd: new Date(now.getTime() + options.expectedDowntimeMs).toISOString(), reason: 'bench breakdown' },
    }
    : { ...base, id: `${id}:ended`, type: 'downtime.ended', version: 2, data: { id, end: now.toISOString() } };
}

async function oneRepeat(db: Db, client: JsonClient, erp: TestErp, options: DowntimeOptions, repeat: number): Promise<DowntimeSample> {
  const event = downtimeEvent(options, repeat);
  const type = event.type as DowntimeSample['event'];
  const before = (await plantProgress(db, options.plant)).lastVersion ?? 0;
  const sent = performance.now();
  const answer = await client.post('/v1/events', { events: [event] });
  const ackMs = performance.now() - sent;
  const accepted = answer.status === 202 && (answer.body as { accepted?: number }).accepted === 1;
  if (!accepted) throw new Error(`${type} was not accepted: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);

  const deadline = sent + options.timeoutMs;
  const seen: { version: number | null } = { version: null };
  const committed = await pollUntil(async () => {
    const progress = await plantProgress(db, options.plant);
    if (progress.dirty || (progress.lastVersion ?? 0) <= before) return false;
    seen.version = progress.lastVersion;
    return true;
  }, options.timeoutMs);
  const committedMs = committed ? performance.now() - sent : null;
  const version = seen.version;
  if (version === null) {
    return { event: type, version: null, writebacks: 0, ackMs, solveMs: null, committedMs, firstWritebackMs: null, lastWritebackMs: null, timedOut: true };
  }
  const v = version;
  const expected = await deliverableWritebacks(db, options.plant, v);
  const arrived = await pollUntil(async () => erp.arrivals(v).length >= expected, Math.max(0, deadline - performance.now()), 5);
  const arrivals = erp.arrivals(v);
  return {
    event: type,
    version: v,
    writebacks: expected,
    ackMs,
    solveMs: await versionSolveMs(db, options.plant, v),
    committedMs,
    firstWritebackMs: arrivals.length > 0 ? arrivals[0]!.at - sent : null,
    lastWritebackMs: arrived && arrivals.length > 0 ? arrivals[arrivals.length - 1]!.at - sent : null,
    timedOut: !arrived,
  };
}

export async function measureDowntimeLatency(db: Db, client: JsonClient, erp: TestErp, options: DowntimeOptions, log: (line: string) => void): Promise<DowntimeResult> {
  const samples: DowntimeSample[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const sample = await oneRepeat(db, client, erp, options, repeat);
    samples.push(sample);
    log(`  ${sample.event} → v${sample.version ?? '?'}: solve ${Math.round(sample.solveMs ?? NaN)} ms, committed ${Math.round(sample.committedMs ?? NaN)} ms, ${sample.writebacks} write-backs, first ${Math.round(sample.firstWritebackMs ?? NaN)} ms, last ${Math.round(sample.lastWritebackMs ?? NaN)} ms${sample.timedOut ? ' (timed out)' : ''}`);
    if (sample.timedOut) break;
  }
  const withWritebacks = samples.filter((s) => s.writebacks > 0 && !s.timedOut);
  const defined = (values: readonly (number | null)[]): number[] => values.filter((x): x is number => x !== null);
  return {
    workCenter: options.workCenter,
    repeats: samples.length,
    samples,
    ackMs: summarize(samples.map((s) => s.ackMs)),
    solveMs: summarize(defined(samples.map((s) => s.solveMs))),
    committedMs: summarize(defined(samples.map((s) => s.committedMs))),
    firstWritebackMs: summarize(defined(withWritebacks.map((s) => s.firstWritebackMs))),
    lastWritebackMs: summarize(defined(withWritebacks.map((s) => s.lastWritebackMs))),
    writebacksPerVersion: summarize(samples.map((s) => s.writebacks)),
    withoutWritebacks: samples.filter((s) => s.writebacks === 0 && !s.timedOut).length,
    timedOut: samples.filter((s) => s.timedOut).length,
  };
}
