/**
 * takt's plan into Tryton, as far as Tryton can hold it: a production's `planned_start_date`
 * and `planned_date` (dates in the plant's zone; Tryton moves its input and output moves'
 * planned dates with them), and the work center of each work not yet running (Tryton's works
 * have no dates, and it has no priority). Tryton accepts writes to done productions, so the
 * state is read at write time and a done or cancelled production is never written; if the
 * production, its works or its inputs changed since the snapshot takt planned from, nothing is
 * written either (conflict: takt reads the change and plans again). The write itself carries
 * Tryton's own `_timestamp` guard for the moment between that read and the write.
 */
import type { ErpLink, WriteOutcome } from '../connector.ts';
import type { WritebackPayload } from '../../writeback/payload.ts';
import { endDateOf, startDateOf } from './dates.ts';
import { CLOSED_STATES, FIXED_WORK_STATES, productionStamp, type ProductionHeld, type ProductionMemo, type ProductionRef, type TrytonProduction } from './map.ts';
import { Failed, type TrytonReader } from './read.ts';
import { TrytonDate, type RpcFailure, type TrytonRpc } from './rpc.ts';
import type { ReferenceData, Session } from './session.ts';

/** What Tryton would hold after writing `payload` to the production `basis` names. */
export function projectProduction(payload: WritebackPayload, basis: ErpLink | null): ProductionHeld {
  const timeZone = (basis?.memo as ProductionMemo | null | undefined)?.timeZone ?? payload.timeZone ?? 'UTC';
  const works = (basis?.ref as ProductionRef | null | undefined)?.works ?? {};
  return {
    start: startDateOf(payload.plannedStart, timeZone),
    end: endDateOf(payload.plannedEnd, timeZone),
    workCenters: Object.fromEntries(payload.operations.flatMap((op) => (works[op.operation]?.movable ? [[op.operation, op.workCenter]] : []))),
  };
}

/** What Tryton holds now (same shape as the projection). */
function heldNow(p: TrytonProduction, reference: ReferenceData, ref: ProductionRef): ProductionHeld {
  const byWork = new Map(p.works.map((w) => [w.id, w]));
  return {
    start: p.plannedStartDate,
    end: p.plannedDate,
    workCenters: Object.fromEntries(Object.entries(ref.works).flatMap(([op, w]) => {
      const work = byWork.get(w.id);
      if (!w.movable || work === undefined) return [];
      return [[op, work.workCenter === null ? null : reference.workCenters.get(work.workCenter)?.name ?? null]];
    })),
  };
}

function failed(f: RpcFailure): WriteOutcome {
  if (f.kind === 'concurrency') return { kind: 'conflict', reason: `Tryton: ${f.reason}` };
  if (f.kind === 'refused') return { kind: 'rejected', reason: `Tryton refused: ${f.reason}`, status: null };
  return { kind: 'retry', reason: f.reason, status: null, retryAfterMs: f.retryAfterMs };
}

export async function writeProduction(
  rpc: TrytonRpc, reader: TrytonReader, session: Session, reference: ReferenceData, payload: WritebackPayload, basis: ErpLink | null,
): Promise<WriteOutcome> {
  const ref = basis?.ref as ProductionRef | null | undefined;
  if (basis === null || typeof ref?.production !== 'number') {
    return { kind: 'rejected', reason: `work order ${payload.workOrder} was not read from Tryton: nothing to write it to`, status: null };
  }
  let calls = 0;
  const current = async (): Promise<TrytonProduction | null | RpcFailure> => {
    calls += 1;
    try {
      return (await reader.readProductions([ref.production], session))[0] ?? null;
    } catch (error) {
      if (error instanceof Failed) return error.failure;
      throw error;
    }
  };
  const before = await current();
  if (before === null) return { kind: 'closed', reason: `production ${payload.workOrder} no longer exists in Tryton` };
  if ('kind' in before) return failed(before);
  if (CLOSED_STATES.has(before.state)) return { kind: 'closed', reason: `production ${payload.workOrder} is ${before.state} in Tryton` };
  const stamp = productionStamp(before);
  if (stamp !== basis.stamp) {
    return { kind: 'conflict', reason: `production ${payload.workOrder} changed in Tryton since the plan (stamp ${basis.stamp} → ${stamp})` };
  }

  const target = projectProduction(payload, basis);
  const held = heldNow(before, reference, ref);
  const guard = { ...session.context, _timestamp: { [`production,${before.id}`]: before.stamp } };
  if (held.start !== target.start || held.end !== target.end) {
    calls += 1;
    const written = await rpc.model('production', 'write', [[before.id], {
      ...(target.start !== null && { planned_start_date: new TrytonDate(target.start) }),
      ...(target.end !== null && { planned_date: new TrytonDate(target.end) }),
    }], guard);
    if (!written.ok) return failed(written);
  }
  const centerIds = new Map([...reference.workCenters.values()].filter((c) => c.active).map((c) => [c.name, c.id]));
  const byWork = new Map(before.works.map((w) => [w.id, w]));
  for (const [op, center] of Object.entries(target.workCenters)) {
    const work = byWork.get(ref.works[op]!.id);
    const id = center === null ? undefined : centerIds.get(center);
    if (work === undefined || id === undefined || work.workCenter === id || FIXED_WORK_STATES.has(work.state)) continue;
    calls += 1;
    const moved = await rpc.model('production.work', 'write', [[work.id], { work_center: id }],
      { ...session.context, _timestamp: { [`production.work,${work.id}`]: work.stamp } });
    if (!moved.ok) return failed(moved);
  }

  // Read back: the new stamp (so takt's own write is not taken for a change) and what Tryton holds.
  const after = await current();
  if (after === null || 'kind' in after) return { kind: 'written', held: target, stamp: null, calls };
  return { kind: 'written', held: heldNow(after, reference, ref), stamp: productionStamp(after), calls };
}
