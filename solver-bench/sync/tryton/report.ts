/** Section (e) of RESULTS.md, rendered from the Tryton bench's stored results. */
import type { RunMeta } from '../../report.ts';
import { summarize, type LatencySummary } from '../stats.ts';
import type { ChangeSample, PollSummary, TrytonBenchResult, WritebackBurst, WritebackMoves } from './result.ts';

export interface TrytonPart {
  readonly meta: RunMeta;
  readonly result: TrytonBenchResult;
}

const ms = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const pct = (part: number, whole: number): string => (whole === 0 ? '—' : `${Math.round((part * 100) / whole)} %`);
const p5095 = (s: LatencySummary): string => (s.count === 0 ? '—' : `${ms(s.p50)} / ${ms(s.p95)}`);
const of = (samples: readonly ChangeSample[], pick: (s: ChangeSample) => number | null): LatencySummary =>
  summarize(samples.flatMap((s) => { const v = pick(s); return v === null ? [] : [v]; }));
/** The change's write-back at Tryton: the production's own, or (a delivery date) the version's first. */
const reached = (s: ChangeSample): number | null => (s.kind === 'delivery date' ? s.commitToFirstMs : s.commitToOwnWritebackMs);
const kindsOf = (samples: readonly ChangeSample[]): string[] => [...new Set(samples.map((s) => s.kind))];
const totalMoves = (list: readonly WritebackMoves[]): WritebackMoves => list.reduce((a, m) => ({
  endLater: a.endLater + m.endLater, endEarlier: a.endEarlier + m.endEarlier, startOnly: a.startOnly + m.startOnly, workCentersOnly: a.workCentersOnly + m.workCentersOnly,
}), { endLater: 0, endEarlier: 0, startOnly: 0, workCentersOnly: 0 });
const movesText = (m: WritebackMoves): string => `end later ${m.endLater}, end earlier ${m.endEarlier}, start only ${m.startOnly}, work centers only ${m.workCentersOnly}`;

function changeRows(samples: readonly ChangeSample[]): string[] {
  const row = (name: string, list: readonly ChangeSample[]): string => {
    const wbs = summarize(list.map((s) => s.writebacks));
    return `| ${name} | ${list.length} | ${p5095(of(list, (s) => s.commitToReadMs))} | ${ms(of(list, (s) => s.pollReadMs).p50)} | ${ms(of(list, (s) => s.applyMs).p50)} | ${p5095(of(list, (s) => s.commitToVersionMs))} | ${ms(of(list, (s) => s.solveMs).p50)} | ${p5095(of(list, reached))} (n = ${of(list, reached).count}) | ${p5095(of(list, (s) => s.commitToLastMs))} | ${wbs.p50 ?? '—'} / ${wbs.max ?? '—'} |`;
  };
  return [
    '| change | n | commit → read into takt | poll read | ingest | commit → version | solve | commit → its write-back in Tryton | commit → last write-back of the version | write-backs per version (p50 / max) |',
    '| --- | ---: | --- | ---: | ---: | --- | ---: | --- | --- | --- |',
    ...kindsOf(samples).map((k) => row(k, samples.filter((s) => s.kind === k))),
    row('all', samples),
  ];
}

function burstRow(name: string, b: WritebackBurst): string {
  const results = Object.entries(b.results).map(([k, n]) => `${k} ${n}`).join(', ');
  const cpu = b.cpu;
  const share = (x: number | null) => (x === null ? '—' : pct(x, cpu.wallMs));
  return `| ${name} | ${int(b.writebacks)}${b.complete ? '' : ` (${int(b.delivered)} delivered in the window)`} | ${ms(b.firstMs)} | ${ms(b.lastMs)} | ${b.perSecond === null ? '—' : b.perSecond.toFixed(2)} | ${b.rpcPerWriteback === null ? '—' : b.rpcPerWriteback.toFixed(2)} | ${results} | ${share(cpu.trytondMs)} / ${share(cpu.taktMs)} / ${share(cpu.postgresMs)} | ${b.pollsDuring.count} (${b.pollsDuring.atOnce} dropped and read again at once), p50 ${ms(b.pollsDuring.readMs.p50)} |`;
}

const methods = (b: WritebackBurst): string =>
  Object.entries(b.rpcByMethod).map(([m, n]) => `\`${m.replace(/^model\./, '')}\` ${int(n)} (p50 ${ms(b.rpcMsByMethod[m]?.p50)}, p95 ${ms(b.rpcMsByMethod[m]?.p95)})`).join(', ');

