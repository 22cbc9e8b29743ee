/**
 * `write`: one order's plan into API_PRODUCTION_ORDER_2_SRV.
 *
 * 1. GET the order with its operations (`x-csrf-token: Fetch`: token, session cookies, ETags and
 *    the current state in one call).
 * 2. Never write an order that is deleted, marked for deletion, closed, technically completed,
 *    delivered or locked (its flags are `"X"` strings): `closed`.
 * 3. Snapshot guard: if `LastChangeDateTime` is not the stamp takt planned from, someone changed
 *    the order since: `conflict`, so the core re-reads and re-plans instead of overwriting.
 * 4. Nothing to do when SAP already holds the projection.
 * 5. PATCH the order's dates (basic or scheduled, as configured) and importance with `If-Match`;
 *    then, with fresh ETags (SAP may have rescheduled the operations from the new order dates),
 *    PATCH each operation's earliest scheduled execution start/end and work center that differ.
 * 6. Read the order back: its `LastChangeDateTime` is the link's new stamp, and what it holds
 *    now the link's `held` (the projection, when SAP kept every value as written).
 *
 * 403 `x-csrf-token: Required` starts again from step 1 with a new token and session. 412 is a
 * conflict, not a retry: the ETag changed between our GET and PATCH, i.e. the order changed
 * after the snapshot takt planned from, which is what the guard of step 3 is for; retrying would
 * overwrite that change with a plan that did not know it.
 */
import { sameJson } from '../../canonical-json.ts';
import type { WriteOutcome, WriteRequest } from '../connector.ts';
import type { ResolvedSapConfig } from './config.ts';
import { asHeld, heldOf, OPERATION_DATE_FIELDS, ORDER_DATE_FIELDS, project, type HeldOperation, type SapHeld } from './held.ts';
import type { ODataFailure, ODataReply, ODataSession } from './odata-client.ts';
import { clockSeconds, metadataEtag, parseStamp, text, toEdmDate, toEdmTime, type Entity } from './odata-values.ts';
import { operationKey, operationPath, orderOperations, orderPath, taktOperationId } from './operations.ts';
import { operationIsDone, writeBlocker } from './order-status.ts';

export interface WriteDeps {
  /** A session of its own per write: its token, cookies and call count are this write's only. */
  readonly session: ODataSession;
  readonly config: ResolvedSapConfig;
  readonly root: string;
}

type Step = WriteOutcome | { readonly kind: 'token-expired' };

function failed(failure: ODataFailure, what: string): Step {
  switch (failure.kind) {
    case 'token': return { kind: 'token-expired' };
    case 'precondition': return { kind: 'conflict', reason: `${what} changed in SAP between read and write (HTTP 412): ${failure.reason}` };
    case 'unavailable': return { kind: 'retry', reason: failure.reason, status: failure.status, retryAfterMs: failure.retryAfterMs };
    case 'refused':
    case 'not-found': return { kind: 'rejected', reason: failure.reason, status: failure.status };
  }
}

/** `YYYY-MM-DDTHH:MM:SS` → the Edm.DateTime and Edm.Time SAP keeps. */
function edm(local: string): { date: string; time: string } {
  const [date, clock] = local.split('T') as [string, string];
  return { date: toEdmDate(date), time: toEdmTime(clockSeconds(clock)) };
}

function sameStamp(current: string, basis: string): boolean {
  const a = parseStamp(current);
  const b = parseStamp(basis);
  return a !== null && b !== null ? a.ms === b.ms : current === basis;
}

function headerBody(target: SapHeld, config: ResolvedSapConfig): Record<string, unknown> {
  const fields = ORDER_DATE_FIELDS[config.orderDates];
  const start = edm(target.start!);
  const end = edm(target.end!);
  return {
    [fields.startDate]: start.date, [fields.startTime]: start.time,
    [fields.endDate]: end.date, [fields.endTime]: end.time,
    ...(target.importance !== null && { ManufacturingOrderImportance: target.importance }),
  };
}

