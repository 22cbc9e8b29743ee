/** Counts and lists behind the sync status: the outbox backlog and the dead letters. */
import type { DeadLetterView } from './ports.ts';
import { toIso, type Db } from './store/database.ts';

export async function countOutboxBacklog(db: Db): Promise<number> {
  return (await outboxBacklog(db)).count;
}

/** Write-backs not yet delivered, and since when the oldest has waited. */
export async function outboxBacklog(db: Db): Promise<{ readonly count: number; readonly oldestAt: Date | null }> {
  const row = await db.selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending').executeTakeFirst();
  const oldest = row?.oldest ?? null;
  return { count: Number(row?.n ?? 0), oldestAt: oldest === null ? null : new Date(oldest as Date | string) };
}

export async function countDeadLetters(db: Db): Promise<number> {
  const row = await db.selectFrom('dead_letters').select((eb) => eb.fn.countAll<number>().as('n')).where('replayed_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listDeadLetters(db: Db, limit = 500): Promise<readonly DeadLetterView[]> {
  const rows = await db.selectFrom('dead_letters').selectAll().where('replayed_at', 'is', null)
    .orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, kind: r.kind, plant: r.plant, key: r.key, error: r.error, attempts: r.attempts,
    createdAt: toIso(r.created_at), payload: r.payload,
  }));
}