const pollRow = (name: string, p: PollSummary): string =>
  `| ${name} | ${p.readMs.count} | ${p.atOnce} | ${p5095(p.readMs)} (max ${ms(p.readMs.max)}) | ${p.calls.p50 ?? '—'} | ${p.productionsRead.p50 ?? '—'} (max ${p.productionsRead.max ?? '—'}) |`;

/** The share of reads that started again at once after the previous one. */
const dropShare = (p: PollSummary): number => (p.readMs.count === 0 ? 0 : p.atOnce / p.readMs.count);

/** What dominated and what looked slow or wrong, with this run's numbers (each finding follows them). */
function findings(r: TrytonBenchResult): string[] {
  const all = r.changes.samples;
  const first = r.setup.firstPlan.burst;
  const moves = totalMoves(all.map((s) => s.moved));
  const rewritten = all.reduce((n, s) => n + s.writebacks, 0);
  const ownLast = all.filter((s) => s.commitToOwnWritebackMs !== null && s.commitToLastMs !== null && s.commitToOwnWritebackMs >= 0.8 * s.commitToLastMs).length;
  const withOwn = all.filter((s) => s.commitToOwnWritebackMs !== null).length;
  const idleMsPerCall = r.idlePolls.readMs.p50 === null || r.idlePolls.calls.p50 === null ? null : r.idlePolls.readMs.p50 / r.idlePolls.calls.p50;
  const d = r.duringBurst;
  const trytonBound = first.cpu.trytondMs !== null && first.cpu.trytondMs > 0.7 * first.cpu.wallMs;
  const probe = d.burstLeftMs > 0
    ? `A ${d.kind} created in Tryton ${ms(d.burstLeftMs)} before the end of the first plan's write-backs was read ${ms(d.commitToReadMs)} after its commit (${d.readsDropped} of ${d.reads} reads dropped meanwhile)${d.commitToReadMs >= d.burstLeftMs ? ': changes made in Tryton wait for the write-backs to finish' : ''}.`
    : `(The first plan's write-backs were over before the probe change was made, so this run does not show how long a change waits during a burst.)`;
  return [
    '### What dominated, and what looked slow or wrong',
    '',
    `- **The write-back tail, not the read or the solve.** A change reaches a committed version in ${ms(of(all, (s) => s.commitToVersionMs).p50)} (p50): waiting for the next poll and reading (${ms(of(all, (s) => s.commitToReadMs).p50)} to the ingest, at a ${ms(r.config.pollIntervalMs)} poll interval), ingest (${ms(of(all, (s) => s.applyMs).p50)}) and the solve (${ms(of(all, (s) => s.solveMs).p50)} at a ${ms(r.config.timeLimitMs)} limit). Its version then rewrites ${summarize(all.map((s) => s.writebacks)).p50 ?? '—'} productions (p50) and they go out at ${first.perSecond?.toFixed(1) ?? '—'} per second, so the last lands ${ms(of(all, (s) => s.commitToLastMs).p50)} after the commit; ${first.delivered === first.writebacks
      ? `the first plan's ${int(first.writebacks)} write-backs took ${ms(first.lastMs)}`
      : `of the first plan's ${int(first.writebacks)} write-backs, ${int(first.delivered)} went out in ${ms(first.lastMs)} before the version of the change made meanwhile superseded the rest (${int(first.results.skipped ?? 0)} skipped)`}.`,
    `- **Write-backs are small calls into one trytond.** Each write-back is ${first.rpcPerWriteback?.toFixed(1) ?? '—'} RPCs in sequence (by method, with time per call: ${methods(first)}; \`sync/connectors/tryton/write.ts\`), one order per job, ${r.config.writebackConcurrency} jobs at once. trytond (one process, ${r.config.trytondBackend}) gains little from calls in parallel: reading one production as the connector does (the poller polling meanwhile), ${r.trytonConcurrency.sequential.perSecond.toFixed(0)} calls/s one after another (p50 ${ms(r.trytonConcurrency.sequential.p50Ms)}), ${r.trytonConcurrency.fourAtOnce.perSecond.toFixed(0)} calls/s four at once (p50 ${ms(r.trytonConcurrency.fourAtOnce.p50Ms)}). During the first plan's burst trytond used ${first.cpu.trytondMs === null ? '—' : pct(first.cpu.trytondMs, first.cpu.wallMs)} of one core and takt's process ${pct(first.cpu.taktMs, first.cpu.wallMs)}: ${trytonBound ? 'the one trytond process is the bottleneck' : 'the calls queue in trytond (most likely on its SQLite lock) more than they use its CPU'}. More workers would not help; fewer calls would: one \`production.write(ids, values, ids, values, …)\` for a *batch* of orders instead of one write per order.`,
    `- **One change rewrites a large part of the plant.** A single change made its version rewrite ${summarize(all.map((s) => s.writebacks)).p50 ?? '—'} of ${int(r.plant.productions)} productions (p50; ${int(rewritten)} write-backs for ${all.length} changes): ${movesText(moves)}. A change that only pushed orders back would make ends later, never earlier: the re-plan reshuffles the sequence (and, for "work centers only", ${pct(moves.workCentersOnly, rewritten)}, keeps Tryton's dates and moves works to other machines of the same category), and each such order costs a full write-back. Re-plans with nothing changed queued ${r.replansWithoutChange.map((x) => x.writebacks).join(', ')} write-backs, ${r.replansWithoutChange.every((x) => x.writebacks === 0)
      ? 'so the churn follows the change, not the solver\'s randomness'
      : `so part of it is the solver's own: its search is bounded by time (${ms(r.config.timeLimitMs)}), and how far it gets depends on the machine's load, so two solves of the same plant differ`}; a plan that kept unaffected orders where they were would cut the tail by that much.`,
    ownLast > 0
      ? `- **The changed production is not always written first.** Write-backs go out soonest start first, so the production that changed may wait behind others: in ${ownLast} of ${withOwn} changes with a write-back of its own it came in the last fifth of the tail.`
      : `- **The changed production's own write-back** came in the last fifth of its version's tail in none of the ${withOwn} changes that had one (write-backs go out soonest start first).`,
    dropShare(first.pollsDuring) + dropShare(r.changes.polls) > 1
      ? `- **Reads dropped while write-backs run** (\`sync/connectors/inbound.ts\`). A read whose links a write-back changed meanwhile reads those objects again; during a burst most reads started at once after the previous one: ${first.pollsDuring.atOnce} of ${first.pollsDuring.count} during the first plan's write-backs, ${r.changes.polls.atOnce} of ${r.changes.polls.readMs.count} during the single changes. ${probe}`
      : `- **Reads go on while write-backs run.** Reads that had to start again at once after the previous one (\`sync/connectors/inbound.ts\`: objects a write-back changed during the read are read again): ${first.pollsDuring.atOnce} of ${first.pollsDuring.count} during the first plan's write-backs, ${r.changes.polls.atOnce} of ${r.changes.polls.readMs.count} during the single changes. ${probe}`,
    (r.idlePolls.productionsRead.p50 ?? 0) > 0
      ? `- **The overlap window does not close on an idle plant** (\`sync/connectors/tryton/read.ts\`): every poll re-reads what changed in the ${ms(r.config.overlapMs)} before the last change: ${r.idlePolls.productionsRead.p50} productions (with their works and moves) and ${ms(r.idlePolls.readMs.p50)} of Tryton every ${ms(r.config.pollIntervalMs)}, ${r.changes.polls.productionsRead.p50 ?? '—'} per poll (${ms(r.changes.polls.readMs.p50)}) during the single changes.`
      : `- **An idle poll is cheap.** Rows already seen at the overlap window's edge, same id and stamp, are not read again (\`sync/connectors/tryton/read.ts\`): an idle poll reads ${r.idlePolls.productionsRead.p50 ?? 0} productions in ${r.idlePolls.calls.p50 ?? '—'} RPC calls (${ms(r.idlePolls.readMs.p50)}${idleMsPerCall === null ? '' : `, ${ms(idleMsPerCall)} per call`}) every ${ms(r.config.pollIntervalMs)}; during the single changes a poll read ${r.changes.polls.productionsRead.p50 ?? '—'} productions (p50, ${ms(r.changes.polls.readMs.p50)}).`,
    `- **Caveat: trytond on SQLite.** The test template is SQLite (module activation on a fresh PostgreSQL catalog takes minutes); a production Tryton on PostgreSQL behind several workers would answer concurrent calls better, so the write-back rates here are a lower bound; the call counts do not depend on it.`,
    '',
  ];
}

