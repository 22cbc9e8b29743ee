/**
 * What takt keeps per ERP object a connection has read (see sync/connectors/connector.ts):
 * the way back, the last change stamp seen, what the ERP holds of the write-back fields, and
 * the digest and version of the canonical event last ingested for it.
 */
import type { ErpLink } from '../connectors/connector.ts';
import { sql } from 'kysely';
import { toJson, type Db } from './database.ts';

export interface StoredLink extends ErpLink {
  readonly digest: string;
  readonly version: number;
  readonly reread: boolean;
  /** After takt's own last write: what the ERP then held, its stamp, and the stamp written over. */
  readonly writtenHeld: unknown;
  readonly writtenStamp: string | null;
  readonly writtenFrom: string | null;
}

export interface LinkRow extends Omit<StoredLink, 'reread' | 'writtenHeld' | 'writtenStamp' | 'writtenFrom'> {
  readonly connection: string;
  readonly plant: string;
}

const linkKey = (kind: string, key: string): string => JSON.stringify([kind, key]);

export class StoredLinks {
  private readonly byKey = new Map<string, StoredLink>();
  private readonly byKind = new Map<string, string[]>();
  private readonly again: StoredLink[] = [];

  constructor(links: readonly StoredLink[]) {
    for (const link of links) {
      this.byKey.set(linkKey(link.kind, link.key), link);
      const keys = this.byKind.get(link.kind);
      if (keys === undefined) this.byKind.set(link.kind, [link.key]);
      else keys.push(link.key);
      if (link.reread) this.again.push(link);
    }
  }

  refresh(kind: string): readonly StoredLink[] {
    return this.again.filter((link) => link.kind === kind);
  }

  get(kind: string, key: string): StoredLink | undefined {
    return this.byKey.get(linkKey(kind, key));
  }

  keys(kind: string): readonly string[] {
    return this.byKind.get(kind) ?? [];
  }
}

function fromRow(row: {
  kind: string; key: string; ref: unknown; stamp: string | null; held: unknown; pending: unknown; memo: unknown; digest: string; version: string | number | bigint; reread: boolean;
  written_held: unknown; written_stamp: string | null; written_from: string | null;
}): StoredLink {
  return {
    kind: row.kind, key: row.key, ref: row.ref, stamp: row.stamp, held: row.held, pending: row.pending ?? null, memo: row.memo,
    digest: row.digest, version: Number(row.version), reread: row.reread,
    writtenHeld: row.written_held ?? null, writtenStamp: row.written_stamp, writtenFrom: row.written_from,
  };
}

const COLUMNS = ['kind', 'key', 'ref', 'stamp', 'held', 'pending', 'memo', 'digest', 'version', 'reread', 'written_held', 'written_stamp', 'written_from'] as const;

export async function loadLinks(db: Db, connection: string): Promise<StoredLinks> {
  const rows = await db.selectFrom('erp_links')
    .select(COLUMNS)
    .where('connection', '=', connection).execute();
  return new StoredLinks(rows.map(fromRow));
}

/** The links of some objects of one kind, by key (the plan run's snapshot of its orders). */
export async function linksOf(db: Db, connection: string, kind: string, keys?: readonly string[]): Promise<Map<string, StoredLink>> {
  if (keys !== undefined && keys.length === 0) return new Map();
  let query = db.selectFrom('erp_links')
    .select(COLUMNS)
    .where('connection', '=', connection).where('kind', '=', kind);
  if (keys !== undefined) query = query.where('key', 'in', [...keys]);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.key, fromRow(row)]));
}

export async function getLink(db: Db, connection: string, kind: string, key: string): Promise<StoredLink | undefined> {
  return (await linksOf(db, connection, kind, [key])).get(key);
}

/**
 * The links of these objects as they are now, locked until the transaction ends: an inbound
 * read checks that no write-back changed them since it read them (else it reads again).
 */
export async function lockLinks(trx: Db, connection: string, objects: readonly { readonly kind: string; readonly key: string }[]): Promise<StoredLinks> {
  if (objects.length === 0) return new StoredLinks([]);
  const rows: StoredLink[] = [];
  for (let i = 0; i < objects.length; i += ROWS_PER_STATEMENT) {
    const chunk = objects.slice(i, i + ROWS_PER_STATEMENT);
    const found = await trx.selectFrom('erp_links').select(COLUMNS)
      .where('connection', '=', connection)
      .where((eb) => eb(eb.refTuple('kind', 'key'), 'in', chunk.map((o) => eb.tuple(o.kind, o.key))))
      .orderBy('kind').orderBy('key').forUpdate().execute();
    rows.push(...found.map(fromRow));
  }
  return new StoredLinks(rows);
}

