/**
 * The narrow interface the HTTP layer uses to manage API keys (admin), beside `Takt`
 * (sync/ports.ts); `createKeyAdmin` (admin.ts) implements it. A token appears in exactly one
 * answer, the creation; the store keeps only its hash.
 */
import { SCOPES, type Result, type Scope } from '../ports.ts';
import type { ApiKeyListing } from '../store/api-keys.ts';

export { SCOPES };

/** A key as listed: never its token. */
export type KeyView = ApiKeyListing;

export interface NewKeyRequest {
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** Omitted or null: every plant. */
  readonly plants?: readonly string[] | null;
}

export interface KeyAdmin {
  create(request: NewKeyRequest): Promise<Result<KeyView & { readonly token: string }>>;
  list(): Promise<readonly KeyView[]>;
  /** Refused for the last active admin key: nobody could manage keys after it. */
  revoke(id: string): Promise<Result<KeyView>>;
}
