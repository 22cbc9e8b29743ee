/**
 * The last change stamp each source put on an object. Claiming a version is one atomic upsert,
 * so two concurrent updates of one object serialise on its row and the older one loses.
 */
import type { Db } from './database.ts';

export interface ObjectRef {
  readonly source: string;
  readonly plant: string;
  readonly kind: string;
  readonly key: string;
}

export type VersionClaim = { readonly ok: true } | { readonly ok: false; readonly storedVersion: number };

/** Records `version` unless a newer one is stored; an equal version is accepted (a re-send). */
export async function claimVersion(db: Db, ref: ObjectRef, version: number): Promise<VersionClaim> {
  const claimed = await db.insertInto('object_versions')
    .values({ ...ref, version })
    .onConflict((oc) => oc.columns(['source', 'plant', 'kind', 'key'])
      .doUpdateSet({ version, updated_at: new Date() })
      .where('object_versions.version', '<=', version))
    .returning('version')
    .executeTakeFirst();
  if (claimed !== undefined) return { ok: true };
  const stored = await getVersion(db, ref);
  return { ok: false, storedVersion: stored ?? version };
}

export async function getVersion(db: Db, ref: ObjectRef): Promise<number | null> {
  const row = await db.selectFrom('object_versions').select('version')
    .where('source', '=', ref.source).where('plant', '=', ref.plant)
    .where('kind', '=', ref.kind).where('key', '=', ref.key)
    .executeTakeFirst();
  return row?.version ?? null;
}

/** The version of a row created by `lockVersions` for an object nothing stamped yet. */
const PLACEHOLDER = -1;

/** One string per object, for maps. */
export function objectKey(ref: ObjectRef): string {
  return JSON.stringify([ref.source, ref.plant, ref.kind, ref.key]);
}

const sortedDistinct = (refs: readonly ObjectRef[]): ObjectRef[] =>
  [...new Map(refs.map((r) => [objectKey(r), r])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);

/** A stored version and what stamped it (type and data digest; null for rows older than that). */
export interface StoredVersion {
  readonly version: number;
  readonly eventType: string | null;
  readonly digest: string | null;
}

/**
 * Locks the version rows of the objects for the rest of the transaction and answers what is
 * stored (by `objectKey`; null: nothing yet). An object with no row gets a placeholder row, so
 * that a concurrent batch claiming the same new object waits for this one as it would on a
 * stored row. Keys go in sorted order, so concurrent batches lock in the same order. Follow up
 * with `saveVersions` and `dropPlaceholders`.
 */
export async function lockVersions(db: Db, refs: readonly ObjectRef[]): Promise<Map<string, StoredVersion | null>> {
  const rows = sortedDistinct(refs);
  const stored = new Map<string, StoredVersion | null>();
  if (rows.length === 0) return stored;
  const locked = await db.insertInto('object_versions')
    .values(rows.map((r) => ({ ...pick(r), version: PLACEHOLDER })))
    // A no-op update: it locks the row and returns the stored version.
    .onConflict((oc) => oc.columns(['source', 'plant', 'kind', 'key']).doUpdateSet((eb) => ({ version: eb.ref('object_versions.version') })))
    .returning(['source', 'plant', 'kind', 'key', 'version', 'event_type', 'digest'])
    .execute();
  for (const row of locked) {
    stored.set(objectKey(row), row.version === PLACEHOLDER ? null : { version: row.version, eventType: row.event_type, digest: row.digest });
  }
  return stored;
}

export interface VersionStamp {
  readonly ref: ObjectRef;
  readonly version: number;
  readonly eventType: string;
  readonly digest: string;
}

/** Records the versions (one per object) on rows `lockVersions` locked. */
export async function saveVersions(db: Db, stamps: readonly VersionStamp[]): Promise<void> {
  if (stamps.length === 0) return;
  const byKey = new Map(stamps.map((s) => [objectKey(s.ref), s]));
  const rows = sortedDistinct(stamps.map((s) => s.ref)).map((r) => {
    const stamp = byKey.get(objectKey(r))!;
    return { ...pick(r), version: stamp.version, event_type: stamp.eventType, digest: stamp.digest };
  });
  await db.insertInto('object_versions')
    .values(rows)
    .onConflict((oc) => oc.columns(['source', 'plant', 'kind', 'key']).doUpdateSet((eb) => ({
      version: eb.ref('excluded.version'), event_type: eb.ref('excluded.event_type'), digest: eb.ref('excluded.digest'), updated_at: new Date(),
    })))
    .execute();
}

/** Removes placeholder rows `lockVersions` made for objects that got no version after all. */
export async function dropPlaceholders(db: Db, refs: readonly ObjectRef[]): Promise<void> {
  if (refs.length === 0) return;
  await db.deleteFrom('object_versions')
    .where('version', '=', PLACEHOLDER)
    .where((eb) => eb(eb.refTuple('source', 'plant', 'kind', 'key'), 'in', refs.map((r) => eb.tuple(r.source, r.plant, r.kind, r.key))))
    .execute();
}

const pick = (r: ObjectRef): ObjectRef => ({ source: r.source, plant: r.plant, kind: r.kind, key: r.key });
