/**
 * Replaying a dead write-back: the outbox row goes back to pending with fresh attempts and is
 * enqueued. A dead letter whose order has since been written by a newer schedule version is
 * not replayed: it would put older dates over newer ones. The outage window starts again.
 */
import type { JobQueue } from '../queue/job-queue.ts';
import type { BulkReplayView, DeadLetterFilter, Result } from '../ports.ts';
import type { Db } from '../store/database.ts';
import { hasNewerWriteback } from '../store/outbox.ts';

export async function replayDeadLetter(
  db: Db,
  queue: JobQueue,
  id: string,
  now: Date = new Date(),
): Promise<Result<{ readonly id: string; readonly requeued: true }>> {
  const outcome = await db.transaction().execute(async (trx): Promise<Result<string>> => {
    const letter = await trx.selectFrom('dead_letters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (letter === undefined) return { ok: false, code: 'not-found', message: `no dead letter ${id}` };
    if (letter.replayed_at !== null) return { ok: false, code: 'already-replayed', message: `dead letter ${id} was replayed already` };
    const outboxId = (letter.payload as { outboxId?: unknown }).outboxId;
    if (letter.kind !== 'writeback' || typeof outboxId !== 'string') {
      return { ok: false, code: 'not-replayable', message: `dead letters of kind ${letter.kind} cannot be replayed` };
    }
    const row = await trx.selectFrom('outbox').selectAll().where('id', '=', outboxId).executeTakeFirst();
    if (row === undefined) return { ok: false, code: 'not-found', message: `outbox row ${outboxId} is gone` };
    if (await hasNewerWriteback(trx, row.plant, row.work_order, row.schedule_version)) {
      return { ok: false, code: 'superseded', message: `order ${row.work_order} has a newer write-back than version ${row.schedule_version}` };
    }
    await trx.updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, last_error: null, retry_window_from: now })
      .where('id', '=', outboxId).execute();
    await trx.updateTable('dead_letters').set({ replayed_at: now }).where('id', '=', id).execute();
    return { ok: true, value: outboxId };
  });
  if (!outcome.ok) return outcome;
  // After the commit: if this enqueue is lost, the sweeper finds the pending row.
  await queue.enqueueWriteback(outcome.value).catch(() => undefined);
  return { ok: true, value: { id, requeued: true } };
}

/**
 * Replays every dead letter the filter matches (a whole ERP outage's worth at once), each by
 * `replayOne` (which knows the kinds); those that cannot be replayed (superseded, already
 * replayed, of a kind without a replay) are reported, not failed.
 */
export async function replayDeadLetters(
  db: Db, filter: DeadLetterFilter, replayOne: (id: string) => Promise<Result<unknown>>,
): Promise<BulkReplayView> {
  let query = db.selectFrom('dead_letters').select('id').where('replayed_at', 'is', null);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.plant !== undefined) query = query.where('plant', '=', filter.plant);
  if (filter.since !== undefined) query = query.where('created_at', '>=', new Date(filter.since));
  if (filter.until !== undefined) query = query.where('created_at', '<', new Date(filter.until));
  if (filter.error !== undefined) query = query.where('error', 'like', `%${filter.error.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rows = await query.orderBy('created_at').limit(10_000).execute();
  const refused: { id: string; code: string; message: string }[] = [];
  let requeued = 0;
  for (const { id } of rows) {
    const outcome = await replayOne(id);
    if (outcome.ok) requeued += 1;
    else refused.push({ id, code: outcome.code, message: outcome.message });
  }
  return { matched: rows.length, requeued, refused };
}
