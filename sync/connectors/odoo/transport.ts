/**
 * One Odoo model call, independent of the API that carries it. Both APIs call the same ORM
 * methods; they differ in how arguments travel:
 * - JSON-RPC `execute_kw(db, uid, password, model, method, args, kwargs)`: record ids are the
 *   first positional argument of record methods (`write`, `read`), absent for model methods
 *   (`search_read`, `fields_get`); everything else goes as keyword arguments, `context` among them.
 * - JSON-2 `POST /json/2/<model>/<method>` with `{ids, context, ...named parameters}`.
 * So a call is written once with named parameters and each transport lays it out.
 */
import type { OdooAnswer } from './failure.ts';

export interface OdooCall {
  readonly model: string;
  readonly method: string;
  /** Record ids of a record method; null for a model method. */
  readonly ids: readonly number[] | null;
  /** The method's parameters by name (`domain`, `fields`, `vals`, `limit`, `order`, …). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
}

export interface OdooTransport {
  call<T>(call: OdooCall): Promise<OdooAnswer<T>>;
  /** HTTP requests sent so far (logins included), to report how many calls a write took. */
  readonly requests: number;
}