/** Rows per statement: well under PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 1_000;

/** Writes whole links (distinct (connection, kind, key)), read and applied: none is to be read again. */
export async function saveLinks(db: Db, rows: readonly LinkRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    await db.insertInto('erp_links')
      .values(chunk.map((r) => ({
        connection: r.connection, plant: r.plant, kind: r.kind, key: r.key,
        ref: toJson(r.ref ?? null), stamp: r.stamp, held: toJson(r.held ?? null), pending: r.pending === null || r.pending === undefined ? null : toJson(r.pending),
        memo: toJson(r.memo ?? null),
        digest: r.digest, version: r.version,
      })))
      .onConflict((oc) => oc.columns(['connection', 'kind', 'key']).doUpdateSet((eb) => ({
        plant: eb.ref('excluded.plant'),
        ref: eb.ref('excluded.ref'),
        stamp: eb.ref('excluded.stamp'),
        held: eb.ref('excluded.held'),
        // What takt is writing is the worker's: a read only clears it, once it shows it.
        pending: sql`case when erp_links.pending = excluded.held then null else erp_links.pending end`,
        reread: false,
        memo: eb.ref('excluded.memo'),
        digest: eb.ref('excluded.digest'),
        version: eb.ref('excluded.version'),
        updated_at: new Date(),
      })))
      .execute();
  }
}

/** Before takt's own write: what it is about to write, so that reading it back is known as takt's echo. */
export async function recordPending(db: Db, connection: string, kind: string, key: string, pending: unknown): Promise<void> {
  await db.updateTable('erp_links').set({ pending: toJson(pending ?? null) })
    .where('connection', '=', connection).where('kind', '=', kind).where('key', '=', key).execute();
}

/**
 * After takt's own write: what the ERP holds now and its new stamp, unless the link moved on
 * meanwhile (a read newer than the snapshot the write was planned from wins).
 */
export async function recordWritten(
  db: Db, connection: string, kind: string, key: string, basisStamp: string | null, written: { readonly held: unknown; readonly stamp: string | null },
): Promise<boolean> {
  const held = toJson(written.held ?? null);
  const result = await db.updateTable('erp_links')
    .set({
      held, pending: null, written_held: held, written_from: basisStamp, written_stamp: written.stamp ?? basisStamp,
      ...(written.stamp !== null && { stamp: written.stamp }), updated_at: new Date(),
    })
    .where('connection', '=', connection).where('kind', '=', kind).where('key', '=', key)
    // Still at the basis, or a read has seen this very write already (its stamp): not if someone else changed it since.
    .where((eb) => eb.or([
      basisStamp === null ? eb('stamp', 'is', null) : eb('stamp', '=', basisStamp),
      ...(written.stamp === null ? [] : [eb('stamp', '=', written.stamp)]),
    ]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** takt's write did not happen (refused, closed, a conflict): what it was about to write is no echo to expect. */
export async function clearPending(db: Db, connection: string, kind: string, key: string): Promise<void> {
  await db.updateTable('erp_links').set({ pending: null })
    .where('connection', '=', connection).where('kind', '=', kind).where('key', '=', key).execute();
}

/** These objects' last read was not applied: the connector reads them again next time. */
export async function markReread(db: Db, connection: string, objects: readonly { readonly kind: string; readonly key: string }[]): Promise<void> {
  if (objects.length === 0) return;
  await db.updateTable('erp_links').set({ reread: true })
    .where('connection', '=', connection)
    .where((eb) => eb(eb.refTuple('kind', 'key'), 'in', objects.map((o) => eb.tuple(o.kind, o.key))))
    .execute();
}

/** Forgets the ingested digest: the object's next read is ingested again even if unchanged. */
export async function invalidateDigest(db: Db, connection: string, kind: string, key: string): Promise<void> {
  await db.updateTable('erp_links').set({ digest: '' })
    .where('connection', '=', connection).where('kind', '=', kind).where('key', '=', key).execute();
}
