/**
 * Publishing a schedule version: the write-backs it owes the ERP go to the outbox in the
 * caller's transaction (a plan run under `auto`, or a planner's approval): the orders whose plan
 * is a material change against what takt last wrote (changed-orders.ts), each with its ERP link
 * as the guard. Older pending write-backs of those orders give way (one being delivered right
 * now finishes first; the new one waits for it: worker.ts).
 */
import { randomUUID } from 'node:crypto';
import type { SolveResult } from '../../scheduler/result.ts';
import type { ErpLink } from '../connectors/connector.ts';
import { toJson, type Db } from '../store/database.ts';
import type { StoredLink } from '../store/erp-links.ts';
import { lastWrittenPayloads } from '../store/outbox.ts';
import type { WritebackPolicy } from '../store/plant-policies.ts';
import type { WritebackPayload } from '../writeback/payload.ts';
import { changedOrderPayloads } from './changed-orders.ts';

/** What a plan run needs of a plant's connector: where its links are and what the ERP would hold. */
export interface PlanConnector {
  readonly connection: string;
  /** The connection reads the ERP (false: write-back only, no links to go by). */
  readonly linked: boolean;
  project(payload: WritebackPayload, basis: ErpLink): unknown;
}

export interface PublishInput {
  readonly plant: string;
  readonly version: number;
  readonly result: SolveResult;
  readonly policy: WritebackPolicy;
  readonly correlationId: string | null;
  readonly timeZone: string;
  /** The plant's connector and its orders' links (as of the snapshot planned from), if it has one. */
  readonly connector: { readonly plan: PlanConnector; readonly links: ReadonlyMap<string, StoredLink> } | null;
  readonly now: Date;
}

/** Writes the version's write-backs to the outbox; returns their ids, to enqueue after the commit. */
export async function publishWritebacks(trx: Db, input: PublishInput): Promise<string[]> {
  const { plant, version, connector } = input;
  const statuses = new Map(
    (await trx.selectFrom('work_orders').select(['id', 'status']).where('plant', '=', plant).execute()).map((r) => [r.id, r.status]),
  );
  const written = await lastWrittenPayloads(trx, plant, input.now);
  const { due, obsolete } = changedOrderPayloads({
    plant, version, result: input.result, statusOf: (id) => statuses.get(id), lastWritten: (id) => written.get(id),
    policy: input.policy, correlationId: input.correlationId, timeZone: input.timeZone,
    held: connector === null ? null : {
      project: (payload, basis) => connector.plan.project(payload, basis), linkOf: (id) => connector.links.get(id), linked: connector.plan.linked,
    },
  });
  const setAside = async (orders: readonly string[], why: string) => {
    if (orders.length === 0) return;
    await trx.updateTable('outbox')
      .set({ status: 'skipped', last_error: why })
      .where('plant', '=', plant)
      .where('status', '=', 'pending')
      .where('work_order', 'in', [...orders])
      .where((eb) => eb.or([eb('in_flight_until', 'is', null), eb('in_flight_until', '<=', input.now)]))
      .execute();
  };
  await setAside(obsolete, `superseded by version ${version}: the ERP holds its plan already`);
  if (due.length === 0) return [];
  await setAside(due.map((d) => d.payload.workOrder), `superseded by version ${version}`);
  // The soonest work first: when an ERP takes its time, what the shop floor starts next is in it first.
  const ordered = [...due].sort((a, b) => a.payload.plannedStart.localeCompare(b.payload.plannedStart) || a.payload.workOrder.localeCompare(b.payload.workOrder));
  const rows = ordered.map(({ payload, basis }) => ({
    id: randomUUID(),
    plant,
    work_order: payload.workOrder,
    schedule_version: version,
    idempotency_key: payload.idempotencyKey,
    payload: toJson(payload),
    correlation_id: input.correlationId,
    erp_basis: basis === null ? null : toJson({ kind: basis.kind, key: basis.key, ref: basis.ref, stamp: basis.stamp, held: basis.held, pending: basis.pending, memo: basis.memo }),
  }));
  for (let i = 0; i < rows.length; i += 1_000) await trx.insertInto('outbox').values(rows.slice(i, i + 1_000)).execute();
  return rows.map((r) => r.id);
}
