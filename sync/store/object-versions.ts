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