function operationBody(target: HeldOperation, current: Entity, config: ResolvedSapConfig): Record<string, unknown> {
  const f = OPERATION_DATE_FIELDS;
  const start = edm(target.start!);
  const end = target.end != null ? edm(target.end) : null;
  return {
    [f.startDate]: start.date, [f.startTime]: start.time,
    ...(end !== null && { [f.endDate]: end.date, [f.endTime]: end.time }),
    ...(config.writeWorkCenter && target.workCenter !== undefined && target.workCenter !== text(current, 'WorkCenter') && { WorkCenter: target.workCenter }),
  };
}

const headerPart = (held: SapHeld): unknown => [held.start, held.end, held.importance];

async function attempt(deps: WriteDeps, request: WriteRequest, calls: () => number): Promise<Step> {
  const { session, config, root } = deps;
  const order = request.payload.workOrder;
  const read: ODataReply = await session.get(session.url(root, orderPath(order), { $expand: 'to_ProductionOrderOperation' }), { fetchToken: true });
  if (!read.ok) return failed(read.failure, `production order ${order}`);
  const entity = ((read.body as { d?: Entity } | null)?.d ?? {}) as Entity;

  const blocker = writeBlocker(entity);
  if (blocker !== null) return { kind: 'closed', reason: `production order ${order}: ${blocker} is set in SAP` };

  const stamp = text(entity, 'LastChangeDateTime');
  const basis = request.basis?.stamp ?? null;
  if (basis !== null && !sameStamp(stamp, basis)) {
    return { kind: 'conflict', reason: `production order ${order} changed in SAP (LastChangeDateTime ${stamp}, planned from ${basis})` };
  }

  const target = project(request.payload, config, asHeld(request.basis?.held));
  const current = heldOf(entity, config);
  // Compared as canonical JSON: a link's `held` comes back from the database with its keys in any order.
  if (sameJson(current, target)) return { kind: 'written', held: current, stamp, calls: calls() };

  let operations = orderOperations(entity);
  if (!sameJson(headerPart(current), headerPart(target))) {
    const patched = await session.patch(session.url(root, orderPath(order)), headerBody(target, config), read.etag ?? metadataEtag(entity));
    if (!patched.ok) return failed(patched.failure, `production order ${order}`);
    // New order dates may have rescheduled the operations: their ETags are stale now.
    const fresh = await session.page(session.url(root, `${orderPath(order)}/to_ProductionOrderOperation`));
    if (!fresh.ok) return failed(fresh.failure, `operations of production order ${order}`);
    operations = orderOperations({ to_ProductionOrderOperation: { results: fresh.page.results } });
  }

  const byId = new Map(operations.map((op) => [taktOperationId(op), op]));
  const holds = heldOf({ ...entity, to_ProductionOrderOperation: { results: operations } }, config).operations;
  for (const [id, wanted] of Object.entries(target.operations)) {
    const op = byId.get(id);
    // Operations SAP does not have (any more) or will not reschedule are not takt's to move.
    if (op === undefined || operationIsDone(op)) continue;
    if (sameJson(holds[id], wanted)) continue;
    const patched = await session.patch(session.url(root, operationPath(operationKey(op))), operationBody(wanted, op, config), metadataEtag(op));
    if (!patched.ok) return failed(patched.failure, `operation ${id} of production order ${order}`);
  }

  // What SAP holds now, not what was sent: SAP may have moved a date while scheduling (the end
  // from the operations' durations, say). The core takes a read that differs from the link's
  // `held` for an edit in SAP and plans again; holding the sent values would loop.
  const back = await session.get(session.url(root, orderPath(order), { $expand: 'to_ProductionOrderOperation' }));
  if (!back.ok) return failed(back.failure, `production order ${order}`);
  const after = ((back.body as { d?: Entity } | null)?.d ?? {}) as Entity;
  const newStamp = text(after, 'LastChangeDateTime');
  return { kind: 'written', held: heldOf(after, config), stamp: newStamp === '' ? null : newStamp, calls: calls() };
}

export async function writeOrder(deps: WriteDeps, request: WriteRequest): Promise<WriteOutcome> {
  const calls = (): number => deps.session.calls;
  for (let round = 0; round < 2; round++) {
    const step = await attempt(deps, request, calls);
    if (step.kind !== 'token-expired') return step;
    deps.session.resetToken();
  }
  return { kind: 'retry', reason: 'SAP refused the CSRF token twice (x-csrf-token: Required)', status: 403, retryAfterMs: null };
}