export function renderTrytonSection(part: TrytonPart): string {
  const { meta, result: r } = part;
  const c = r.config;
  const s = r.setup;
  const d = r.delta;
  const all = r.changes.samples;
  const lines = [
    '## (e) ERP sync with a live Tryton',
    '',
    `Run ${meta.date} with \`${meta.command}\`; connector poll interval ${ms(c.pollIntervalMs)}, overlap window ${ms(c.overlapMs)}, reschedule time limit (\`timeLimitMs\`) ${ms(c.timeLimitMs)}, ${all.length} single changes; the whole run took ${ms(r.totalMs)}.`,
    `Machine: ${meta.machine}; Node ${meta.node}. Tryton (Debian's trytond 6.0, ${c.trytondBackend} backend, one process), PostgreSQL, takt and the bench all share this machine.`,
    '',
    `A private trytond on a copy of the test template (\`test/support/tryton-server.ts\`) gets a generated plant (seed ${c.seed}, \`solver-bench/sync/tryton/plant-spec.ts\`) through its own JSON-RPC: ${int(r.plant.productions)} productions with ${int(r.plant.operations)} routing operations (${r.plant.drafts} draft, the rest waiting, with works on machines Tryton picked), ${r.plant.workCenters} work centers in ${r.plant.categories} categories under one line, ${r.plant.products} products with BOMs, ${r.plant.lots} lots, stock on hand and ${r.plant.purchases} purchases. takt runs as \`takt start\` does (\`openRuntime\`: PostgreSQL in a scratch database, the ${c.queue} queue with ${c.writebackConcurrency} write-back workers, ${c.solverThreads} solver thread, the Tryton connector polling, the default write-back policy), with its own calendar, work centers and operation times ingested once the plant is read. Times run from the answer to the Tryton RPC that committed a change, to takt's ingest transaction of it (the inbox), the version committed (the planner's log) and the outbox row delivered (\`delivered_at\`, after Tryton answered the write; the dates are then read back from Tryton). RPC calls are counted and timed at \`fetch\` and told apart by their call stack (poller, write-back, bench).`,
    '',
    '| measure | p50 / p95 | n |',
    '| --- | --- | ---: |',
    `| change committed in Tryton → its planned dates written back into Tryton (all kinds) | ${p5095(of(all, reached))} | ${of(all, reached).count} |`,
    ...kindsOf(all).map((k) => {
      const list = all.filter((x) => x.kind === k);
      return `| … ${k}${k === 'delivery date' ? ' (first write-back of the version)' : ''} | ${p5095(of(list, reached))} | ${of(list, reached).count} |`;
    }),
    `| change committed in Tryton → read into takt | ${p5095(of(all, (x) => x.commitToReadMs))} | ${all.length} |`,
    `| change committed in Tryton → new version committed | ${p5095(of(all, (x) => x.commitToVersionMs))} | ${all.length} |`,
    `| MRP run re-dating ${int(d.productions)} productions in one write → read into takt / → new version committed | ${ms(d.commitToReadMs)} / ${ms(d.commitToVersionMs)} | 1 |`,
    `| write-backs per second into Tryton, first plan (${int(s.firstPlan.burst.delivered)} orders) / after the MRP run | ${s.firstPlan.burst.perSecond?.toFixed(2) ?? '—'} / ${d.burst.perSecond?.toFixed(2) ?? '—'} | |`,
    `| RPC calls per write-back, first plan / after the MRP run | ${s.firstPlan.burst.rpcPerWriteback?.toFixed(2) ?? '—'} / ${d.burst.rpcPerWriteback?.toFixed(2) ?? '—'} | |`,
    '',
    ...findings(r),
    '### Set-up',
    '',
    '| step | time | RPC calls |',
    '| --- | ---: | ---: |',
    `| test template | ${s.template.built ? `${ms(s.template.ms)} (built)` : 'reused (built once per machine)'} | |`,
    `| trytond start | ${ms(s.trytonStartMs)} | |`,
    `| plant build through RPC | ${ms(s.build.ms)} | ${int(s.build.calls)} |`,
    ...s.build.phases.map((p) => `| … ${p.name} | ${ms(p.ms)} | ${int(p.calls)} |`),
    `| first full read into takt (runtime opened → read committed) | ${ms(s.firstRead.ms)} | ${int(s.firstRead.calls)} |`,
    `| … the read (${int(s.firstRead.productionsRead)} productions, ${int(s.firstRead.records)} records) / its ingest (${int(s.firstRead.events)} events) | ${ms(s.firstRead.readMs)} / ${ms(s.firstRead.applyMs)} | |`,
    `| takt's master data (calendar, work centers, operation times) | ${ms(s.masterDataMs)} | |`,
    `| first plan committed after the master data (solve ${ms(s.firstPlan.solveMs)}) | ${ms(s.firstPlan.commitMs)} | |`,
    `| its ${int(s.firstPlan.burst.writebacks)} write-backs, commit → last delivered | ${ms(s.firstPlan.burst.lastMs)} | ${int(Object.values(s.firstPlan.burst.rpcByMethod).reduce((a, b) => a + b, 0))} |`,
    '',
    '### Single changes',
    '',
    'One change at a time, each after the plant settled (nothing pending, nothing read for a poll interval), in turn: a draft production 150 units larger, its BOM exploded again as the client does (one `production.write`; about a working day more on its machines, so its dates must move); a new draft production (one `production.create`); a purchase\'s incoming move re-dated 4 days later, or back (one `stock.move.write`). "Its write-back" is the changed production\'s own outbox row delivered; for a delivery date, the first write-back of the version it caused.',
    '',
    ...changeRows(all),
    '',
    `What the versions' write-backs changed against what Tryton held: ${movesText(totalMoves(all.map((x) => x.moved)))}. Dates read back from Tryton differing from what takt wrote: ${all.filter((x) => x.readBack === false).length} of ${all.filter((x) => x.readBack !== null).length}.`,
    '',
    '### The MRP run',
    '',
    ...(!d.growth ? [] : [
      `First the plant grows to ${int(d.productions)} productions: ${int(d.growth.added)} more created in Tryton (with their moves, some taken to waiting, and the stock they need) in ${ms(d.growth.createMs)}; takt held them all ${ms(d.growth.commitToReadMs)} after the last creation and had planned them and delivered every write-back ${ms(d.growth.settleMs)} later.`,
      '',
    ]),
    `One \`production.write(ids, values, …)\` re-dates all ${int(d.productions)} productions (new planned and start dates; Tryton moves their stock moves along): ${ms(d.writeMs)} in Tryton. takt read it ${ms(d.commitToReadMs)} after the commit (that poll's read ${ms(d.pollReadMs)}, ${d.pollCalls ?? '—'} RPC calls, ${d.productionsRead ?? '—'} productions read), ingested ${int(d.workOrderEvents)} changed work orders in ${ms(d.applyMs)} and committed the new version ${ms(d.commitToVersionMs)} after the commit (solve ${ms(d.solveMs)}); ${d.burst.complete ? `its ${int(d.burst.writebacks)} write-backs were delivered by ${ms(d.commitToVersionMs + d.burst.lastMs)} after the commit` : `of its ${int(d.burst.writebacks)} write-backs, ${int(d.burst.delivered)} were delivered in the ${ms(d.burst.lastMs)} watched (the first plan shows a whole burst)`}.`,
    '',
    '### Write-back throughput',
    '',
    '| burst | write-backs | version → first | version → last | per second | RPC per write-back | outbox rows | CPU: trytond / takt / PostgreSQL (share of one core) | polls meanwhile |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
    burstRow('first plan', s.firstPlan.burst),
    burstRow('after the MRP run', d.burst),
    '',
    `The first plan's write-back calls by method (time per call): ${methods(s.firstPlan.burst)}. Summed call time (calls overlap): write-backs ${ms(s.firstPlan.burst.rpcBusyMs.write)}, poller ${ms(s.firstPlan.burst.rpcBusyMs.poll)}.`,
    '',
    '### The poller',
    '',
    '| reads | n | dropped, read again at once | read time p50 / p95 | RPC calls p50 | productions read p50 |',
    '| --- | ---: | ---: | --- | ---: | --- |',
    pollRow(`idle (nothing changed for more than the ${ms(c.overlapMs)} overlap window)`, r.idlePolls),
    pollRow('during the single changes', r.changes.polls),
    pollRow("during the first plan's write-backs", s.firstPlan.burst.pollsDuring),
    '',
  ];
  if (r.warnings.length > 0) lines.push(`Warnings logged by the runtime: ${r.warnings.length} (first: \`${r.warnings[0]!.slice(0, 300)}\`).`, '');
  return lines.join('\n');
}
