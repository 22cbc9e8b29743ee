/**
 * Replaying a dead webhook delivery: the row goes back to pending, due now, with fresh attempts
 * and a fresh retry window, under its old event id (a receiver that did get it after all drops
 * the repeat). The twin of writeback/replay.ts for dead letters of kind `webhook`; it answers
 * `not-replayable` for any other kind, so a caller may try one and then the other.
 */
import type { Result } from '../ports.ts';
import type { Db } from '../store/database.ts';
import { WEBHOOK_DEAD_LETTER_KIND } from './deliveries.ts';

export async function replayWebhookDeadLetter(
  db: Db,
  id: string,
  now: Date = new Date(),
): Promise<Result<{ readonly id: string; readonly requeued: true }>> {
  return db.transaction().execute(async (trx): Promise<Result<{ readonly id: string; readonly requeued: true }>> => {
    const letter = await trx.selectFrom('dead_letters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (letter === undefined) return { ok: false, code: 'not-found', message: `no dead letter ${id}` };
    const deliveryId = (letter.payload as { deliveryId?: unknown } | null)?.deliveryId;
    if (letter.kind !== WEBHOOK_DEAD_LETTER_KIND || typeof deliveryId !== 'string') {
      return { ok: false, code: 'not-replayable', message: `dead letters of kind ${letter.kind} are not webhook deliveries` };
    }
    if (letter.replayed_at !== null) return { ok: false, code: 'already-replayed', message: `dead letter ${id} was replayed already` };
    const moved = await trx.updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, retry_window_from: now, in_flight_until: null, last_error: null })
      .where('id', '=', deliveryId).where('status', '=', 'dead')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) {
      return { ok: false, code: 'not-found', message: `webhook delivery ${deliveryId} is gone (its subscription was deleted) or not dead` };
    }
    await trx.updateTable('dead_letters').set({ replayed_at: now }).where('id', '=', id).execute();
    return { ok: true, value: { id, requeued: true } };
  });
}
